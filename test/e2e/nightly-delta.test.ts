import { describe, expect, it } from 'vitest';
import { startCli } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';
import { factsAgainstFullBuild, NO_DIFFERENCES } from '../harness/mart-facts.js';

/** Where each stream's records live in the simulator's store. */
const STREAM_TABLES: Readonly<Record<string, { table: string; where?: string }>> = {
  'population.citizens': { table: 'population.records', where: `entity = 'citizen'` },
  'business.enterprises': { table: 'business.records', where: `entity = 'enterprise'` },
  'insurance.participants': { table: 'insurance.records', where: `entity = 'participant'` },
  'land.parcels': { table: 'land.records', where: `entity = 'parcel'` },
  'onestop.procedures': { table: 'onestop.procedure' },
  'onestop.agencies': { table: 'onestop.agency' },
  'onestop.dossiers': { table: 'onestop.dossier' },
  'onestop.dossier_components': { table: 'onestop.dossier_component' },
  'onestop.ratings': { table: 'onestop.rating' },
};

interface StepFigures {
  step: string;
  status: string;
  figures: { connector?: string; stream?: string; read?: number; pipeline?: string; consumed?: number; skipped?: number }[];
}

/**
 * The nightly run as an operator meets it: `lgsp run` on a freshly generated world loads it all;
 * after `lgsp mock advance --days 1`, the next `lgsp run` moves exactly what changed in the sources.
 */
describe('lgsp run, night after night', () => {
  const t = useDeployment({ world: { seed: 17, scale: 0.003 }, runtime: false });

  async function storeCounts(since: string | null): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [stream, { table, where }] of Object.entries(STREAM_TABLES)) {
      const conditions = [where, since === null ? undefined : `updated_at >= '${since}'`].filter((c) => c !== undefined);
      const [result] = await t.queryStore<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`);
      counts[stream] = result?.n ?? 0;
    }
    return counts;
  }

  async function lastRun(): Promise<{ status: string; steps: StepFigures[] }> {
    const [run] = await t.query<{ status: string; figures: { steps: StepFigures[] } }>(`SELECT status, figures FROM meta.runs WHERE kind = 'run' ORDER BY run_id DESC LIMIT 1`);
    return { status: run?.status ?? 'none', steps: run?.figures.steps ?? [] };
  }

  function readPerStream(steps: readonly StepFigures[]): Record<string, number> {
    const read: Record<string, number> = {};
    for (const s of steps.filter((x) => x.step.startsWith('extract:'))) for (const f of s.figures) read[`${f.connector}.${f.stream}`] = f.read ?? 0;
    return read;
  }

  function loadedMessages(steps: readonly StepFigures[]): number {
    return steps.filter((x) => x.step.startsWith('load:')).flatMap((s) => s.figures).reduce((n, f) => n + (f.consumed ?? 0) - (f.skipped ?? 0), 0);
  }

  it('loads the whole world, then after advance --days 1 exactly the delta; both runs recorded with matching figures', async () => {
    const db = await t.db();
    const first = await startCli(['run'], t.cliEnv()).done;
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const run1 = await lastRun();
    expect(run1.status).toBe('succeeded');
    const all = await storeCounts(null);
    expect(readPerStream(run1.steps)).toEqual(all);
    const total = Object.values(all).reduce((a, b) => a + b, 0);
    expect(loadedMessages(run1.steps)).toBe(total);

    const [stamp] = await t.queryStore<{ as_of: string }>(`SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of FROM sim.world`);
    const asOf = stamp?.as_of ?? '';
    const advanced = await startCli(['mock', 'advance', '--days', '1'], t.cliEnv()).done;
    expect(advanced.code).toBe(0);
    // What changed in the sources after the old asOf (the end of that local day, UTC+7).
    const changedSince = new Date(`${asOf}T00:00:00+07:00`);
    changedSince.setUTCDate(changedSince.getUTCDate() + 1);
    const delta = await storeCounts(changedSince.toISOString());
    expect(Object.values(delta).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const second = await startCli(['run'], t.cliEnv()).done;
    expect(second.code).toBe(0);
    const run2 = await lastRun();
    expect(run2.status).toBe('succeeded');
    expect(readPerStream(run2.steps)).toEqual(delta);
    expect(loadedMessages(run2.steps)).toBe(Object.values(delta).reduce((a, b) => a + b, 0));

    // The warehouse now holds the advanced world.
    const dossiers = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier`);
    expect(dossiers.rows[0]?.n).toBe((await storeCounts(null))['onestop.dossiers']);
    const runs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM meta.runs WHERE kind = 'run' AND status = 'succeeded'`);
    expect(runs.rows[0]?.n).toBe(2);

    // The first night built every fact; the second rebuilt only the dossiers the delta reached,
    // and the mart is what a build from scratch of the advanced warehouse gives.
    const marts = await db.query<{ facts: string; dossiers: number; counts: string; extended: number }>(
      `SELECT s -> 'figures' ->> 'facts' AS facts, (s -> 'figures' ->> 'dossiers')::int AS dossiers,
              s -> 'figures' ->> 'counts' AS counts, (s -> 'figures' ->> 'extended')::int AS extended
       FROM meta.runs r, jsonb_array_elements(r.figures -> 'steps') s WHERE r.kind = 'run' AND s ->> 'step' = 'refresh-mart' ORDER BY r.run_id`,
    );
    const liveDossiers = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier WHERE deleted_at IS NULL`);
    expect(marts.rows[0]).toMatchObject({ facts: 'full', counts: 'full' });
    // The new day moved the open windows (as_of follows the last receipt): those are counted on from their old end.
    expect(marts.rows[1]).toMatchObject({ facts: 'incremental', counts: 'incremental' });
    expect(marts.rows[1]?.extended).toBeGreaterThan(0);
    expect(marts.rows[1]?.dossiers).toBeGreaterThan(0);
    expect(marts.rows[1]?.dossiers).toBeLessThan(liveDossiers.rows[0]?.n ?? 0);
    expect(await factsAgainstFullBuild(db)).toEqual(NO_DIFFERENCES);
    // lgsp status tells the operator the same: the last refresh, and nothing loaded is waiting for the mart.
    const status = await startCli(['status', '--json'], t.cliEnv()).done;
    expect(status.code, status.stderr).toBe(0);
    const mart = (JSON.parse(status.stdout) as { mart: { lastRefresh: { facts: string; dossiers: number } | null; pendingChanges: number | null } }).mart;
    expect(mart).toEqual({ lastRefresh: expect.objectContaining({ facts: 'incremental', dossiers: marts.rows[1]?.dossiers }) as unknown, pendingChanges: 0 });
  });
});
