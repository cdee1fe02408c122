import { describe, expect, it } from 'vitest';
import { POPULATION_ENDPOINTS } from '../../simulator/mocks/population.js';
import { createWorld } from '../../simulator/world/index.js';
import { malformed, problemsOf } from '../../test/harness/malformations.js';
import { citizensStream } from './citizens-stream.js';

const stream = citizensStream(100);
const bodies = [...createWorld({ seed: 11, scale: 0.001 }).citizens()]
  .filter((c) => c.deleted !== true)
  .map(({ deleted: _deleted, ...body }) => body) as unknown as Record<string, unknown>[];
const endpoint = POPULATION_ENDPOINTS[0];

describe('citizens stream check', () => {
  it('passes every citizen of a generated world', () => {
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) expect(problemsOf(stream, body), String(body['personalId'])).toEqual([]);
  });

  it.each(endpoint === undefined ? [] : malformed(endpoint, bodies[0] ?? {}))('catches %s, naming the field', (kind, body) => {
    const field = { 'bad-checksum': 'personalId', 'impossible-date': 'birthDate', 'missing-field': 'fullName', 'oversized-string': 'fullName' }[kind];
    const problems = problemsOf(stream, body);
    expect(problems.some((p) => p.startsWith(`${field}:`)), problems.join('; ')).toBe(true);
  });
});
