import { createLgspClient, parseConnectorConfig } from '../../src/connect/lgsp-source-config.js';
import { createPagedStream } from '../../src/connect/paged-stream.js';
import type { SourceConnector } from '../../src/connect/types.js';
import type { Logger } from '../../src/logger.js';
import { landConfigSchema } from './config.js';
import { parcelsStream } from './parcels-stream.js';

/** The national land database (CSDLQG về đất đai), through its LGSP adapter. */
export function createLandConnector(input: unknown, deps: { logger: Logger; onRetry?: (stream: string) => void }): SourceConnector {
  const config = parseConnectorConfig('land', landConfigSchema, input);
  const stream = parcelsStream(config.pageSize);
  const client = createLgspClient('land', config, deps.logger, () => deps.onRetry?.(stream.name));
  return { name: 'land', streams: [createPagedStream(stream, client)] };
}
