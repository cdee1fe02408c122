import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { addDays, computeTruth, createWorld, endOfDay, lookup, type Citizen } from './index.js';

const SEED = 11;
const SCALE = 0.003;
const CHANGE = '2026-01-05';

const citizensOf = (asOf: string, vneidFrom?: string): Citizen[] =>
  [...createWorld({ seed: SEED, scale: SCALE, asOf, ...(vneidFrom === undefined ? {} : { vneidFrom }) }).citizens()];

const ageOn = (c: Citizen, date: string): number => (Date.parse(date) - Date.parse(c.birthDate)) / (365.25 * 86_400_000);

describe('world: the population database starts recording e-identification (vneidFrom)', () => {
  const before = citizensOf(addDays(CHANGE, -1), CHANGE);
  const after = citizensOf(addDays(CHANGE, 10), CHANGE);
  const later = citizensOf(addDays(CHANGE, 40), CHANGE);

  it('changes nothing before the change day: records and ground truth are those of a world without the option', () => {
    const options = { seed: SEED, scale: SCALE, asOf: addDays(CHANGE, -1) };
    expect(JSON.stringify(before)).toBe(JSON.stringify(citizensOf(options.asOf)));
    expect(before.some((c) => 'vneidLevel' in c)).toBe(false);
    expect(computeTruth(createWorld({ ...options, vneidFrom: CHANGE }))).toEqual(computeTruth(createWorld(options)));
  });

  it('from the change day gives every citizen record a vneidLevel: 1, 2 or null, none under 14 or for a cancelled duplicate', () => {
    expect(after.every((c) => 'vneidLevel' in c && [null, 1, 2].includes(c.vneidLevel ?? null))).toBe(true);
    expect(after.filter((c) => c.vneidLevel !== null && ageOn(c, addDays(CHANGE, 10)) < 14)).toEqual([]);
    expect(after.filter((c) => c.deleted === true && c.vneidLevel !== null)).toEqual([]);
  });

  it('has shares of accounts like the national ones: about two in three of those aged 14+ verified (level 2) by 2026', () => {
    const adults = after.filter((c) => c.deleted !== true && c.deathDate === null && ageOn(c, CHANGE) >= 14);
    const share = (level: 1 | 2 | null): number => adults.filter((c) => c.vneidLevel === level).length / adults.length;
    expect(adults.length).toBeGreaterThan(2000);
    expect(share(2)).toBeGreaterThan(0.6);
    expect(share(2)).toBeLessThan(0.76);
    expect(share(1)).toBeGreaterThan(0.03);
    expect(share(1)).toBeLessThan(0.12);
  });

  it('dates the backfill: every account existing on the change day moves its record to that day, the others only gain a null', () => {
    const was = new Map(before.map((c) => [c.personalId, c]));
    const changeDayStart = endOfDay(addDays(CHANGE, -1));
    let backfilled = 0;
    for (const c of after) {
      const old = was.get(c.personalId);
      if (old === undefined || c.updatedAt > endOfDay(CHANGE)) continue; // new, or changed after the day
      if (c.vneidLevel !== null) {
        expect(c.updatedAt > changeDayStart, c.personalId).toBe(true);
        backfilled += 1;
      } else if (c.updatedAt <= changeDayStart) {
        // Unchanged but for the new field: the one change of a record that moves no updatedAt.
        expect(c, c.personalId).toEqual({ ...old, vneidLevel: null });
      }
    }
    expect(backfilled).toBeGreaterThan(after.length / 2);
  });

  it('after the change day, changes a record only by moving its updatedAt past the earlier asOf (activations included)', () => {
    const was = new Map(after.map((c) => [c.personalId, c]));
    const end = endOfDay(addDays(CHANGE, 10));
    const silent = later.filter((c) => c.updatedAt <= end && JSON.stringify(was.get(c.personalId)) !== JSON.stringify(c));
    expect(silent.map((c) => c.personalId)).toEqual([]);
    const activated = later.filter((c) => {
      const old = was.get(c.personalId);
      return old !== undefined && old.vneidLevel !== c.vneidLevel;
    });
    expect(activated.length).toBeGreaterThan(0);
    // An account only ever goes up: none → 1 → 2.
    expect(activated.filter((c) => (c.vneidLevel ?? 0) < (was.get(c.personalId)?.vneidLevel ?? 0))).toEqual([]);
    expect(activated.every((c) => c.updatedAt > end)).toBe(true);
  });

  it('answers a lookup by ID with the record the world yields', () => {
    const world = createWorld({ seed: SEED, scale: SCALE, asOf: addDays(CHANGE, 10), vneidFrom: CHANGE });
    const byId = lookup(world);
    for (const c of after.slice(0, 200)) expect(byId.citizen(c.personalId)).toEqual(c);
  });

  it('refuses a change day before VNeID accounts existed', () => {
    expect(() => createContext(SEED, SCALE, '2025-12-31', '2022-06-30')).toThrow(/on or after 2022-07-01/);
    expect(() => createWorld({ seed: SEED, scale: SCALE, vneidFrom: '2026-13-01' })).toThrow(/not a date/);
  });
});
