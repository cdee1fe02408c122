import { LgspError } from '../errors.js';

/** A source API answered with an error status. 5xx and 429 are retriable; other 4xx are not. */
export class SourceHttpError extends LgspError {
  readonly status: number;
  constructor(source: string, request: string, status: number, body: string, retryAfterMs = 0) {
    const retriable = status >= 500 || status === 429;
    super('SOURCE_HTTP', `${source}: ${request} answered ${status}${body === '' ? '' : `: ${body.slice(0, 200)}`}`, {
      retriable,
      context: { source, request, status, retryAfterMs },
    });
    this.status = status;
  }
}

/** The source refused our credentials, even after fetching a new token. Not retried. */
export class SourceAuthError extends LgspError {
  constructor(source: string, request: string, detail: string) {
    super('SOURCE_AUTH', `${source}: ${request} refused our credentials (${detail})`, {
      context: { source, request },
      hint: 'check the client id and secret configured for this source',
    });
  }
}

/** The connection failed or timed out before an answer: retriable. */
export class SourceNetworkError extends LgspError {
  constructor(source: string, request: string, cause: unknown) {
    super('SOURCE_NETWORK', `${source}: ${request} failed: ${networkReason(cause)}`, {
      cause,
      retriable: true,
      context: { source, request },
      hint: 'is the source reachable? For the simulated sources run `npx lgsp mock serve`',
    });
  }
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (inner?.code !== undefined) return inner.code;
  if (inner?.message !== undefined) return inner.message;
  if (cause instanceof Error) return cause.name === 'TimeoutError' ? 'timed out' : cause.message;
  return String(cause);
}
