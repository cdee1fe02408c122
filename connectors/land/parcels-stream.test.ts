import { describe, expect, it } from 'vitest';
import { LAND_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { parcelId } from '../../simulator/store/national-records.js';
import { createWorld } from '../../simulator/world/index.js';
import { malformed, problemsOf } from '../../test/harness/malformations.js';
import { parcelsStream } from './parcels-stream.js';

const stream = parcelsStream(100);
const world = createWorld({ seed: 11, scale: 0.002 });
// As the land store serves them: with the parcel key.
const bodies = [...world.landParcels()].map((p) => ({ parcelId: parcelId(p), ...p })) as unknown as Record<string, unknown>[];
const endpoint = LAND_ENDPOINTS[0];

describe('parcels stream check', () => {
  it('passes every parcel of a generated world', () => {
    expect(bodies.length).toBeGreaterThan(100);
    for (const body of bodies) expect(problemsOf(stream, body), String(body['parcelId'])).toEqual([]);
  });

  it.each(endpoint === undefined ? [] : malformed(endpoint, bodies[0] ?? {}))('catches %s, naming the field', (kind, body) => {
    const field = { 'bad-checksum': 'communeCode', 'impossible-date': 'owners.0.from', 'missing-field': 'area', 'oversized-string': 'certificateSerial' }[kind];
    const problems = problemsOf(stream, body);
    expect(problems.some((p) => p.startsWith(`${field}:`)), problems.join('; ')).toBe(true);
  });

  it('catches an owner whose period ends before it starts', () => {
    const body = { ...bodies[0], owners: [{ holderKind: 'citizen', holderId: '084089867400', from: '2020-05-01', to: '2020-01-01' }] };
    expect(problemsOf(stream, body)).toEqual([expect.stringMatching(/^owners\.0\.to: 2020-01-01 is before owners\.0\.from/)]);
  });
});
