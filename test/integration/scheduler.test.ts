import { describe, expect, it } from 'vitest';
import { startRun } from '../../app/batch/runs.js';
import { startScheduler, type TickOutcome } from '../../app/schedule/scheduler.js';
import { silentLogger } from '../../src/logger.js';
import { useDeployment } from '../harness/deployment.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the scheduler', () => {
  const t = useDeployment({ runtime: false });

  /** A stand-in for the nightly run that records itself in meta.runs and takes a while. */
  function fakeRun(ranBy: string, calls: string[]) {
    return async (): Promise<{ runId: number }> => {
      calls.push(ranBy);
      const runId = await startRun(await t.db(), 'run', `test:${ranBy}`);
      await sleep(200);
      return { runId };
    };
  }

  it('runs each tick exactly once when two schedulers share one database', async () => {
    const stop = new AbortController();
    const calls: string[] = [];
    const outcomes: TickOutcome[] = [];
    const common = {
      databaseUrl: t.settings.DATABASE_URL,
      cron: '* * * * * *',
      timezone: 'Asia/Ho_Chi_Minh',
      catchUp: 'none' as const,
      name: 'every-second',
      logger: silentLogger(),
      signal: stop.signal,
      onTick: (o: TickOutcome) => outcomes.push(o),
    };
    const a = await startScheduler({ ...common, run: fakeRun('a', calls) });
    const b = await startScheduler({ ...common, run: fakeRun('b', calls) });
    await sleep(4_200);
    stop.abort();
    await Promise.all([a.stopped, b.stopped]);

    const ran = outcomes.filter((o) => o.status === 'succeeded');
    const ticks = new Set(outcomes.map((o) => o.tickAt.getTime()));
    expect(ticks.size).toBeGreaterThanOrEqual(3);
    // Every tick was seen by both schedulers, and run by exactly one of them.
    for (const t of ticks) {
      expect(ran.filter((o) => o.tickAt.getTime() === t), new Date(t).toISOString()).toHaveLength(1);
    }
    expect(calls).toHaveLength(ran.length);
    const [rows] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM meta.schedule_ticks WHERE schedule = 'every-second' AND status = 'succeeded'`);
    expect(rows?.n).toBe(ran.length);
  });

  it('catches up once on nights missed while down, or once per night when asked', async () => {
    // 01:00 in Hồ Chí Minh City is 18:00 UTC: the latest scheduled night, and the one three nights before it.
    const latest = new Date();
    latest.setUTCHours(18, 0, 0, 0);
    if (latest.getTime() > Date.now()) latest.setUTCDate(latest.getUTCDate() - 1);
    const threeNightsAgo = new Date(latest.getTime() - 3 * 86_400_000);
    for (const [name, policy, expected] of [
      ['nightly-once', 'once', 1],
      ['nightly-all', 'all', 3],
      ['nightly-none', 'none', 0],
    ] as const) {
      // The last night this schedule ran was three nights before the latest one: three were missed.
      await t.query(`INSERT INTO meta.schedule_ticks (schedule, tick_at, host, pid, status) VALUES ($1, $2, 'test', 1, 'succeeded')`, [name, threeNightsAgo]);
      const stop = new AbortController();
      const calls: string[] = [];
      const outcomes: TickOutcome[] = [];
      const s = await startScheduler({
        databaseUrl: t.settings.DATABASE_URL,
        cron: '0 1 * * *',
        timezone: 'Asia/Ho_Chi_Minh',
        catchUp: policy,
        name,
        logger: silentLogger(),
        signal: stop.signal,
        run: fakeRun(name, calls),
        onTick: (o) => outcomes.push(o),
      });
      await sleep(expected * 300 + 500);
      stop.abort();
      await s.stopped;
      expect(calls, policy).toHaveLength(expected);
      expect(outcomes.every((o) => o.catchUp && o.status === 'succeeded')).toBe(true);
      if (expected > 0) {
        // A catch-up tick is the scheduled night it stands for (01:00 in Hồ Chí Minh City = 18:00 UTC).
        expect(outcomes.every((o) => o.tickAt.getUTCHours() === 18 && o.tickAt.getUTCMinutes() === 0)).toBe(true);
      }
    }
  });

  it('refuses an invalid cron expression, naming the setting', async () => {
    await expect(
      startScheduler({
        databaseUrl: t.settings.DATABASE_URL,
        cron: '61 * * * *',
        timezone: 'Asia/Ho_Chi_Minh',
        catchUp: 'none',
        name: 'bad',
        logger: silentLogger(),
        signal: new AbortController().signal,
        run: () => Promise.resolve({ runId: 0 }),
      }),
    ).rejects.toThrow(/^--cron: "61 \* \* \* \*" is not a valid cron expression/);
  });
});
