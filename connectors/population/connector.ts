import { createLgspClient, parseConnectorConfig } from '../../src/connect/lgsp-source-config.js';
import { createPagedStream } from '../../src/connect/paged-stream.js';
import type { SourceConnector } from '../../src/connect/types.js';
import type { Logger } from '../../src/logger.js';
import { citizensStream } from './citizens-stream.js';
import { populationConfigSchema } from './config.js';

/** The national population database (CSDLQG về dân cư), through its LGSP adapter. */
export function createPopulationConnector(input: unknown, deps: { logger: Logger; onRetry?: (stream: string) => void }): SourceConnector {
  const config = parseConnectorConfig('population', populationConfigSchema, input);
  const stream = citizensStream(config.pageSize);
  const client = createLgspClient('population', config, deps.logger, () => deps.onRetry?.(stream.name));
  return { name: 'population', streams: [createPagedStream(stream, client)] };
}
