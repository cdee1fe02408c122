import type { Logger } from '../logger.js';
import { withRetry, type RetryPolicy } from '../retry.js';
import { SourceAuthError, SourceHttpError, SourceNetworkError } from './source-errors.js';
import { MASK } from '../config/secrets.js';

export interface LgspClientOptions {
  /** Source name, for errors and logs. */
  readonly source: string;
  /** Base URL of the source's adapter, e.g. `http://127.0.0.1:8401/population`. */
  readonly baseUrl: string;
  readonly clientId: string;
  /** Secret: never logged. */
  readonly clientSecret: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly logger: Logger;
  /** Called once per retried attempt, for the run's figures. */
  readonly onRetry?: () => void;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly total: number;
}

/**
 * A client for an LGSP adapter: OAuth2 client-credentials token, bearer auth, retries with
 * backoff on timeouts, resets, 5xx and 429 (honouring Retry-After). A 401 fetches a new token
 * once (tokens expire mid-run); a second 401, or any other 4xx, fails at once naming the request.
 */
export class LgspHttpClient {
  private token: string | null = null;
  private readonly logger: Logger;

  constructor(private readonly options: LgspClientOptions) {
    this.logger = options.logger.child({ component: 'lgsp-http-client', source: options.source });
  }

  /** GETs `path` (relative to the base URL) with query parameters, returning the JSON body. */
  async get<T>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const request = `GET ${url.pathname}${url.search}`;
    return withRetry(() => this.getOnce<T>(url, request, signal), {
      what: request,
      logger: this.logger,
      ...(this.options.retry === undefined ? {} : { policy: this.options.retry }),
      ...(signal === undefined ? {} : { signal }),
      onRetry: () => this.options.onRetry?.(),
    });
  }

  private async getOnce<T>(url: URL, request: string, signal?: AbortSignal): Promise<T> {
    let refreshed = false;
    for (;;) {
      const token = this.token ?? (await this.fetchToken(signal));
      const response = await this.send(url, request, { headers: { authorization: `Bearer ${token}` } }, signal);
      if (response.status === 401) {
        this.token = null;
        const detail = await response.text();
        if (refreshed) throw new SourceAuthError(this.options.source, request, detail.slice(0, 200));
        refreshed = true;
        this.logger.debug('token refused, fetching a new one');
        continue;
      }
      if (!response.ok) throw await httpError(this.options.source, request, response);
      return (await response.json()) as T;
    }
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, '')}/oauth2/token`);
    const request = `POST ${url.pathname}`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    const response = await this.send(
      url,
      request,
      { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      signal,
    );
    // The token endpoint's error answers are quoted in our errors; a gateway that echoes the form it got must not make us print the secret.
    const formEncoded = new URLSearchParams({ s: this.options.clientSecret }).toString().slice('s='.length);
    const withoutSecret = (text: string): string => text.replaceAll(this.options.clientSecret, MASK).replaceAll(formEncoded, MASK);
    if (response.status === 401 || response.status === 400) {
      throw new SourceAuthError(this.options.source, request, withoutSecret(await response.text()).slice(0, 200));
    }
    if (!response.ok) throw await httpError(this.options.source, request, response, withoutSecret);
    const json = (await response.json()) as { access_token?: string };
    if (typeof json.access_token !== 'string') throw new SourceAuthError(this.options.source, request, 'no access_token in answer');
    this.token = json.access_token;
    return this.token;
  }

  private async send(url: URL, request: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    try {
      return await fetch(url, { ...init, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
    } catch (err) {
      if (signal?.aborted === true) throw err;
      throw new SourceNetworkError(this.options.source, request, err);
    }
  }
}

async function httpError(source: string, request: string, response: Response, clean: (text: string) => string = (text) => text): Promise<SourceHttpError> {
  const retryAfter = Number(response.headers.get('retry-after') ?? '0');
  const text = clean(await response.text().catch(() => ''));
  return new SourceHttpError(source, request, response.status, text, Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
}
