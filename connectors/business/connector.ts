import { createLgspClient, parseConnectorConfig } from '../../src/connect/lgsp-source-config.js';
import type { SourceConnector } from '../../src/connect/types.js';
import { createWindowedStream } from '../../src/connect/windowed-stream.js';
import type { Logger } from '../../src/logger.js';
import { businessConfigSchema } from './config.js';
import { enterprisesStream } from './enterprises-stream.js';

/** The national business registration database (CSDLQG về đăng ký doanh nghiệp), through its LGSP adapter. */
export function createBusinessConnector(input: unknown, deps: { logger: Logger; onRetry?: (stream: string) => void }): SourceConnector {
  const config = parseConnectorConfig('business', businessConfigSchema, input);
  const stream = enterprisesStream(config);
  const client = createLgspClient('business', config, deps.logger, () => deps.onRetry?.(stream.name));
  return { name: 'business', streams: [createWindowedStream(stream, client)] };
}
