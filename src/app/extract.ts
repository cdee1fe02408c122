import { CONNECTORS } from '../../connectors/index.js';
import { runConnector, type StreamFigures } from '../connect/source-runner.js';
import { UsageError } from '../errors.js';
import type { Runtime } from './runtime.js';

/** Resolves `all` or a list of names against the known connectors; unknown names fail naming them. */
export function selectConnectors(names: readonly string[]): string[] {
  const known = Object.keys(CONNECTORS);
  if (names.length === 0 || names.includes('all')) return known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown source ${unknown.join(', ')}`, `known sources: ${known.join(', ')}, or all`);
  return [...names];
}

/** Runs the named connectors until each is caught up; returns per-stream figures. */
export async function extract(
  runtime: Runtime,
  names: readonly string[],
  options: { overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>; signal?: AbortSignal; onProgress?: (f: StreamFigures) => void } = {},
): Promise<StreamFigures[]> {
  const figures: StreamFigures[] = [];
  for (const name of selectConnectors(names)) {
    let retries = 0;
    const factory = CONNECTORS[name];
    if (factory === undefined) continue;
    const connector = factory({
      settings: runtime.settings,
      logger: runtime.logger,
      onRetry: () => {
        retries += 1;
      },
      ...(options.overrides?.[name] === undefined ? {} : { overrides: options.overrides[name] }),
    });
    const streams = await runConnector(
      connector,
      { kafka: runtime.kafka, codec: runtime.codec, naming: runtime.naming, partitions: runtime.settings.LGSP_TOPIC_PARTITIONS, logger: runtime.logger },
      { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }) },
    );
    // Retries are counted by the connector's HTTP client; with one stream per connector they are that stream's.
    for (const s of streams) s.retries = streams.length === 1 ? retries : s.retries;
    figures.push(...streams);
  }
  return figures;
}
