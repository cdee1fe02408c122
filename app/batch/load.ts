import pg from 'pg';
import { connect, watchPool } from '../../src/db/postgres.js';
import { runPipelineToEnd } from '../../src/sink/pipeline-runner.js';
import type { LoadFigures } from '../../src/sink/types.js';
import { finishRun, startRun } from './runs.js';
import { selectPipelines } from '../declarations.js';
import type { Runtime } from '../runtime.js';

/**
 * Loads the named pipelines up to the end offsets their topics have now, recording each in
 * `meta.runs`. The warehouse must be migrated (`lgsp migrate`).
 */
export async function load(
  runtime: Runtime,
  names: readonly string[],
  options: {
    signal?: AbortSignal;
    onProgress?: (f: LoadFigures) => void;
    maxBytesPerPartition?: number;
    sessionTimeoutMs?: number;
    /** The nightly run this load is part of (meta.runs.parent_run_id). */
    parentRunId?: number;
  } = {},
): Promise<LoadFigures[]> {
  const databaseUrl = runtime.settings.DATABASE_URL;
  // Fail fast, with the usual hint, when PostgreSQL is unreachable; then a pool for the runs.
  await (await connect(databaseUrl)).end();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // An idle connection cut by a PostgreSQL restart must not crash the process; the next query fails and is reported.
  watchPool(db, (err) => runtime.logger.warn({ err: err.message }, 'a warehouse connection failed'));
  try {
    // Pipelines are independent (own consumer group, own tables): load them side by side.
    const settled = await Promise.allSettled(
      selectPipelines(runtime, names).map(async (name) => {
        const definition = runtime.pipelines[name];
        if (definition === undefined) return null;
        const runId = await startRun(db, 'load', name, options.parentRunId ?? null);
        try {
          const figures = await runPipelineToEnd(
            definition,
            { kafka: runtime.kafka, databaseUrl, naming: runtime.naming, decode: runtime.decode, writers: runtime.writers, logger: runtime.logger },
            {
              runId,
              ...(options.signal === undefined ? {} : { signal: options.signal }),
              ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
              maxBytesPerPartition: options.maxBytesPerPartition ?? runtime.settings.LGSP_LOAD_MAX_BYTES_PER_PARTITION,
              sessionTimeoutMs: options.sessionTimeoutMs ?? runtime.settings.LGSP_LOAD_SESSION_TIMEOUT_MS,
              rejectPolicy: { share: runtime.settings.LGSP_LOAD_REJECT_SHARE, tolerated: runtime.settings.LGSP_LOAD_REJECTS_TOLERATED },
            },
          );
          await finishRun(db, runId, figures);
          return figures;
        } catch (err) {
          await finishRun(db, runId, {}, err instanceof Error ? err.message : String(err)).catch(() => undefined);
          throw err;
        }
      }),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return settled.flatMap((s) => (s.status === 'fulfilled' && s.value !== null ? [s.value] : []));
  } finally {
    await db.end();
  }
}
