import { describe, expect, it } from 'vitest';
import { createWorld, endOfDay, type World } from './index.js';

/**
 * The property `advance(days)` relies on: moving asOf on changes a record only by moving its
 * updatedAt past the old asOf. So world(A) and world(B), A < B, agree on every record B has not
 * updated after A; nothing A has disappears from B; nothing is updated after its world's asOf.
 */
const SEED = 11;
const SCALE = 0.01;

interface Keyed {
  readonly key: string;
  readonly updatedAt: string;
  readonly json: string;
}

function records(world: World): Map<string, Keyed> {
  const all = new Map<string, Keyed>();
  const add = (kind: string, id: string, updatedAt: string, value: unknown): void => {
    all.set(`${kind}:${id}`, { key: `${kind}:${id}`, updatedAt, json: JSON.stringify(value) });
  };
  for (const c of world.citizens()) add('citizen', c.personalId, c.updatedAt, c);
  for (const b of world.businesses()) add('business', b.enterpriseCode, b.updatedAt, b);
  for (const p of world.insuranceParticipants()) add('participant', p.insuranceCode, p.updatedAt, p);
  for (const p of world.landParcels()) add('parcel', `${p.communeCode}-${p.mapSheet}-${p.parcelNumber}`, p.updatedAt, p);
  for (const d of world.dossiers()) add('dossier', d.dossier.dossierCode, d.dossier.updatedAt, d);
  return all;
}

/** Kinds of change between two worlds, counted by what changed in the record. */
function changes(before: Map<string, Keyed>, after: Map<string, Keyed>): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (kind: string): void => void (counts[kind] = (counts[kind] ?? 0) + 1);
  for (const [key, now] of after) {
    const kind = key.slice(0, key.indexOf(':'));
    const was = before.get(key);
    if (was === undefined) bump(`${kind}:new`);
    else if (was.json !== now.json) {
      bump(`${kind}:updated`);
      const [a, b] = [JSON.parse(was.json) as Record<string, unknown>, JSON.parse(now.json) as Record<string, unknown>];
      if (kind === 'citizen' && a['fullName'] !== b['fullName']) bump('citizen:corrected');
      if (kind === 'citizen' && a['deathDate'] === null && b['deathDate'] !== null) bump('citizen:died');
      if (kind === 'citizen' && a['deleted'] !== true && b['deleted'] === true) bump('citizen:deleted');
      if (kind === 'business' && a['status'] !== 'dissolved' && b['status'] === 'dissolved') bump('business:dissolved');
    }
  }
  return counts;
}

describe('world: time moves on', () => {
  const asOfs = ['2024-03-14', '2024-03-15', '2024-03-22', '2025-06-30', '2025-07-01'] as const;
  const worlds = new Map(asOfs.map((asOf) => [asOf, records(createWorld({ seed: SEED, scale: SCALE, asOf }))]));
  const get = (asOf: (typeof asOfs)[number]): Map<string, Keyed> => worlds.get(asOf) ?? new Map<string, Keyed>();

  it('never shows a record updated after the end of its asOf day', () => {
    for (const asOf of asOfs) {
      const end = endOfDay(asOf);
      const late = [...get(asOf).values()].filter((r) => r.updatedAt > end);
      expect(late.map((r) => `${r.key} ${r.updatedAt}`)).toEqual([]);
    }
  });

  it('changes a record between two asOfs only by moving its updatedAt past the earlier one', () => {
    for (const [a, b] of [['2024-03-14', '2024-03-15'], ['2024-03-15', '2024-03-22'], ['2025-06-30', '2025-07-01']] as const) {
      const [before, after] = [get(a), get(b)];
      const end = endOfDay(a);
      const missing = [...before.keys()].filter((key) => !after.has(key));
      expect(missing).toEqual([]);
      const silent = [...after.values()].filter((r) => r.updatedAt <= end && before.get(r.key)?.json !== r.json).map((r) => r.key);
      expect(silent).toEqual([]);
      const touched = [...after.values()].filter((r) => r.updatedAt > end);
      expect(touched.length).toBeGreaterThan(0);
    }
  });

  it('finds every dossier changed after a date among dossiersChangingAfter(date)', () => {
    const after = endOfDay('2025-06-30');
    const world = createWorld({ seed: SEED, scale: SCALE, asOf: '2025-07-01' });
    const recent = new Set([...world.dossiersChangingAfter('2025-06-30')].map((d) => d.dossier.dossierCode));
    const changed = [...world.dossiers()].filter((d) => d.dossier.updatedAt > after);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.filter((d) => !recent.has(d.dossier.dossierCode))).toEqual([]);
    expect(recent.size).toBeLessThan(world.counts().dossiers / 10);
  });

  // Generates seven worlds, two at scale 0.1: ~3 s alone, over vitest's 5 s default beside the integration tests on two cores.
  it('yields every kind of change: new, updated, corrected, deaths, dissolutions, deletions', { timeout: 60_000 }, () => {
    // Scale 0.01 has ~1/100 of the daily volume, so a week shows the frequent kinds and a quarter the rare ones.
    const week = changes(get('2024-03-15'), get('2024-03-22'));
    for (const kind of ['citizen:updated', 'dossier:new', 'dossier:updated', 'parcel:updated', 'participant:updated']) {
      expect(week[kind] ?? 0, kind).toBeGreaterThan(0);
    }
    const quarter = changes(records(createWorld({ seed: SEED, scale: SCALE, asOf: '2024-03-31' })), records(createWorld({ seed: SEED, scale: SCALE, asOf: '2024-06-30' })));
    for (const kind of ['citizen:new', 'citizen:corrected', 'citizen:died']) {
      expect(quarter[kind] ?? 0, kind).toBeGreaterThan(0);
    }
    // Cancelled duplicates (~1 a day at scale 1) and enterprises (~56 at this scale) are checked at a larger scale.
    const deleted = (asOf: string): number => [...createWorld({ seed: SEED, scale: 0.05, asOf }).citizens()].filter((c) => c.deleted === true).length;
    expect(deleted('2024-06-30')).toBeGreaterThan(deleted('2024-03-31'));
    // ~56 enterprises at this scale: registrations and dissolutions are checked at scale 0.1 (~3 a day at scale 1).
    const firms = (asOf: string): Map<string, string> => new Map([...createWorld({ seed: SEED, scale: 0.1, asOf }).businesses()].map((b) => [b.enterpriseCode, b.status]));
    const [before, after] = [firms('2024-03-31'), firms('2024-06-30')];
    expect([...after.keys()].filter((code) => !before.has(code)).length).toBeGreaterThan(0);
    expect([...after].filter(([code, status]) => status === 'dissolved' && before.get(code) !== 'dissolved').length).toBeGreaterThan(0);
  });
});
