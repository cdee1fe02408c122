import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRC64_AVRO_EMPTY, canonicalForm, crc64Avro, fingerprintHex, schemaFingerprint } from './fingerprint.js';
import { parseSchema } from './parse-schema.js';
import type { Schema } from 'avsc';

// Expected values computed with the Java implementation, org.apache.avro:avro 1.11.3:
// SchemaNormalization.toParsingForm / parsingFingerprint64.
const JAVA_VECTORS: readonly [Schema, string][] = [
  ['int', '7275d51a3f395c8f'],
  ['null', '63dd24e7cc258f8a'],
  ['long', 'd054e14493f41db7'],
  ['string', '8f014872634503c7'],
  [{ type: 'fixed', name: 'foo', size: 15 }, '18602ec3ed31a504'],
];

const CITIZEN_PCF =
  '{"name":"vn.lgsp.raw.population.Citizen","type":"record","fields":[{"name":"personalId","type":"string"},{"name":"fullName","type":"string"},{"name":"birthDate","type":"int"},{"name":"sex","type":{"name":"vn.lgsp.raw.population.Sex","type":"enum","symbols":["M","F"]}},{"name":"householdId","type":"string"},{"name":"residenceCommuneCode","type":"string"},{"name":"deathDate","type":["null","int"]},{"name":"updatedAt","type":"long"}]}';

/** Every kind of type at once: aliases, docs, defaults, order, nested namespaces, recursion, logical types. */
const EVERYTHING: Schema = {
  type: 'record', name: 'Parcel', namespace: 'vn.lgsp.raw.land', doc: 'd', aliases: ['OldParcel'],
  fields: [
    { name: 'id', type: 'string', doc: 'x', default: 'a' },
    { name: 'area', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }, doc: 'x' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16, namespace: 'vn.lgsp.common' }, doc: 'x' },
    { name: 'hash2', type: ['null', 'vn.lgsp.common.Hash'], default: null },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B', 'C'], default: 'A', doc: 'k' } },
    { name: 'owners', type: { type: 'array', items: { type: 'record', name: 'Owner', fields: [
      { name: 'pid', type: 'string' }, { name: 'share', type: 'double' }, { name: 'next', type: ['null', 'Owner'], default: null }] } } },
    { name: 'tags', type: { type: 'map', values: ['null', 'long', 'string'] }, order: 'descending' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'money', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 0 } },
    { name: 'b', type: 'boolean' }, { name: 'f', type: 'float' }, { name: 'n', type: 'null' }, { name: 'by', type: 'bytes' },
  ],
};
const EVERYTHING_PCF =
  '{"name":"vn.lgsp.raw.land.Parcel","type":"record","fields":[{"name":"id","type":"string"},{"name":"area","type":"bytes"},{"name":"hash","type":{"name":"vn.lgsp.common.Hash","type":"fixed","size":16}},{"name":"hash2","type":["null","vn.lgsp.common.Hash"]},{"name":"kind","type":{"name":"vn.lgsp.raw.land.Kind","type":"enum","symbols":["A","B","C"]}},{"name":"owners","type":{"type":"array","items":{"name":"vn.lgsp.raw.land.Owner","type":"record","fields":[{"name":"pid","type":"string"},{"name":"share","type":"double"},{"name":"next","type":["null","vn.lgsp.raw.land.Owner"]}]}}},{"name":"tags","type":{"type":"map","values":["null","long","string"]}},{"name":"at","type":"long"},{"name":"day","type":"int"},{"name":"money","type":{"name":"vn.lgsp.raw.land.Money","type":"fixed","size":8}},{"name":"b","type":"boolean"},{"name":"f","type":"float"},{"name":"n","type":"null"},{"name":"by","type":"bytes"}]}';

describe('CRC-64-AVRO', () => {
  it('is the spec\'s EMPTY for no bytes', () => {
    expect(crc64Avro(new Uint8Array())).toBe(CRC64_AVRO_EMPTY);
  });

  it.each(JAVA_VECTORS)('fingerprints %j as the Java implementation does', (schema, expected) => {
    expect(fingerprintHex(schemaFingerprint(parseSchema(schema)))).toBe(expected);
  });
});

describe('Parsing Canonical Form', () => {
  it('matches Java for the Citizen schema', () => {
    const url = new URL('../../schemas/raw/population/Citizen.v1.avsc', import.meta.url);
    const type = parseSchema(JSON.parse(readFileSync(url, 'utf8')) as Schema);
    expect(canonicalForm(type)).toBe(CITIZEN_PCF);
    expect(fingerprintHex(schemaFingerprint(type))).toBe('1a1ed0d0d2653702');
  });

  it('matches Java for enum, union, array, map, fixed, recursion and logical types', () => {
    const type = parseSchema(EVERYTHING);
    expect(canonicalForm(type)).toBe(EVERYTHING_PCF);
    expect(fingerprintHex(schemaFingerprint(type))).toBe('d799a0d99f3a0129');
  });
});
