import { LgspHttpClient } from '../../src/connect/lgsp-http-client.js';
import { createPagedStream } from '../../src/connect/paged-stream.js';
import type { SourceConnector } from '../../src/connect/types.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { DEFAULT_RETRY } from '../../src/retry.js';
import { citizensStream } from './citizens-stream.js';
import { populationConfigSchema, type PopulationConfig } from './config.js';

/** The national population database (CSDLQG về dân cư), through its LGSP adapter. */
export function createPopulationConnector(
  input: unknown,
  deps: { logger: Logger; onRetry?: () => void },
): SourceConnector {
  const parsed = populationConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`connectors.population.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const config: PopulationConfig = parsed.data;
  const client = new LgspHttpClient({
    source: 'population',
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    retry: { ...DEFAULT_RETRY, retries: config.retries },
    logger: deps.logger,
    ...(deps.onRetry === undefined ? {} : { onRetry: deps.onRetry }),
  });
  return { name: 'population', streams: [createPagedStream(citizensStream(config.pageSize), client)] };
}
