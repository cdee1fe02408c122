import pRetry, { AbortError } from 'p-retry';
import { LgspError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The one place that decides what is retried: an {@link LgspError} says so itself (`retriable`),
 * anything else is not retried. Backoff is exponential with jitter; a server's Retry-After is
 * honoured on top of it.
 */
export interface RetryPolicy {
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 8, minTimeoutMs: 200, maxTimeoutMs: 10_000 };

export function isRetriable(err: unknown): boolean {
  return err instanceof LgspError && err.retriable;
}

/** Milliseconds the server asked us to wait (429 Retry-After), if any. */
function retryAfterMs(err: unknown): number {
  if (err instanceof LgspError) {
    const ms = err.context['retryAfterMs'];
    if (typeof ms === 'number' && ms > 0) return ms;
  }
  return 0;
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: { policy?: RetryPolicy; logger?: Logger; what: string; onRetry?: (err: unknown) => void; signal?: AbortSignal },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  return pRetry(
    async (attempt) => {
      try {
        return await operation(attempt);
      } catch (err) {
        if (!isRetriable(err)) throw new AbortError(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    },
    {
      retries: policy.retries,
      minTimeout: policy.minTimeoutMs,
      maxTimeout: policy.maxTimeoutMs,
      factor: 2,
      randomize: true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onFailedAttempt: async (failure) => {
        options.onRetry?.(failure);
        options.logger?.warn(
          { attempt: failure.attemptNumber, retriesLeft: failure.retriesLeft, err: failure.message },
          `${options.what} failed, retrying`,
        );
        const wait = retryAfterMs(failure);
        if (wait > 0 && failure.retriesLeft > 0) await new Promise((r) => setTimeout(r, wait));
      },
    },
  );
}
