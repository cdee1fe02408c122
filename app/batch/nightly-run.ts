import type { StreamFigures } from '../../src/connect/source-runner.js';
import type pg from 'pg';
import { connect } from '../../src/db/postgres.js';
import { LgspError } from '../../src/errors.js';
import type { LoadFigures } from '../../src/sink/types.js';
import { selectConnectors, selectPipelines } from '../declarations.js';
import { extract } from './extract.js';
import { RunInterruptedError, StepFailedError } from './interrupted.js';
import { load } from './load.js';
import { refreshMart } from '../../warehouse/mart/refresh.js';
import { countHeldRows, loadedTables, reconcile, type Reconciliation } from '../admin/reconcile.js';
import type { HeldRows } from '../admin/reconcile-facts.js';
import { withRunLock } from './run-lock.js';
import { finishRun, startRun } from './runs.js';
import type { Runtime } from '../runtime.js';

/** Figures of one step of a nightly run, as stored in `meta.runs.figures.steps`. */
export interface StepRecord {
  readonly step: string;
  readonly status: 'succeeded' | 'failed' | 'interrupted';
  /** Steps overlap (extracts side by side, each load after its sources): when this one started. */
  readonly startedAt: string;
  readonly seconds: number;
  readonly figures: unknown;
  readonly error?: string;
}

export interface NightlyRunResult {
  readonly runId: number;
  readonly steps: readonly StepRecord[];
  readonly extracted: readonly StreamFigures[];
  readonly loaded: readonly LoadFigures[];
  /** `lgsp reconcile` of the run, also stored in `meta.runs.figures.reconciliation`; null if it could not be worked out. */
  readonly reconciliation: Reconciliation | null;
}

export interface NightlyRunOptions {
  readonly sources?: readonly string[];
  readonly pipelines?: readonly string[];
  readonly signal?: AbortSignal;
  readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly onExtractProgress?: (f: StreamFigures) => void;
  readonly onLoadProgress?: (f: LoadFigures) => void;
  /** Called when a step starts and when it ends, for the progress display and logs (steps overlap). */
  readonly onStep?: (step: string) => void;
  readonly onStepEnd?: (step: string) => void;
}

/**
 * The nightly batch, after dlt's `extract(); normalize(); load()`: extract every selected source
 * until caught up, load every selected pipeline up to the end offsets taken when its load starts
 * (right after its sources' extracts, while other sources still extract),
 * refresh the mart, and record the run with per-step figures in `meta.runs`. Each step commits
 * its own work, so a failed or interrupted run is finished by the next one; the error names the
 * step that failed.
 */
export async function runNightly(runtime: Runtime, options: NightlyRunOptions = {}): Promise<NightlyRunResult> {
  const sources = selectConnectors(runtime, options.sources ?? ['all']);
  const pipelines = selectPipelines(runtime, options.pipelines ?? ['all']);
  const db = await connect(runtime.settings.DATABASE_URL);
  // The run lock lives in this session. If the session dies (PostgreSQL restarted, connection
  // cut), the lock is gone and another run could start: stop at the next commit boundary.
  const lockLost = new AbortController();
  db.on('error', (err) => {
    runtime.logger.error({ err: err.message }, 'lost the connection holding the run lock; stopping at the next commit');
    lockLost.abort(err);
  });
  const signal = options.signal === undefined ? lockLost.signal : AbortSignal.any([options.signal, lockLost.signal]);
  try {
    // Never two runs at once, on any host: the lock lives in the warehouse they share.
    return await withRunLock(db, () => runLocked(runtime, db, sources, pipelines, { ...options, signal }));
  } catch (err) {
    if (lockLost.signal.aborted) {
      throw new LgspError('RUN_LOCK_LOST', 'lost the warehouse connection that held the run lock; the run stopped at its last commit', {
        cause: err,
        retriable: true,
        hint: 'check PostgreSQL; the next run resumes from what was committed',
      });
    }
    throw err;
  } finally {
    await db.end().catch(() => undefined);
  }
}

async function runLocked(
  runtime: Runtime,
  db: pg.Client,
  sources: readonly string[],
  pipelines: readonly string[],
  options: NightlyRunOptions,
): Promise<NightlyRunResult> {
  const runId = await startRun(db, 'run', `extract:${sources.join(',')} load:${pipelines.join(',')}`);
  // Holding the lock, no other run is alive: an earlier run still marked running was cut off
  // (killed, or its connection lost) and is recorded as such.
  await db.query(
    `UPDATE meta.runs SET status = 'failed', finished_at = now(), error = 'abandoned: the process ended before recording the outcome'
     WHERE kind = 'run' AND status = 'running' AND run_id <> $1`,
    [runId],
  );
  const steps: StepRecord[] = [];
  const extracted: StreamFigures[] = [];
  const loaded: LoadFigures[] = [];
  const logger = runtime.logger.child({ component: 'nightly-run', runId });

  // A function, not a property read: the signal changes while a step awaits.
  const aborted = (): boolean => options.signal?.aborted === true;

  async function step<T>(name: string, work: () => Promise<T>, figuresOf: (result: T) => unknown): Promise<void> {
    if (aborted()) throw new RunInterruptedError(name);
    options.onStep?.(name);
    try {
      return await timed(name, work, figuresOf);
    } finally {
      options.onStepEnd?.(name);
    }
  }

  async function timed<T>(name: string, work: () => Promise<T>, figuresOf: (result: T) => unknown): Promise<void> {
    logger.info({ step: name }, 'step started');
    const started = Date.now();
    const record = (status: StepRecord['status'], figures: unknown, error?: string): void => {
      const seconds = (Date.now() - started) / 1000;
      steps.push({ step: name, status, startedAt: new Date(started).toISOString(), seconds, figures, ...(error === undefined ? {} : { error }) });
    };
    try {
      const result = await work();
      // A step that saw the signal stops at a commit boundary and returns what it did.
      if (aborted()) {
        record('interrupted', figuresOf(result));
        throw new RunInterruptedError(name);
      }
      record('succeeded', figuresOf(result));
      logger.info({ step: name, seconds: (Date.now() - started) / 1000 }, 'step finished');
    } catch (err) {
      if (err instanceof RunInterruptedError) throw err;
      if (aborted()) {
        record('interrupted', null);
        throw new RunInterruptedError(name);
      }
      record('failed', null, err instanceof Error ? err.message : String(err));
      throw new StepFailedError(name, err);
    }
  }

  const signal = options.signal === undefined ? {} : { signal: options.signal };
  try {
    // Every source is extracted at once (they wait on different systems), and each pipeline loads
    // as soon as the sources it reads are extracted, beside the extracts still running: the run
    // takes about as long as its slowest source + pipeline, not the sum of them all. A failed
    // extract does not hold back the others; what it committed still loads, and the run fails
    // naming it, before the mart refresh.
    const extracts = new Map(
      sources.map((source) => [
        source,
        step(
          `extract:${source}`,
          () =>
            extract(runtime, [source], {
              ...signal,
              ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
              ...(options.onExtractProgress === undefined ? {} : { onProgress: options.onExtractProgress }),
            }),
          (figures) => {
            extracted.push(...figures);
            return figures;
          },
        ),
      ]),
    );
    const loads = pipelines.map(async (name) => {
      const reads = new Set(runtime.pipelines[name]?.inputs.map((input) => input.source));
      await Promise.allSettled([...extracts].filter(([source]) => reads.has(source)).map(([, done]) => done));
      await step(
        `load:${name}`,
        () => load(runtime, [name], { ...signal, parentRunId: runId, ...(options.onLoadProgress === undefined ? {} : { onProgress: options.onLoadProgress }) }),
        (figures) => {
          loaded.push(...figures);
          return figures;
        },
      );
    });
    const settled = await Promise.allSettled([...extracts.values(), ...loads]);
    const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (errors.length > 0) throw errors.find((e) => !(e instanceof RunInterruptedError)) ?? errors[0];
    const held = countBesideRefresh(runtime, pipelines);
    await step('refresh-mart', () => refreshMart(db), (mart) => ({ facts: mart.facts, dossiers: mart.dossiers, counts: mart.counts, windows: mart.windows, extended: mart.extended, refreshed: mart.refreshed }));
    await finishRun(db, runId, { steps });
    const reconciliation = await reconcileRun(runtime, db, runId, await held);
    // Steps finish in any order; report sources and pipelines in their declared order.
    const rank = (list: readonly string[], name: string): number => list.indexOf(name);
    extracted.sort((a, b) => rank(sources, a.connector) - rank(sources, b.connector));
    loaded.sort((a, b) => rank(pipelines, a.pipeline) - rank(pipelines, b.pipeline));
    return { runId, steps, extracted, loaded, reconciliation };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finishRun(db, runId, { steps }, message).catch(() => undefined);
    await reconcileRun(runtime, db, runId);
    throw err;
  }
}

/**
 * The loads are done: the rows of the tables they wrote, which the reconciliation balances, are
 * counted now on a connection of their own, beside the mart refresh (it reads core and never writes
 * it). The counts are whole scans, ~0.7 s at scale 1.0 that the night no longer waits for after the
 * refresh. Never fails: without them the reconciliation counts the tables itself.
 */
async function countBesideRefresh(runtime: Runtime, pipelines: readonly string[]): Promise<ReadonlyMap<string, HeldRows> | undefined> {
  try {
    const client = await connect(runtime.settings.DATABASE_URL);
    try {
      return await countHeldRows(client, loadedTables(runtime.pipelines, pipelines));
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (err) {
    runtime.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not count the loaded tables beside the mart refresh; the reconciliation counts them');
    return undefined;
  }
}

/**
 * Adds the run up once it is recorded and stores the result beside its figures. Best effort: the
 * run's outcome stands whether or not its counts could be read back (`lgsp reconcile` redoes it).
 */
async function reconcileRun(runtime: Runtime, db: pg.Client, runId: number, held?: ReadonlyMap<string, HeldRows>): Promise<Reconciliation | null> {
  try {
    const result = await reconcile(db, { runId, pipelines: runtime.pipelines, naming: runtime.naming, ...(held === undefined ? {} : { held }) });
    const stored = { unexplained: result.unexplained, checks: result.lines.length, flagged: result.lines.filter((l) => l.status !== 'ok') };
    await db.query(`UPDATE meta.runs SET figures = figures || jsonb_build_object('reconciliation', $2::jsonb) WHERE run_id = $1`, [runId, JSON.stringify(stored)]);
    if (result.unexplained > 0) runtime.logger.warn({ runId, flagged: stored.flagged }, 'counts of the run do not add up; see `lgsp reconcile`');
    return result;
  } catch (err) {
    runtime.logger.warn({ runId, err: err instanceof Error ? err.message : String(err) }, 'could not reconcile the run');
    return null;
  }
}
