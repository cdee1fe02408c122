import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from './catalogue.js';
import { parsePublished, publishedForm, registeredFromPublished, type PublishedSchema } from './published-schema.js';
import { AvroDecodeError, AvroEncodeError, SchemaIncompatibleError, SchemaInvalidError, SchemaUnknownError } from './errors.js';
import { field, rawRecord, writeSchemaDir } from '../../test/harness/schema-dir.js';

const CITIZEN = 'vn.lgsp.raw.population.Citizen';
const citizenV1 = JSON.parse(
  readFileSync(new URL('../../schemas/raw/population/Citizen.v1.avsc', import.meta.url), 'utf8'),
) as { fields: unknown[] };
const emailField = field('email', ['null', 'string'], { default: null });
const citizenV2 = { ...citizenV1, fields: [...citizenV1.fields, emailField] };

const citizen = {
  personalId: '079201000001',
  fullName: 'Nguyễn Văn A',
  birthDate: '2001-01-01',
  sex: 'F',
  householdId: 'H1',
  residenceCommuneCode: '84001',
  deathDate: null,
  updatedAt: new Date(1_700_000_000_000),
};

// The same record single-object encoded by the Java implementation (BinaryMessageEncoder, avro 1.11.3).
const JAVA_MESSAGE =
  'c301023765d2d0d01e1a183037393230313030303030311e4e677579e1bb856e2056c4836e2041f6b001020448310a38343030310080a0abfef962';

function twoVersions() {
  return loadCatalogue(
    writeSchemaDir({ 'raw/population/Citizen.v1.avsc': citizenV1, 'raw/population/Citizen.v2.avsc': citizenV2 }),
  );
}

describe('catalogue', () => {
  it('encodes byte for byte as the Java implementation and decodes it back', () => {
    const catalogue = loadCatalogue(writeSchemaDir({ 'raw/population/Citizen.v1.avsc': citizenV1 }));
    const message = catalogue.encode(CITIZEN, citizen);
    expect(message.toString('hex')).toBe(JAVA_MESSAGE);
    const decoded = catalogue.decode(Buffer.from(JAVA_MESSAGE, 'hex'));
    expect(decoded.value).toEqual(citizen);
    expect(decoded.writer).toEqual({ fullName: CITIZEN, version: 1, fingerprint: '1a1ed0d0d2653702' });
  });

  it('indexes versions and answers the latest', () => {
    const catalogue = twoVersions();
    expect(catalogue.latest(CITIZEN).version).toBe(2);
    expect(catalogue.registry.versions(CITIZEN).map((v) => v.version)).toEqual([1, 2]);
    expect(() => catalogue.latest('vn.lgsp.raw.population.Nobody')).toThrow(SchemaUnknownError);
  });

  it('reads a v1 message with the v2 reader, filling the added field from its default', () => {
    const catalogue = twoVersions();
    const decoded = catalogue.decode(catalogue.encode(CITIZEN, citizen, 1));
    expect(decoded.writer.version).toBe(1);
    expect(decoded.value).toEqual({ ...citizen, email: null });
  });

  it('reads a v2 message with the v1 reader, dropping the field v1 does not know', () => {
    const catalogue = twoVersions();
    const message = catalogue.encode(CITIZEN, { ...citizen, email: 'a@example.vn' });
    const decoded = catalogue.decode(message, CITIZEN, 1);
    expect(decoded.writer.version).toBe(2);
    expect(decoded.value).toEqual(citizen);
    // The cached resolver serves the next message too.
    expect(catalogue.decode(message, CITIZEN, 1).value).toEqual(citizen);
  });

  it('throws SchemaUnknownError for a fingerprint it does not hold', () => {
    const catalogue = twoVersions();
    const message = catalogue.encode(CITIZEN, citizen);
    message.writeBigUInt64LE(0x0123456789abcdefn, 2);
    expect(() => catalogue.decode(message)).toThrow(SchemaUnknownError);
    expect(() => catalogue.decode(message)).toThrow(/0123456789abcdef/);
  });

  it.each([
    ['no marker', Buffer.from('{"personalId":"0792"}')],
    ['too short', Buffer.from([0xc3, 0x01, 0x02])],
    ['Confluent framing', Buffer.from([0x00, 0x00, 0x00, 0x00, 0x07, 0x02])],
    ['empty', Buffer.alloc(0)],
  ])('throws AvroDecodeError for garbage (%s)', (_name, bytes) => {
    expect(() => twoVersions().decode(bytes)).toThrow(AvroDecodeError);
  });

  it('throws AvroDecodeError for a truncated body or trailing bytes', () => {
    const catalogue = twoVersions();
    const message = catalogue.encode(CITIZEN, citizen);
    expect(() => catalogue.decode(message.subarray(0, message.length - 3))).toThrow(AvroDecodeError);
    expect(() => catalogue.decode(Buffer.concat([message, Buffer.from([1, 2, 3])]))).toThrow(AvroDecodeError);
  });

  it('fails fast on a corrupt array block count instead of looping over a billion items', () => {
    const owner = rawRecord('land', 'Owner', [field('pid', 'string')]);
    const parcel = rawRecord('land', 'Parcel', [field('owners', { type: 'array', items: owner }), field('tags', { type: 'map', values: 'long' })]);
    const catalogue = loadCatalogue(writeSchemaDir({ 'raw/land/Parcel.v1.avsc': parcel }));
    const header = catalogue.encode('vn.lgsp.raw.land.Parcel', { owners: [], tags: {} }).subarray(0, 10);
    const hugeCount = Buffer.from([0x80, 0xa8, 0xd6, 0xb9, 0x07]); // zig-zag varint for 1_000_000_000
    expect(() => catalogue.decode(Buffer.concat([header, hugeCount, Buffer.from([0x02, 0x41])]))).toThrow(AvroDecodeError);
    expect(() => catalogue.decode(Buffer.concat([header, Buffer.from([0x00]), hugeCount, Buffer.from([0x02])]))).toThrow(AvroDecodeError);
  });

  it('throws SchemaIncompatibleError when the reader cannot read the writer', () => {
    const other = rawRecord('population', 'Household', [field('householdId', 'string')]);
    const catalogue = loadCatalogue(
      writeSchemaDir({ 'raw/population/Citizen.v1.avsc': citizenV1, 'raw/population/Household.v1.avsc': other }),
    );
    const message = catalogue.encode(CITIZEN, citizen);
    expect(() => catalogue.decode(message, 'vn.lgsp.raw.population.Household')).toThrow(SchemaIncompatibleError);
  });

  it('validates values with problems that name the field', () => {
    const catalogue = twoVersions();
    expect(catalogue.validate(CITIZEN, citizen)).toEqual([]);
    const problems = catalogue.validate(CITIZEN, { ...citizen, birthDate: '2021-02-30', sex: 'X', fullName: undefined, nickname: 'A' });
    expect(problems).toEqual([
      'fullName: missing, expected string',
      'birthDate: "2021-02-30" is not a valid int (date)',
      'sex: "X" is not a valid enum vn.lgsp.raw.population.Sex',
      '(value): field(s) not in the schema: nickname',
    ]);
  });

  it('refuses to encode an invalid value, naming the field', () => {
    const catalogue = twoVersions();
    expect(() => catalogue.encode(CITIZEN, { ...citizen, birthDate: '2021-02-30' })).toThrow(AvroEncodeError);
    expect(() => catalogue.encode(CITIZEN, { ...citizen, birthDate: '2021-02-30' })).toThrow(/birthDate/);
  });

  it('encodes values larger than its scratch buffer', () => {
    const catalogue = twoVersions();
    const big = { ...citizen, fullName: 'x'.repeat(200_000) };
    expect(catalogue.decode(catalogue.encode(CITIZEN, big)).value).toEqual({ ...big, email: null });
  });

  it('refuses a directory with an unparsable schema or a duplicate version', () => {
    expect(() => loadCatalogue(writeSchemaDir({ 'raw/population/Citizen.v1.avsc': '{ not json' }))).toThrow(SchemaInvalidError);
    const twice = writeSchemaDir({ 'raw/population/Citizen.v1.avsc': citizenV1, 'raw/other/Citizen.v1.avsc': citizenV1 });
    expect(() => loadCatalogue(twice)).toThrow(/already defined/);
  });

  it('loads the repository\'s schemas by default', () => {
    expect(loadCatalogue().latest(CITIZEN).fullName).toBe(CITIZEN);
  });

  it('learns a writer published by a newer connector: its messages decode with the deployed reader, which stays the newest deployed version', () => {
    const newer = twoVersions();
    const old = loadCatalogue(writeSchemaDir({ 'raw/population/Citizen.v1.avsc': citizenV1 }));
    const message = newer.encode(CITIZEN, { ...citizen, email: 'a@example.vn' }, 2);
    expect(() => old.decode(message, CITIZEN)).toThrow(SchemaUnknownError);
    const published = publishedForm(newer.schema(CITIZEN, 2));
    // Through JSON, as the schema topic carries it: the logical types survive, so does the fingerprint.
    const writer = registeredFromPublished(JSON.parse(JSON.stringify(published)) as PublishedSchema, 'lgsp.schemas');
    expect(writer.fingerprint).toBe(newer.schema(CITIZEN, 2).fingerprint);
    expect(old.knows(writer.fingerprint)).toBe(false);
    old.learn(writer);
    expect(old.knows(writer.fingerprint)).toBe(true);
    expect(old.readProblem(writer, CITIZEN)).toBeNull();
    const decoded = old.decode(message, CITIZEN);
    expect(decoded.value).toEqual(citizen);
    expect(decoded.writer).toMatchObject({ fullName: CITIZEN, version: 2 });
    expect(old.latest(CITIZEN).version).toBe(1);
  });

  it('says why a learnt writer cannot be read, and refuses a published schema whose JSON is not its fingerprint', () => {
    const catalogue = twoVersions();
    const narrowed = { ...citizenV1, fields: citizenV1.fields.map((f) => ((f as { name: string }).name === 'householdId' ? { ...(f as object), type: 'int' } : f)) };
    const v3 = loadCatalogue(writeSchemaDir({ 'raw/population/Citizen.v3.avsc': narrowed })).schema(CITIZEN, 3);
    catalogue.learn(v3);
    expect(catalogue.readProblem(v3, CITIZEN)).toMatch(/^vn\.lgsp\.raw\.population\.Citizen v3 cannot be read as vn\.lgsp\.raw\.population\.Citizen v2: /);
    const forged = { ...publishedForm(v3), fingerprint: catalogue.schema(CITIZEN, 1).fingerprint };
    expect(() => registeredFromPublished(forged, 'lgsp.schemas')).toThrow(/published under fingerprint/);
    expect(parsePublished(Buffer.from('not json'))).toBeUndefined();
    expect(parsePublished(Buffer.from(JSON.stringify(publishedForm(v3))))).toMatchObject({ fullName: CITIZEN, version: 3 });
  });
});
