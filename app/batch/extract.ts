import { runConnector, type StreamFigures } from '../../src/connect/source-runner.js';
import { selectConnectors } from '../declarations.js';
import type { Runtime } from '../runtime.js';

/** Runs the named connectors until each is caught up; returns per-stream figures. */
export async function extract(
  runtime: Runtime,
  names: readonly string[],
  options: {
    overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    signal?: AbortSignal;
    onProgress?: (f: StreamFigures) => void;
    /** Backfill a window instead of reading on from the committed offsets. */
    window?: { readonly from: Date; readonly to: Date };
  } = {},
): Promise<StreamFigures[]> {
  const figures: StreamFigures[] = [];
  for (const name of selectConnectors(runtime, names)) {
    const factory = runtime.connectors[name];
    if (factory === undefined) continue;
    // Each stream's client reports its own retries, so the figures attribute them to the stream.
    const retries = new Map<string, number>();
    const connector = factory({
      settings: runtime.settings,
      logger: runtime.logger,
      onRetry: (stream) => {
        retries.set(stream, (retries.get(stream) ?? 0) + 1);
      },
      ...(options.overrides?.[name] === undefined ? {} : { overrides: options.overrides[name] }),
    });
    const streams = await runConnector(
      connector,
      { kafka: runtime.kafka, codec: runtime.codec, naming: runtime.naming, partitions: runtime.settings.LGSP_TOPIC_PARTITIONS, logger: runtime.logger },
      {
        retriesOf: (stream) => retries.get(stream) ?? 0,
        recordsPerTransaction: runtime.settings.LGSP_EXTRACT_RECORDS_PER_TRANSACTION,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.window === undefined ? {} : { window: options.window }),
      },
    );
    figures.push(...streams);
  }
  return figures;
}
