import { describe, expect, it } from 'vitest';
import type { Reconciliation } from '../../app/admin/reconcile.js';
import { startCli } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

/**
 * `lgsp reconcile` as an operator uses it after a night: every count of a clean night adds up
 * (stage by stage and against the rows in core), the run's own result says so, and a warehouse
 * that lost a row or miscounted a reject shows a line naming where, with exit 1.
 */
describe('lgsp reconcile', () => {
  const t = useDeployment({ world: { seed: 23, scale: 0.002 }, runtime: false });

  async function reconcileJson(...args: string[]): Promise<{ code: number | null; result: Reconciliation }> {
    const out = await startCli(['reconcile', '--json', ...args], t.cliEnv()).done;
    expect(out.stderr).toBe('');
    return { code: out.code, result: JSON.parse(out.stdout) as Reconciliation };
  }

  it('adds up a clean night, and names what no longer adds up once the warehouse lost a row or a reject', async () => {
    const night = await startCli(['run', '--sources', 'population,onestop', '--pipelines', 'population,onestop'], t.cliEnv()).done;
    expect(night.stderr).toBe('');
    expect(night.code).toBe(0);
    expect(night.stdout).toMatch(/Reconciliation: (\d+) of \1 checks add up, 0 do not/);

    const clean = await reconcileJson();
    expect(clean.code).toBe(0);
    const r = clean.result;
    expect(r.kind).toBe('run');
    expect(r.unexplained).toBe(0);
    expect(r.lines.filter((l) => l.status !== 'ok')).toEqual([]);
    // Every stage is there: each stream extracted, each topic loaded, each core table balanced.
    expect(r.extract.map((e) => `${e.connector}.${e.stream}`)).toEqual(expect.arrayContaining(['population.citizens', 'onestop.dossiers']));
    const citizens = r.load.find((l) => l.topic.endsWith('raw.population.citizen.v1'));
    expect(citizens?.consumed).toBeGreaterThan(1000);
    const table = r.tables.find((x) => x.table === 'core.citizen');
    const [held] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.citizen`);
    expect(table).toEqual({ table: 'core.citizen', rows: held?.n, counted: held?.n });

    // The next night carries a delete: the source cancels a citizen (a tombstone), the load marks
    // the row deleted and keeps it, and the table still balances.
    await t.queryStore(
      `UPDATE population.records SET deleted_at = m.at, updated_at = m.at,
         body = jsonb_set(body, '{updatedAt}', to_jsonb(to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
       FROM (SELECT max(updated_at) + interval '1 second' AS at FROM population.records WHERE entity = 'citizen') m
       WHERE entity = 'citizen' AND id = (SELECT min(id) FROM population.records WHERE entity = 'citizen' AND deleted_at IS NULL)`,
    );
    const next = await startCli(['run', '--sources', 'population', '--pipelines', 'population'], t.cliEnv()).done;
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    const afterDelete = await reconcileJson();
    expect(afterDelete.result.lines.filter((l) => l.status !== 'ok')).toEqual([]);
    const [marked] = await t.query<{ n: number; d: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS d FROM core.citizen`);
    expect(marked).toEqual({ n: held?.n, d: 1 });
    expect(afterDelete.result.load.find((l) => l.topic.endsWith('raw.population.citizen.v1'))?.deleted).toBe(1);
    const [stored] = await t.query<{ unexplained: number; checks: number }>(
      `SELECT (figures->'reconciliation'->>'unexplained')::int AS unexplained, (figures->'reconciliation'->>'checks')::int AS checks FROM meta.runs WHERE run_id = $1`,
      [r.runId],
    );
    expect(stored).toEqual({ unexplained: 0, checks: r.lines.length });

    // A row gone from core behind the pipelines' back, and a reject counted but never recorded.
    await t.query(`DELETE FROM core.citizen WHERE personal_id = (SELECT min(personal_id) FROM core.citizen WHERE deleted_at IS NULL)`);
    await t.query(
      `UPDATE meta.load_counts SET rejected = rejected + 1, consumed = consumed + 1
       WHERE (run_id, partition) = (SELECT run_id, min(partition) FROM meta.load_counts WHERE pipeline = 'onestop' AND topic LIKE '%raw.onestop.dossier.v1' GROUP BY run_id LIMIT 1)
         AND pipeline = 'onestop' AND topic LIKE '%raw.onestop.dossier.v1'`,
    );
    const broken = await reconcileJson('--run', String(r.runId));
    expect(broken.code).toBe(1);
    const flagged = broken.result.lines.filter((l) => l.status === 'unexplained');
    expect(flagged).toEqual([
      { status: 'unexplained', subject: expect.stringMatching(/^load onestop .*raw\.onestop\.dossier\.v1$/) as unknown, text: expect.stringMatching(/^1 rejected, but meta\.rejected_records holds 0/) as unknown },
      { status: 'unexplained', subject: 'table core.citizen', text: `${(held?.n ?? 0) - 1} rows (1 marked deleted), but every counted load inserted ${held?.n} (-1 unaccounted for)` },
    ]);

    const text = await startCli(['reconcile'], t.cliEnv()).done;
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/DOES NOT ADD UP\s+table core\.citizen/);
  });
});
