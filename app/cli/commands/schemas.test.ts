import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSchemaDir } from '../../../src/avro/catalogue.js';
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

interface SchemaJson {
  readonly fields: readonly { name: string; type: unknown }[];
}

/** The repository's schemas with a candidate v3 of the raw citizen, made from its v2 by `change`. */
function withCitizenV3(change: (v2: SchemaJson) => SchemaJson): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-schemas-'));
  cpSync(defaultSchemaDir(), dir, { recursive: true });
  const v2 = JSON.parse(readFileSync(join(dir, 'raw/population/Citizen.v2.avsc'), 'utf8')) as SchemaJson;
  writeFileSync(join(dir, 'raw/population/Citizen.v3.avsc'), JSON.stringify(change(v2), null, 2));
  return dir;
}

const CITIZEN = 'vn.lgsp.raw.population.Citizen';

describe('lgsp schemas check on the repository\'s contracts', () => {
  it('passes the schemas as they are', () => {
    const { code, out } = run(schemasCheck, defaultSchemaDir());
    expect(code, out).toBe(0);
    expect(out).toContain(`${CITIZEN} (v1, v2): OK`);
  });

  it('refuses a candidate that removes a field without a default, saying to keep it', () => {
    const dir = withCitizenV3((v2) => ({ ...v2, fields: v2.fields.filter((f) => f.name !== 'householdId') }));
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(1);
    expect(out.split('\n')).toContain(
      `  ${CITIZEN} v3 → v2: v3 data cannot be read by v2: field "householdId" was removed in v3 but has no default in v2. ` +
        'Fix: keep "householdId" in v3, with its type, and go on filling it: a field can be removed only if every version that has it gives it a default, and v2 gives none.',
    );
    expect(out).toContain(`${CITIZEN} (v1, v2, v3): 2 incompatible`);
  });

  it('refuses a candidate that narrows a type, saying which type to keep', () => {
    // The citizen has no number to narrow: an optional area, double in v1, float in v2.
    const area = (type: string) => field('areaM2', ['null', type], { default: null });
    const dir = writeSchemaDir({
      'raw/population/Citizen.v1.avsc': rawRecord('population', 'Citizen', [field('personalId', 'string'), area('double')]),
      'raw/population/Citizen.v2.avsc': rawRecord('population', 'Citizen', [field('personalId', 'string'), area('float')]),
    });
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(1);
    expect(out.split('\n')).toEqual([
      `${CITIZEN} (v1, v2): 1 incompatible`,
      `  ${CITIZEN} v1 → v2: field "areaM2" has type union [null, double] in v1 but union [null, float] in v2 (double cannot be read as union [null, float]). ` +
        'Fix: v2 narrows "areaM2" from union [null, double] to union [null, float], which cannot hold v1 data: keep union [null, double] in v2, or put the new type in a new field with a default and keep filling this one.',
      `1 schema(s), 2 version(s), 1 problem(s) in ${dir}`,
    ]);
  });

  it('refuses a candidate that removes an enum symbol, saying to keep it or give the enum a default', () => {
    const dir = withCitizenV3((v2) => ({
      ...v2,
      fields: v2.fields.map((f) => (f.name === 'sex' ? { ...f, type: { ...(f.type as object), symbols: ['M'] } } : f)),
    }));
    const { code, out } = run(schemasCheck, dir);
    expect(code).toBe(1);
    expect(out.split('\n')).toContain(
      `  ${CITIZEN} v2 → v3: field "sex": enum ${CITIZEN.replace('Citizen', 'Sex')} in v2 has symbol(s) "F" that v3 lacks, and v3 sets no enum default. ` +
        'Fix: keep "F" among the symbols of v3, or give v3\'s enum a "default" symbol to read unknown symbols as.',
    );
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
