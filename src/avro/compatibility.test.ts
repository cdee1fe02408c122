import { describe, expect, it } from 'vitest';
import type { Schema, Type } from 'avsc';
import { checkFullTransitive, readProblems } from './compatibility.js';
import { fingerprintHex, schemaFingerprint } from './fingerprint.js';
import { parseSchema } from './parse-schema.js';
import type { RegisteredSchema } from './registry.js';

const NS = 'vn.lgsp.raw.population';
const sexEnum = (symbols: string[], extra: object = {}) => ({ type: 'enum', name: 'Sex', symbols, ...extra });
const date = { type: 'int', logicalType: 'date' };
const base = [
  { name: 'personalId', type: 'string' },
  { name: 'birthDate', type: date },
  { name: 'sex', type: sexEnum(['M', 'F']) },
];

function record(fields: readonly object[]): Schema {
  return { type: 'record', name: 'Citizen', namespace: NS, fields } as Schema;
}

function versions(...schemas: Schema[]): RegisteredSchema[] {
  return schemas.map((schema, i) => {
    const type = parseSchema(schema);
    return { fullName: `${NS}.Citizen`, version: i + 1, fingerprint: fingerprintHex(schemaFingerprint(type)), type, source: `v${i + 1}` };
  });
}

function avscCanRead(writer: Type, reader: Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

/** Our verdict must agree with avsc's for every ordered pair. */
function expectAgreesWithAvsc(all: readonly RegisteredSchema[]): void {
  for (const writer of all) {
    for (const reader of all) {
      const ours = readProblems(writer.type, reader.type, { writer: 'w', reader: 'r', readerIsNewer: false }).length === 0;
      expect({ writer: writer.version, reader: reader.version, ours }).toEqual({
        writer: writer.version,
        reader: reader.version,
        ours: avscCanRead(writer.type, reader.type),
      });
    }
  }
}

const messages = (all: readonly RegisteredSchema[]) => checkFullTransitive(all).map((p) => p.message);

describe('full transitive compatibility', () => {
  it('passes an evolution that only adds optional fields with defaults and promotes types safely', () => {
    const all = versions(
      record(base),
      record([...base, { name: 'email', type: ['null', 'string'], default: null }]),
      record([...base, { name: 'email', type: ['null', 'string'], default: null }, { name: 'tags', type: { type: 'map', values: 'string' }, default: {} }]),
    );
    expect(messages(all)).toEqual([]);
    expectAgreesWithAvsc(all);
  });

  it('fails a field added without a default, saying which version cannot read which', () => {
    const all = versions(record(base), record([...base, { name: 'email', type: 'string' }]));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v1 → v2: v1 data cannot be read by v2: field "email" was added in v2 without a default. ` +
        'Fix: give "email" a default in v2, usually by making it optional: "type": ["null", <its type>], "default": null.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails a field removed while the old version has no default for it', () => {
    const all = versions(record([...base, { name: 'householdId', type: 'string' }]), record(base));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v2 → v1: v2 data cannot be read by v1: field "householdId" was removed in v2 but has no default in v1. ` +
        'Fix: keep "householdId" in v2, with its type, and go on filling it: a field can be removed only if every version that has it gives it a default, and v1 gives none.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails a type change, naming the field and both types', () => {
    const changed = base.map((f) => (f.name === 'birthDate' ? { name: 'birthDate', type: 'long' } : f));
    const all = versions(record(base), record(changed));
    // v1 → v2 is fine: a plain long reader sees the date's int, and int promotes to long.
    expect(messages(all)).toEqual([
      `${NS}.Citizen v2 → v1: field "birthDate" has type long in v2 but int (date) in v1 (long cannot be read as int (date)). ` +
        'Fix: v2 widens "birthDate" from int (date) to long, which v1 readers cannot read: keep int (date) in v2, or put the new type in a new field with a default and keep filling this one.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('allows int → long one way only', () => {
    const all = versions(record([{ name: 'n', type: 'int' }]), record([{ name: 'n', type: 'long' }]));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v2 → v1: field "n" has type long in v2 but int in v1 (long cannot be read as int). ` +
        'Fix: v2 widens "n" from int to long, which v1 readers cannot read: keep int in v2, or put the new type in a new field with a default and keep filling this one.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails a narrowed type, saying the newer version cannot hold the older data and what to keep', () => {
    const all = versions(record([{ name: 'n', type: 'double' }]), record([{ name: 'n', type: 'float' }]));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v1 → v2: field "n" has type double in v1 but float in v2 (double cannot be read as float). ` +
        'Fix: v2 narrows "n" from double to float, which cannot hold v1 data: keep double in v2, or put the new type in a new field with a default and keep filling this one.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails a type changed to an unrelated one, and a renamed named type without an alias', () => {
    const renamed = base.map((f) => (f.name === 'sex' ? { name: 'sex', type: { type: 'enum', name: 'Gender', symbols: ['M', 'F'] } } : f));
    const all = versions(record([...base, { name: 'code', type: 'string' }]), record([...renamed, { name: 'code', type: 'long' }]));
    expect(messages(all).filter((m) => m.startsWith(`${NS}.Citizen v1 → v2`))).toEqual([
      `${NS}.Citizen v1 → v2: field "sex" has type enum ${NS}.Sex in v1 but enum ${NS}.Gender in v2 (the names differ and the reader has no alias for the writer's name). ` +
        `Fix: keep the name ${NS}.Sex for "sex" in v2, or list it in the "aliases" of ${NS}.Gender there.`,
      `${NS}.Citizen v1 → v2: field "code" has type string in v1 but long in v2 (string cannot be read as long). ` +
        'Fix: v2 changes the type of "code": keep string in v2, or put the new type in a new field with a default and keep filling this one.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails a removed enum symbol when the enum has no default', () => {
    const removed = base.map((f) => (f.name === 'sex' ? { name: 'sex', type: sexEnum(['M']) } : f));
    const all = versions(record(base), record(removed));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v1 → v2: field "sex": enum ${NS}.Sex in v1 has symbol(s) "F" that v2 lacks, and v2 sets no enum default. ` +
        'Fix: keep "F" among the symbols of v2, or give v2\'s enum a "default" symbol to read unknown symbols as.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('fails an added enum symbol that an older version without an enum default cannot read', () => {
    const added = base.map((f) => (f.name === 'sex' ? { name: 'sex', type: sexEnum(['M', 'F', 'X']) } : f));
    const all = versions(record(base), record(added));
    expect(messages(all)).toEqual([
      `${NS}.Citizen v2 → v1: field "sex": enum ${NS}.Sex in v2 has symbol(s) "X" that v1 lacks, and v1 sets no enum default. ` +
        'Fix: v1 cannot read the new symbol(s) "X" and, released, cannot gain an enum default: leave them out of v2, or carry the new values in a new field with a default.',
    ]);
    expectAgreesWithAvsc(all);
  });

  it('accepts an added enum symbol when every version has an enum default', () => {
    const withDefault = (symbols: string[]) => base.map((f) => (f.name === 'sex' ? { name: 'sex', type: sexEnum(symbols, { default: 'U' }) } : f));
    const all = versions(record(withDefault(['M', 'F', 'U'])), record(withDefault(['M', 'F', 'X', 'U'])));
    expect(messages(all)).toEqual([]);
    expectAgreesWithAvsc(all);
  });

  it('checks union branches, nested records, arrays and maps by path', () => {
    const address = (communeType: unknown) => ({ type: 'record', name: 'Address', fields: [{ name: 'commune', type: communeType }] });
    const v1 = record([
      { name: 'deathDate', type: ['null', date], default: null },
      { name: 'addresses', type: { type: 'array', items: address('string') } },
      { name: 'scores', type: { type: 'map', values: 'int' } },
    ]);
    const v2 = record([
      { name: 'deathDate', type: ['null', date, 'string'], default: null },
      { name: 'addresses', type: { type: 'array', items: address('int') } },
      { name: 'scores', type: { type: 'map', values: 'double' } },
    ]);
    const all = versions(v1, v2);
    expect(checkFullTransitive(all).map((p) => [p.writerVersion, p.readerVersion, p.path])).toEqual([
      [1, 2, 'addresses[].commune'],
      [2, 1, 'deathDate'],
      [2, 1, 'addresses[].commune'],
      [2, 1, 'scores{}'],
    ]);
    expect(messages(all)[1]).toBe(
      `${NS}.Citizen v2 → v1: field "deathDate" has type union [null, int (date), string] in v2 but union [null, int (date)] in v1 (string cannot be read as union [null, int (date)]). ` +
        'Fix: v2 changes the type of "deathDate": keep union [null, int (date)] in v2, or put the new type in a new field with a default and keep filling this one.',
    );
    expectAgreesWithAvsc(all);
  });

  it('reads a renamed field through its alias', () => {
    const all = versions(
      record([{ name: 'pid', type: 'string' }]),
      record([{ name: 'personalId', type: 'string', aliases: ['pid'] }]),
    );
    expect(checkFullTransitive(all).filter((p) => p.writerVersion === 1)).toEqual([]);
    expectAgreesWithAvsc(all);
  });

  it('agrees with avsc on logical types: a date is not a timestamp, decimal scales must match', () => {
    const decimal = (precision: number, scale: number) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });
    const all = versions(
      record([{ name: 'd', type: date }, { name: 'area', type: decimal(10, 2) }]),
      record([{ name: 'd', type: 'int' }, { name: 'area', type: decimal(12, 2) }]),
      record([{ name: 'd', type: { type: 'long', logicalType: 'timestamp-millis' } }, { name: 'area', type: decimal(12, 3) }]),
    );
    expectAgreesWithAvsc(all);
    expect(messages(all).some((m) => m.includes('"d" has type int (date) in v1 but long (timestamp-millis) in v3'))).toBe(true);
  });
});
