import { createLgspClient, parseConnectorConfig } from '../../src/connect/lgsp-source-config.js';
import { createPagedStream } from '../../src/connect/paged-stream.js';
import type { SourceConnector } from '../../src/connect/types.js';
import type { Logger } from '../../src/logger.js';
import { insuranceConfigSchema } from './config.js';
import { participantsStream } from './participants-stream.js';

/** The national social insurance database (CSDLQG về bảo hiểm), through its LGSP adapter. */
export function createInsuranceConnector(input: unknown, deps: { logger: Logger; onRetry?: (stream: string) => void }): SourceConnector {
  const config = parseConnectorConfig('insurance', insuranceConfigSchema, input);
  const stream = participantsStream(config.pageSize);
  const client = createLgspClient('insurance', config, deps.logger, () => deps.onRetry?.(stream.name));
  return { name: 'insurance', streams: [createPagedStream(stream, client)] };
}
