import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalSchemaFiles } from './canonical-schemas.js';

describe('canonical schemas', () => {
  const dir = new URL('../schemas/canonical/', import.meta.url);

  it('match the table targets of the pipelines (regenerate with npx tsx pipelines/canonical-schemas.ts)', () => {
    const expected = canonicalSchemaFiles();
    expect(readdirSync(dir).sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect(readFileSync(new URL(name, dir), 'utf8'), name).toBe(text);
  });
});
