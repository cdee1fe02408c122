import type { StreamFigures } from '../../src/connect/source-runner.js';
import { UsageError } from '../../src/errors.js';
import type { LoadFigures } from '../../src/sink/types.js';
import { pipelinesFedBy, selectConnectors } from '../declarations.js';
import { extract } from './extract.js';
import { load } from './load.js';
import type { Runtime } from '../runtime.js';

/**
 * Re-extracts one source's changes with from ≤ update time < to — without moving the connector's
 * offsets — and loads the pipelines it feeds. Records are written to Kafka again; the merges
 * update only what differs, so a second backfill of the same window changes nothing.
 */
export async function backfill(
  runtime: Runtime,
  source: string,
  window: { readonly from: Date; readonly to: Date },
  options: { load?: boolean; overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>; signal?: AbortSignal } = {},
): Promise<{ extracted: StreamFigures[]; loaded: LoadFigures[] }> {
  selectConnectors(runtime, [source]);
  if (source === 'all') throw new UsageError('backfill takes one source, not all');
  if (!(window.from.getTime() < window.to.getTime())) throw new UsageError(`--from (${window.from.toISOString()}) must be before --to (${window.to.toISOString()})`);
  const extracted = await extract(runtime, [source], {
    window,
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const loaded = options.load === false ? [] : await load(runtime, pipelinesFedBy(runtime, source), options.signal === undefined ? {} : { signal: options.signal });
  return { extracted, loaded };
}
