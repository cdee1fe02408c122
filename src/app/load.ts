import { PIPELINES } from '../../pipelines/index.js';
import { UsageError } from '../errors.js';
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
 * Loads the named pipelines up to the end offsets their topics have now, recording each in
 * `meta.runs`. The warehouse must be migrated (`lgsp migrate`).
 */
export async function load(
  runtime: Runtime,
  names: readonly string[],
  options: { signal?: AbortSignal; onProgress?: (f: LoadFigures) => void } = {},
): Promise<LoadFigures[]> {
  const databaseUrl = runtime.settings.DATABASE_URL;
  const db = await connect(databaseUrl);
  const all: LoadFigures[] = [];
  try {
    for (const name of selectPipelines(names)) {
      const definition = PIPELINES[name];
      if (definition === undefined) continue;
      const runId = await startRun(db, 'load', name);
      try {
        const figures = await runPipelineToEnd(
          definition,
          { kafka: runtime.kafka, databaseUrl, naming: runtime.naming, decode: runtime.decode, logger: runtime.logger },
          { runId, ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) },
        );
        await finishRun(db, runId, figures);
        all.push(figures);
      } catch (err) {
        await finishRun(db, runId, {}, err instanceof Error ? err.message : String(err)).catch(() => undefined);
        throw err;
      }
    }
  } finally {
    await db.end();
  }
  return all;
}
