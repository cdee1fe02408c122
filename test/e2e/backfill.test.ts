import { describe, expect, it } from 'vitest';
import { backfill } from '../../app/batch/backfill.js';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { useDeployment } from '../harness/deployment.js';
import { tableFingerprint } from '../harness/fingerprint.js';

describe('lgsp backfill', () => {
  const t = useDeployment({ world: { seed: 9, scale: 0.002 } });
  const window = { from: new Date('2024-01-01T00:00:00+07:00'), to: new Date('2025-07-01T00:00:00+07:00') };
  const citizens = async (): Promise<unknown> => tableFingerprint(await t.db(), 'core.citizen', 'personal_id');

  it('re-reads exactly the window, changes nothing in the warehouse, and leaves the connector offsets alone — twice', async () => {
    const { runtime, overrides } = t;
    await extract(runtime, ['population'], { overrides });
    await load(runtime, ['population']);
    const [inWindow] = await t.queryStore<{ n: number }>(
      `SELECT count(*)::int AS n FROM population.records WHERE entity = 'citizen' AND updated_at >= $1 AND updated_at < $2`,
      [window.from, window.to],
    );
    const expected = inWindow?.n ?? 0;
    expect(expected).toBeGreaterThan(50);

    const before = await citizens();
    for (let i = 0; i < 2; i += 1) {
      const result = await backfill(runtime, 'population', window, { overrides });
      expect(result.extracted[0]?.read).toBe(expected);
      expect(result.loaded[0]?.consumed).toBe(expected);
      expect(result.loaded[0]).toMatchObject({ loaded: 0, updated: 0, deleted: 0, rejected: 0 });
      expect(await citizens()).toEqual(before);
    }
    // The nightly connector's offsets did not move: it has nothing new to read.
    const [again] = await extract(runtime, ['population'], { overrides });
    expect(again?.read).toBe(0);
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(backfill(t.runtime, 'population', { from: window.to, to: window.from })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
