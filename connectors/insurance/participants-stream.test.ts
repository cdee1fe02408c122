import { describe, expect, it } from 'vitest';
import { INSURANCE_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { createWorld } from '../../simulator/world/index.js';
import { malformed, problemsOf } from '../../test/harness/malformations.js';
import { participantsStream } from './participants-stream.js';

const stream = participantsStream(100);
const world = createWorld({ seed: 11, scale: 0.002 });
const bodies = [...world.insuranceParticipants()] as unknown as Record<string, unknown>[];
const endpoint = INSURANCE_ENDPOINTS[0];

describe('participants stream check', () => {
  it('passes every participant of a generated world', () => {
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) expect(problemsOf(stream, body), String(body['insuranceCode'])).toEqual([]);
  });

  it.each(endpoint === undefined ? [] : malformed(endpoint, bodies[0] ?? {}))('catches %s, naming the field', (kind, body) => {
    const field = { 'bad-checksum': 'personalId', 'impossible-date': 'contributionPeriods.0.from', 'missing-field': 'personalId', 'oversized-string': 'healthCardNumber' }[kind];
    const problems = problemsOf(stream, body);
    expect(problems.some((p) => p.startsWith(`${field}:`)), problems.join('; ')).toBe(true);
  });

  it('catches periods that end before they start or overlap', () => {
    const body = { ...bodies[0], contributionPeriods: [{ from: '2020-05-01', to: '2020-01-01', employerCode: null }] };
    expect(problemsOf(stream, body)).toEqual([expect.stringMatching(/^contributionPeriods\.0\.to: 2020-01-01 is not after/)]);
    const overlapping = {
      ...bodies[0],
      contributionPeriods: [
        { from: '2020-01-01', to: '2021-01-01', employerCode: null },
        { from: '2020-06-01', to: null, employerCode: null },
      ],
    };
    expect(problemsOf(stream, overlapping)).toEqual([expect.stringMatching(/^contributionPeriods\.1\.from: 2020-06-01 is before/)]);
  });
});
