import { z, type ZodType } from 'zod';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { LgspHttpClient } from './lgsp-http-client.js';

/** Settings every connector to an LGSP adapter has; a connector's own schema extends them. */
export const lgspSourceConfigSchema = z.object({
  /** Base URL of the source's LGSP adapter, e.g. http://127.0.0.1:8402/business. */
  baseUrl: z.url(),
  /** OAuth2 client id issued by the LGSP. */
  clientId: z.string().min(1),
  /** OAuth2 client secret. Secret: never logged. */
  clientSecret: z.string().min(1),
  /** Records per request (the adapters allow at most 1000). */
  pageSize: z.number().int().min(1).max(1000).default(500),
  /** Retries of a failed request (timeouts, resets, 5xx, 429) before the run fails. */
  retries: z.number().int().min(0).max(50).default(8),
  /** First backoff between retries, doubling with jitter up to `retryMaxMs`; a Retry-After adds to it. */
  retryMinMs: z.number().int().min(1).default(200),
  /** Longest backoff between retries. */
  retryMaxMs: z.number().int().min(1).default(10_000),
});

export type LgspSourceConfig = z.output<typeof lgspSourceConfigSchema>;

/** Validates a connector's settings; the first problem fails naming `connectors.<name>.<field>`. */
export function parseConnectorConfig<T>(connector: string, schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(`connectors.${connector}.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
}

/** One client per stream, so each stream's retries are its own in the run's figures. */
export function createLgspClient(source: string, config: LgspSourceConfig, logger: Logger, onRetry?: () => void): LgspHttpClient {
  return new LgspHttpClient({
    source,
    baseUrl: config.baseUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    retry: { retries: config.retries, minTimeoutMs: config.retryMinMs, maxTimeoutMs: config.retryMaxMs },
    logger,
    ...(onRetry === undefined ? {} : { onRetry }),
  });
}
