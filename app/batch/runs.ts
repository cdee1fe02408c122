import type pg from 'pg';
import { LgspError } from '../../src/errors.js';

/** Run history in `meta.runs`: one row per extract or load, with its figures. */
export async function startRun(
  db: pg.ClientBase | pg.Pool,
  kind: 'extract' | 'load' | 'run',
  target: string,
  parentRunId: number | null = null,
): Promise<number> {
  try {
    const result = await db.query<{ run_id: string }>(`INSERT INTO meta.runs (kind, target, parent_run_id) VALUES ($1, $2, $3) RETURNING run_id`, [
      kind,
      target,
      parentRunId,
    ]);
    return Number(result.rows[0]?.run_id);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new LgspError('WAREHOUSE_NOT_MIGRATED', 'the warehouse has no meta.runs table', { cause: err, hint: 'run `npx lgsp migrate` first' });
    }
    throw err;
  }
}

export async function finishRun(db: pg.ClientBase | pg.Pool, runId: number, figures: unknown, error: string | null = null): Promise<void> {
  await db.query(`UPDATE meta.runs SET finished_at = now(), status = $2, figures = $3, error = $4 WHERE run_id = $1`, [
    runId,
    error === null ? 'succeeded' : 'failed',
    JSON.stringify(figures),
    error,
  ]);
}
