import { describe, expect, it } from 'vitest';
import { BUSINESS_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { createWorld } from '../../simulator/world/index.js';
import { malformed, problemsOf } from '../../test/harness/malformations.js';
import { enterprisesStream } from './enterprises-stream.js';

const stream = enterprisesStream({ pageSize: 100, windowDays: 5, snapshotFrom: '1990-01-01T00:00:00.000Z', lookahead: 1 });
const world = createWorld({ seed: 11, scale: 0.01 });
const bodies = [...world.businesses()] as unknown as Record<string, unknown>[];
const endpoint = BUSINESS_ENDPOINTS[0];

describe('enterprises stream check', () => {
  it('passes every enterprise of a generated world', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) expect(problemsOf(stream, body), String(body['enterpriseCode'])).toEqual([]);
  });

  it.each(endpoint === undefined ? [] : malformed(endpoint, bodies[0] ?? {}))('catches %s, naming the field', (kind, body) => {
    const field = { 'bad-checksum': 'enterpriseCode', 'impossible-date': 'registrationDate', 'missing-field': 'name', 'oversized-string': 'name' }[kind];
    const problems = problemsOf(stream, body);
    expect(problems.some((p) => p.startsWith(`${field}:`)), problems.join('; ')).toBe(true);
  });

  it('catches a dissolution before registration and a dissolved status without a date', () => {
    const body = bodies[0] ?? {};
    expect(problemsOf(stream, { ...body, status: 'dissolved', dissolutionDate: '1980-01-01' })).toEqual([
      expect.stringMatching(/^dissolutionDate: 1980-01-01 is before registrationDate/),
    ]);
    expect(problemsOf(stream, { ...body, status: 'dissolved', dissolutionDate: null })).toEqual([expect.stringMatching(/^dissolutionDate: must be set/)]);
  });
});
