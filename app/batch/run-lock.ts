import type pg from 'pg';
import { LgspError } from '../../src/errors.js';

/** One advisory-lock key for "a nightly run is in progress", shared by `lgsp run` and `lgsp schedule` on every host. */
export const RUN_LOCK_KEY = 840_001;

export class RunInProgressError extends LgspError {
  constructor() {
    super('RUN_IN_PROGRESS', 'another run is in progress (it holds the run lock in the warehouse)', {
      hint: 'wait for it to finish; `lgsp status` shows the running run',
    });
  }
}

/**
 * Runs `work` while holding the PostgreSQL session advisory lock on `db`; throws
 * {@link RunInProgressError} at once when another session holds it. The lock dies with the
 * session, so a crashed run never leaves it held.
 */
export async function withRunLock<T>(db: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  const got = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RUN_LOCK_KEY]);
  if (got.rows[0]?.locked !== true) throw new RunInProgressError();
  try {
    return await work();
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK_KEY]).catch(() => undefined);
  }
}
