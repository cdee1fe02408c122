import { describe, expect, it } from 'vitest';
import { field, rawRecord, writeSchemaDir } from '../../../test/harness/schema-dir.js';
import { schemasCheck, schemasList } from './schemas.js';

function run(command: typeof schemasCheck, dir: string): { code: number; out: string } {
  const lines: string[] = [];
  const code = command({ dir, write: (line) => lines.push(line) });
  return { code, out: lines.join('\n') };
}

const v1 = rawRecord('population', 'Citizen', [field('personalId', 'string')]);
const v2 = rawRecord('population', 'Citizen', [field('personalId', 'string'), field('email', ['null', 'string'], { default: null })]);

describe('lgsp schemas check', () => {
  it('passes compatible versions', () => {
    const dir = writeSchemaDir({ 'raw/population/Citizen.v1.avsc': v1, 'raw/population/Citizen.v2.avsc': v2 });
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(0);
    expect(out).toContain('vn.lgsp.raw.population.Citizen (v1, v2): OK');
  });

  it('exits 1 and gives the reason for an incompatible pair', () => {
    const v3 = rawRecord('population', 'Citizen', [field('personalId', 'long')]);
    const dir = writeSchemaDir({ 'raw/population/Citizen.v1.avsc': v1, 'raw/population/Citizen.v2.avsc': v3 });
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(1);
    expect(out).toContain(
      'vn.lgsp.raw.population.Citizen v2 → v1: field "personalId" has type long in v2 but string in v1 (long cannot be read as string)',
    );
  });

  it('exits 1 for a file that does not parse, a field without doc, or a broken convention', () => {
    const undocumented = rawRecord('population', 'Household', [{ name: 'householdId', type: 'string' }]);
    const dir = writeSchemaDir({
      'raw/population/Citizen.v1.avsc': v1,
      'raw/population/Household.v1.avsc': undocumented,
      'raw/land/Parcel.v1.avsc': '{"type": "record", "name": "Parcel", "fields": [{"name": "x", "type": "nope"}]}',
      'raw/population/Person.v1.avsc': v1,
      'canonical/Citizen.avsc': v1,
    });
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(1);
    expect(out).toContain('raw/population/Household.v1.avsc: field "householdId" has no doc');
    expect(out).toContain('raw/land/Parcel.v1.avsc: not a valid Avro schema: undefined type name: nope');
    expect(out).toContain('raw/population/Person.v1.avsc: record is named Citizen but the file says Person');
    expect(out).toContain('canonical/Citizen.avsc: file name must be <Name>.v<N>.avsc');
  });
});

describe('lgsp schemas list', () => {
  it('lists each version with its fingerprint', () => {
    const dir = writeSchemaDir({ 'raw/population/Citizen.v1.avsc': v1, 'raw/population/Citizen.v2.avsc': v2 });
    const { code, out } = run(schemasList, dir);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^vn\.lgsp\.raw\.population\.Citizen\tv1\t[0-9a-f]{16}\traw\/population\/Citizen\.v1\.avsc$/),
      expect.stringMatching(/^vn\.lgsp\.raw\.population\.Citizen\tv2\t[0-9a-f]{16}\traw\/population\/Citizen\.v2\.avsc$/),
    ]);
  });
});
