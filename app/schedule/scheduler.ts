import os from 'node:os';
import { Cron } from 'croner';
import pg from 'pg';
import { ConfigError } from '../../src/errors.js';
import { watchPool } from '../../src/db/postgres.js';
import type { Logger } from '../../src/logger.js';
import { RunInterruptedError } from '../batch/interrupted.js';

export type CatchUpPolicy = 'once' | 'all' | 'none';

export interface SchedulerOptions {
  readonly databaseUrl: string;
  /** Cron expression (5 or 6 fields), read in `timezone`. */
  readonly cron: string;
  readonly timezone: string;
  /** Nights missed while no scheduler ran: run once (default), once per missed night, or not at all. */
  readonly catchUp: CatchUpPolicy;
  /** Name of the schedule: ticks are unique per (schedule, time). */
  readonly name: string;
  /** The work of one tick; returns the run id. Must stop at a commit boundary when `signal` aborts. */
  readonly run: (signal: AbortSignal) => Promise<{ runId: number }>;
  readonly logger: Logger;
  /** Shutdown: stop scheduling, let the current run finish its commit, then resolve `stopped`. */
  readonly signal: AbortSignal;
  readonly onTick?: (outcome: TickOutcome) => void;
}

export interface TickOutcome {
  readonly tickAt: Date;
  readonly catchUp: boolean;
  readonly status: 'succeeded' | 'failed' | 'interrupted' | 'taken';
  readonly runId?: number;
  readonly error?: string;
}

/**
 * The long-running scheduler. Each tick is claimed in the warehouse (`meta.schedule_ticks`,
 * primary key (schedule, tick time)) before it runs, so of several schedulers — on one host or
 * many — exactly one runs each night; the run itself holds the run lock, so runs never overlap.
 *
 * Lifecycle: validate the expression → catch up on missed nights per the policy → run on
 * schedule → on shutdown, stop scheduling and wait for the current run to commit and stop.
 */
export async function startScheduler(options: SchedulerOptions): Promise<{ readonly stopped: Promise<void>; readonly nextRun: () => Date | null }> {
  let cron: Cron;
  try {
    cron = new Cron(options.cron, { timezone: options.timezone, paused: true });
  } catch (err) {
    throw new ConfigError('--cron', `${JSON.stringify(options.cron)} is not a valid cron expression (${err instanceof Error ? err.message : String(err)})`);
  }
  if (cron.nextRun() === null) throw new ConfigError('--cron', `${JSON.stringify(options.cron)} never fires`);
  const logger = options.logger.child({ component: 'scheduler', schedule: options.name });
  const pool = watchPool(new pg.Pool({ connectionString: options.databaseUrl, max: 2 }), (err) => logger.warn({ err: err.message }, 'a scheduler database connection failed'));
  let current: Promise<void> = Promise.resolve();

  async function tick(tickAt: Date, catchUp: boolean): Promise<void> {
    const claimed = await pool.query(
      `INSERT INTO meta.schedule_ticks (schedule, tick_at, host, pid, catch_up) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING tick_at`,
      [options.name, tickAt, os.hostname(), process.pid, catchUp],
    );
    if (claimed.rowCount === 0) {
      logger.info({ tickAt }, 'another scheduler took this tick');
      options.onTick?.({ tickAt, catchUp, status: 'taken' });
      return;
    }
    logger.info({ tickAt, catchUp }, 'run starting');
    let outcome: TickOutcome;
    try {
      const { runId } = await options.run(options.signal);
      outcome = { tickAt, catchUp, status: 'succeeded', runId };
    } catch (err) {
      const status = err instanceof RunInterruptedError ? 'interrupted' : 'failed';
      outcome = { tickAt, catchUp, status, error: err instanceof Error ? err.message : String(err) };
      logger.error({ tickAt, err: outcome.error }, `run ${status}`);
    }
    await pool.query(`UPDATE meta.schedule_ticks SET status = $3, run_id = $4, finished_at = now() WHERE schedule = $1 AND tick_at = $2`, [
      options.name,
      tickAt,
      outcome.status,
      outcome.runId ?? null,
    ]);
    options.onTick?.(outcome);
  }

  /** Runs ticks one after another, never two at once in this process. */
  function enqueue(tickAt: Date, catchUp: boolean): Promise<void> {
    current = current.then(() => (options.signal.aborted ? undefined : tick(tickAt, catchUp))).catch((err: unknown) => {
      logger.error({ err }, 'tick failed');
    });
    return current;
  }

  // Catch up on the nights missed since the last tick any scheduler took.
  const last = await pool.query<{ last: Date | null }>(`SELECT max(tick_at) AS last FROM meta.schedule_ticks WHERE schedule = $1`, [options.name]);
  const lastTick = last.rows[0]?.last ?? null;
  if (lastTick !== null && options.catchUp !== 'none') {
    const missed = cron
      .previousRuns(366, new Date())
      .filter((t) => t.getTime() > lastTick.getTime())
      .reverse();
    if (missed.length > 0) {
      logger.info({ missed: missed.length, policy: options.catchUp }, 'catching up on missed nights');
      const todo = options.catchUp === 'all' ? missed : missed.slice(-1);
      for (const t of todo) void enqueue(t, true);
    }
  }

  cron = new Cron(options.cron, { timezone: options.timezone, protect: true }, (job: Cron) => {
    const at = job.currentRun() ?? new Date();
    // Schedulers on other hosts fire at the same scheduled second; that second names the tick.
    void enqueue(new Date(Math.floor(at.getTime() / 1000) * 1000), false);
  });
  logger.info({ cron: options.cron, timezone: options.timezone, next: cron.nextRun() }, 'scheduler started');

  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      cron.stop();
      void current.finally(() => pool.end().finally(resolve));
    };
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
  return { stopped, nextRun: () => cron.nextRun() };
}
