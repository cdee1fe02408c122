import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CITIZEN_TABLE } from './population/citizen-transform.js';
import { ADDED_COLUMNS, canonicalSchema, canonicalSchemaFiles } from './canonical-schemas.js';

describe('canonical schemas', () => {
  const dir = new URL('../schemas/canonical/', import.meta.url);

  it('match the table targets of the pipelines (regenerate with npx tsx pipelines/canonical-schemas.ts)', () => {
    const expected = canonicalSchemaFiles();
    expect(readdirSync(dir).sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(new URL(name, dir), 'utf8'), name).toBe(text);
  });

  it('generate each earlier version without the columns later versions added, so a released file never changes', () => {
    const fields = (version: number): string[] => (canonicalSchema(CITIZEN_TABLE, '', version)['fields'] as { name: string }[]).map((f) => f.name);
    expect(ADDED_COLUMNS['core.citizen']).toEqual([['vneid_level']]);
    expect(fields(2)).toEqual(CITIZEN_TABLE.columns.map((c) => c.name));
    expect(fields(1)).toEqual(fields(2).filter((name) => name !== 'vneid_level'));
    expect(canonicalSchema(CITIZEN_TABLE)).toEqual(canonicalSchema(CITIZEN_TABLE, '', 2));
  });

  it('refuse an added column that is not a nullable column of the target', () => {
    const required = { ...CITIZEN_TABLE, columns: CITIZEN_TABLE.columns.map((c) => (c.name === 'vneid_level' ? { ...c, nullable: false } : c)) };
    expect(() => canonicalSchema(required)).toThrow('core.citizen.vneid_level: a column added by a later canonical version must be a nullable column of the target');
  });
});
