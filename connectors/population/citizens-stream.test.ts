import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/avro/catalogue.js';
import { toRecord } from '../../src/connect/paged-stream.js';
import { POPULATION_ENDPOINTS } from '../../simulator/mocks/population.js';
import { createWorld } from '../../simulator/world/index.js';
import { malformed, problemsOf } from '../../test/harness/malformations.js';
import { citizensStream } from './citizens-stream.js';

const stream = citizensStream(100);
const bodies = [...createWorld({ seed: 11, scale: 0.001 }).citizens()]
  .filter((c) => c.deleted !== true)
  .map(({ deleted: _deleted, ...body }) => body) as unknown as Record<string, unknown>[];
const endpoint = POPULATION_ENDPOINTS[0];
/** Bodies of a population database that serves vneidLevel (the world past its change day). */
const withLevel = [...createWorld({ seed: 11, scale: 0.001, asOf: '2026-01-10', vneidFrom: '2026-01-05' }).citizens()]
  .filter((c) => c.deleted !== true)
  .map(({ deleted: _deleted, ...body }) => body) as unknown as Record<string, unknown>[];
const catalogue = loadCatalogue();

describe('citizens stream check', () => {
  it('passes every citizen of a generated world', () => {
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) expect(problemsOf(stream, body), String(body['personalId'])).toEqual([]);
  });

  it('writes what the source serves without vneidLevel with raw v1, and with it with raw v2: each valid in its version', () => {
    for (const [served, version] of [[bodies, 1], [withLevel, 2]] as const) {
      expect(served.length).toBeGreaterThan(100);
      for (const body of served) {
        const record = toRecord(stream, { ...body, updatedAt: String(body['updatedAt']) });
        expect(record.valueSchemaVersion).toBe(version);
        expect(catalogue.validate(stream.valueSchema, record.value, version), String(body['personalId'])).toEqual([]);
      }
    }
    const levels = new Set(withLevel.map((body) => stream.toValue(body)['vneidLevel']));
    expect([...levels].sort()).toEqual([1, 2, null]);
    // A v2 value would not fit v1: the version must follow the value.
    const first = withLevel.find((body) => body['vneidLevel'] === 2) ?? {};
    expect(catalogue.validate(stream.valueSchema, stream.toValue(first), 1)).toEqual(['(value): field(s) not in the schema: vneidLevel']);
  });

  it('catches a vneidLevel outside 1, 2 and null, naming the field', () => {
    expect(problemsOf(stream, { ...(withLevel[0] ?? {}), vneidLevel: 3 })).toEqual(['vneidLevel: must be 1, 2 or null, not 3']);
  });

  it.each(endpoint === undefined ? [] : malformed(endpoint, bodies[0] ?? {}))('catches %s, naming the field', (kind, body) => {
    const field = { 'bad-checksum': 'personalId', 'impossible-date': 'birthDate', 'missing-field': 'fullName', 'oversized-string': 'fullName' }[kind];
    const problems = problemsOf(stream, body);
    expect(problems.some((p) => p.startsWith(`${field}:`)), problems.join('; ')).toBe(true);
  });
});
