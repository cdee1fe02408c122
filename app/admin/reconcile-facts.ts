import type pg from 'pg';
import { LgspError } from '../../src/errors.js';
import type { StreamFigures } from '../../src/connect/source-runner.js';
import type { LoadFigures } from '../../src/sink/types.js';

/** One run of `meta.runs` that reconciliation looks at: a nightly run, or a load on its own. */
export interface RunFacts {
  readonly runId: number;
  readonly kind: string;
  readonly status: string;
  readonly error: string | null;
  /** What the run's extracts reported, per stream (a nightly run's `figures.steps`). */
  readonly extracted: readonly StreamFigures[];
  /** Steps (extract or load) that failed or were interrupted, with their error. */
  readonly failedSteps: readonly { readonly step: string; readonly status: string; readonly error: string | null }[];
  readonly loads: readonly LoadRunFacts[];
}

export interface LoadRunFacts {
  readonly runId: number;
  readonly pipeline: string;
  readonly status: string;
  readonly lag: number | null;
  /** meta.load_counts of the load, per topic (summed over partitions). */
  readonly counts: readonly TopicCounts[];
  /** meta.rejected_records of the load, per topic. */
  readonly rejectsRecorded: ReadonlyMap<string, number>;
}

export interface TopicCounts {
  readonly topic: string;
  readonly consumed: number;
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly skipped: number;
}

interface RunRow {
  run_id: string;
  kind: string;
  target: string;
  status: string;
  error: string | null;
  figures: { steps?: StepJson[] } & Partial<LoadFigures>;
}

interface StepJson {
  step: string;
  status: string;
  figures: unknown;
  error?: string;
}

/** The run to reconcile: the one asked for, else the latest nightly run (else the latest load). */
export async function latestRunId(db: pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ run_id: string }>(
    `SELECT run_id FROM meta.runs WHERE kind = 'run' OR (kind = 'load' AND parent_run_id IS NULL)
     ORDER BY (kind = 'run') DESC, run_id DESC LIMIT 1`,
  );
  const first = rows[0];
  if (first === undefined) throw new LgspError('RUN_NOT_FOUND', 'the warehouse has no run to reconcile', { hint: 'run `lgsp run` first' });
  return Number(first.run_id);
}

/** Reads what the warehouse recorded of a run and its loads. */
export async function readRunFacts(db: pg.ClientBase, runId: number): Promise<RunFacts> {
  const run = (await db.query<RunRow>(`SELECT run_id, kind, target, status, error, figures FROM meta.runs WHERE run_id = $1`, [runId])).rows[0];
  if (run === undefined) throw new LgspError('RUN_NOT_FOUND', `there is no run ${runId} in meta.runs`, { hint: '`lgsp status` lists the last runs' });
  if (run.kind !== 'run' && run.kind !== 'load') {
    throw new LgspError('RUN_NOT_RECONCILABLE', `run ${runId} is a ${run.kind}; reconcile a nightly run (lgsp run) or a load`, { hint: '`lgsp status` lists the last runs' });
  }
  const loadRows =
    run.kind === 'load'
      ? [run]
      : (await db.query<RunRow>(`SELECT run_id, kind, target, status, error, figures FROM meta.runs WHERE parent_run_id = $1 ORDER BY run_id`, [runId])).rows;
  const loadIds = loadRows.map((r) => Number(r.run_id));
  // One client runs one query at a time: in turn.
  const counts = await countsOf(db, loadIds);
  const rejects = await rejectsOf(db, loadIds);
  const steps = run.figures.steps ?? [];
  return {
    runId,
    kind: run.kind,
    status: run.status,
    error: run.error,
    extracted: steps.filter((s) => s.step.startsWith('extract:') && Array.isArray(s.figures)).flatMap((s) => s.figures as StreamFigures[]),
    failedSteps: steps.filter((s) => s.status !== 'succeeded').map((s) => ({ step: s.step, status: s.status, error: s.error ?? null })),
    loads: loadRows.map((r) => {
      const id = Number(r.run_id);
      return {
        runId: id,
        // A load's target is its pipeline.
        pipeline: r.target,
        status: r.status,
        lag: typeof r.figures.lag === 'number' ? r.figures.lag : null,
        counts: counts.get(id) ?? [],
        rejectsRecorded: rejects.get(id) ?? new Map(),
      };
    }),
  };
}

async function countsOf(db: pg.ClientBase, runIds: readonly number[]): Promise<Map<number, TopicCounts[]>> {
  const { rows } = await db.query<Record<keyof TopicCounts, string> & { run_id: string }>(
    `SELECT run_id, topic, sum(consumed) AS consumed, sum(inserted) AS inserted, sum(updated) AS updated, sum(deleted) AS deleted,
            sum(unchanged) AS unchanged, sum(rejected) AS rejected, sum(skipped) AS skipped
     FROM meta.load_counts WHERE run_id = ANY($1::bigint[]) GROUP BY run_id, topic ORDER BY run_id, topic`,
    [runIds],
  );
  const byRun = new Map<number, TopicCounts[]>();
  for (const r of rows) {
    const list = byRun.get(Number(r.run_id)) ?? [];
    list.push({
      topic: r.topic,
      consumed: Number(r.consumed),
      inserted: Number(r.inserted),
      updated: Number(r.updated),
      deleted: Number(r.deleted),
      unchanged: Number(r.unchanged),
      rejected: Number(r.rejected),
      skipped: Number(r.skipped),
    });
    byRun.set(Number(r.run_id), list);
  }
  return byRun;
}

async function rejectsOf(db: pg.ClientBase, runIds: readonly number[]): Promise<Map<number, Map<string, number>>> {
  const { rows } = await db.query<{ run_id: string; topic: string; n: string }>(
    `SELECT run_id, topic, count(*) AS n FROM meta.rejected_records WHERE run_id = ANY($1::bigint[]) GROUP BY run_id, topic`,
    [runIds],
  );
  const byRun = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const topics = byRun.get(Number(r.run_id)) ?? new Map<string, number>();
    topics.set(r.topic, Number(r.n));
    byRun.set(Number(r.run_id), topics);
  }
  return byRun;
}

/** Dead letters each pipeline still has in its outbox (not yet written to the DLQ topic). */
export async function outboxWaiting(db: pg.ClientBase): Promise<Map<string, number>> {
  const { rows } = await db.query<{ pipeline: string; n: string }>(`SELECT pipeline, count(*) AS n FROM meta.dlq_outbox GROUP BY pipeline`);
  return new Map(rows.map((r) => [r.pipeline, Number(r.n)]));
}

/**
 * Rows a table holds now (live and marked deleted) against the rows every counted load of the
 * topics feeding it inserted. A load never removes a row: a delete marks it (`deleted_at`) and a
 * later record of the key revives it in place (counted as an update), so every row is one counted
 * insert, and no other sum of the counts is exact. The rows may be counted beforehand
 * (`precounted`), once no load writes the table any more.
 */
export async function tableBalance(
  db: pg.ClientBase,
  table: string,
  feeds: readonly { readonly pipeline: string; readonly topic: string }[],
  precounted?: HeldRows,
): Promise<HeldRows & { readonly counted: number; readonly uncountedLoads: boolean }> {
  const pipelines = [...new Set(feeds.map((f) => f.pipeline))];
  const held = precounted ?? (await heldRows(db, table));
  const inserted = await db.query<{ n: string | null }>(
      `SELECT sum(c.inserted) AS n FROM meta.load_counts c
       JOIN unnest($1::text[], $2::text[]) AS f(pipeline, topic) ON f.pipeline = c.pipeline AND f.topic = c.topic`,
      [feeds.map((f) => f.pipeline), feeds.map((f) => f.topic)],
  );
  // Loads that finished before the warehouse counted them (migration 20261207_0300): the
  // balance then cannot add up, and says why.
  const uncounted = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM meta.runs r
       WHERE r.kind = 'load' AND r.target = ANY($1::text[]) AND r.status = 'succeeded' AND coalesce((r.figures->>'consumed')::bigint, 0) > 0
         AND NOT EXISTS (SELECT 1 FROM meta.load_counts c WHERE c.run_id = r.run_id)`,
      [pipelines],
  );
  return { ...held, counted: Number(inserted.rows[0]?.n ?? 0), uncountedLoads: Number(uncounted.rows[0]?.n ?? 0) > 0 };
}

/** Rows a table holds: live and marked deleted. */
export interface HeldRows {
  readonly rows: number;
  readonly markedDeleted: number;
}

/** Counts every row of the table (a whole scan: ~0.1–0.3 s for a core table at scale 1.0). */
export async function heldRows(db: Pick<pg.ClientBase, 'query'>, table: string): Promise<HeldRows> {
  const { rows } = await db.query<{ n: string; d: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE deleted_at IS NOT NULL) AS d FROM ${table}`);
  return { rows: Number(rows[0]?.n ?? 0), markedDeleted: Number(rows[0]?.d ?? 0) };
}
