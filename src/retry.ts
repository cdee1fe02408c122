import pRetry, { AbortError } from 'p-retry';
import { sqlProblemKind, sqlstateOf } from './db/sqlstate.js';
import { LgspError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The one place that decides what is retried, and how. Every retry of the platform — a source's
 * HTTP request, a broker still electing leaders, a load batch meeting a deadlock — goes through
 * {@link withRetry}, and {@link isRetriable} is the one notion of what may succeed if tried again.
 * Backoff is exponential with jitter; a server's Retry-After is honoured on top of it.
 */
export interface RetryPolicy {
  readonly retries: number;
  readonly minTimeoutMs: number;
  readonly maxTimeoutMs: number;
  /** Growth of the backoff per attempt (2 unless said). */
  readonly factor?: number;
  /** Stop retrying once this long has passed since the first attempt. */
  readonly maxRetryTimeMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 8, minTimeoutMs: 200, maxTimeoutMs: 10_000 };

/** Node's network errors: the peer is not there or went away, not a wrong request. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether trying again may help:
 * - an {@link LgspError} says so itself (`retriable`);
 * - a kafkajs error says so itself too (`retriable`, set from the broker's error code);
 * - a PostgreSQL error when its SQLSTATE says the database cannot work right now (src/db/sqlstate.ts);
 * - a network error (connection refused or reset, timeout).
 * Anything else — a bad record, a bug — is not.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof LgspError) return err.retriable;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; retriable?: unknown; code?: unknown };
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return e.retriable === true;
  const sqlstate = sqlstateOf(err);
  if (sqlstate !== undefined) return sqlProblemKind(sqlstate) === 'transient';
  return typeof e.code === 'string' && NETWORK_CODES.has(e.code);
}

/** Milliseconds the server asked us to wait (429 Retry-After), if any. */
function retryAfterMs(err: unknown): number {
  if (err instanceof LgspError) {
    const ms = err.context['retryAfterMs'];
    if (typeof ms === 'number' && ms > 0) return ms;
  }
  return 0;
}

export interface RetryOptions {
  /** What is being tried, for the log line of each retry. */
  readonly what: string;
  readonly policy?: RetryPolicy;
  readonly logger?: Logger;
  /** Called after each failed attempt that will be retried (the run's retry figures). */
  readonly onRetry?: (err: unknown) => void;
  readonly signal?: AbortSignal;
}

/** Runs `operation` until it succeeds, fails with an error that is not retriable, or the policy is spent. */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
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
      factor: policy.factor ?? 2,
      randomize: true,
      ...(policy.maxRetryTimeMs === undefined ? {} : { maxRetryTime: policy.maxRetryTimeMs }),
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
