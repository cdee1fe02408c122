import pg from 'pg';
import { z } from 'zod';
import { PIPELINES } from '../../pipelines/index.js';
import { ConfigError, UsageError } from '../errors.js';
import { connect } from '../db/postgres.js';
import { runPipelineToEnd } from '../sink/pipeline-runner.js';
import type { LoadFigures } from '../sink/types.js';
import { finishRun, startRun } from './runs.js';
import type { Runtime } from './runtime.js';

export function selectPipelines(names: readonly string[]): string[] {
  const known = Object.keys(PIPELINES);
  if (names.length === 0 || names.includes('all')) return known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown pipeline ${unknown.join(', ')}`, `known pipelines: ${known.join(', ')}, or all`);
  return [...names];
}

/**
 * Settings of the load component, from the environment; validated at start-up.
 * (Kept here rather than in src/config/settings.ts, which another change owns; move it there.)
 */
export const loadSettingsSchema = z.object({
  /**
   * Most bytes fetched per partition per request, which bounds the records of one batch (one
   * PostgreSQL transaction). Larger = fewer, bigger transactions; kafkajs default 1 MiB.
   */
  LGSP_LOAD_MAX_BYTES_PER_PARTITION: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
  /**
   * Consumer-group session timeout: how long a crashed process holds its partitions before the
   * group hands them to the others (the broker allows 6000 at least by default).
   */
  LGSP_LOAD_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
});

export type LoadSettings = z.output<typeof loadSettingsSchema>;

export function loadLoadSettings(env: NodeJS.ProcessEnv = process.env): LoadSettings {
  const input: Record<string, string> = {};
  for (const key of Object.keys(loadSettingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = loadSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(setting, `${issue?.message ?? 'invalid'} (got ${JSON.stringify(input[setting] ?? '')})`);
  }
  return parsed.data;
}

/**
 * Loads the named pipelines up to the end offsets their topics have now, recording each in
 * `meta.runs`. The warehouse must be migrated (`lgsp migrate`).
 */
export async function load(
  runtime: Runtime,
  names: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (f: LoadFigures) => void; maxBytesPerPartition?: number; sessionTimeoutMs?: number } = {},
): Promise<LoadFigures[]> {
  const databaseUrl = runtime.settings.DATABASE_URL;
  // Fail fast, with the usual hint, when PostgreSQL is unreachable; then a pool for the runs.
  await (await connect(databaseUrl)).end();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    // Pipelines are independent (own consumer group, own tables): load them side by side.
    const settled = await Promise.allSettled(
      selectPipelines(names).map(async (name) => {
        const definition = PIPELINES[name];
        if (definition === undefined) return null;
        const runId = await startRun(db, 'load', name);
        try {
          const figures = await runPipelineToEnd(
            definition,
            { kafka: runtime.kafka, databaseUrl, naming: runtime.naming, decode: runtime.decode, logger: runtime.logger },
            {
              runId,
              ...(options.signal === undefined ? {} : { signal: options.signal }),
              ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
              ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
              ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
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
