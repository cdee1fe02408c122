import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { LgspError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { NationalSource } from '../store/sim-store.js';
import { FaultInjector, NO_FAULTS, type FaultConfig, type Malformation } from './faults.js';
import { readBody, sendError, sendJson } from './http-kit.js';
import { PageCursors } from './page-cursors.js';
import { DEFAULT_CLIENT, TokenIssuer, type ClientCredentials } from './oauth.js';

/** One entity a national database serves, e.g. population `citizens`. */
export interface EntityEndpoint {
  /** URL segment: `/population/v1/<path>`. */
  readonly path: string;
  /** Entity name in the source's store. */
  readonly entity: string;
  /** The widest `updated_since`…`updated_until` window one query may ask for (the business registry allows 5 days). */
  readonly maxWindowDays?: number;
  /** Makes a served body malformed in the given way (for fault injection). */
  readonly malform: (body: Record<string, unknown>, kind: Malformation) => Record<string, unknown>;
}

export interface SourceServiceOptions {
  readonly source: NationalSource;
  readonly endpoints: readonly EntityEndpoint[];
  readonly store: pg.Pool;
  readonly logger: Logger;
  readonly faults?: FaultConfig;
  readonly tokenTtlSeconds?: number;
  readonly clients?: readonly ClientCredentials[];
}

export interface SourceService {
  readonly source: NationalSource;
  readonly tokens: TokenIssuer;
  readonly faults: FaultInjector;
  /** Starts listening; port 0 picks a free port. Returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const DAY_MS = 86_400_000;

/**
 * A mock LGSP adapter in front of one national database: OAuth2 client credentials, bearer auth,
 * offset/limit paging in a stable order (update time, then id; answered by keyset seeks while the
 * store is unchanged, see page-cursors.ts), incremental `updated_since`
 * queries, lookups by id, and configurable faults. Deleted records are served with `deletedAt` so
 * incremental readers see deletions.
 */
export function createSourceService(options: SourceServiceOptions): SourceService {
  const { source, store } = options;
  const logger = options.logger.child({ component: 'mock', source });
  const tokens = new TokenIssuer(options.clients ?? [DEFAULT_CLIENT], options.tokenTtlSeconds ?? 3600);
  const faults = new FaultInjector(options.faults ?? NO_FAULTS);
  const endpoints = new Map(options.endpoints.map((e) => [e.path, e]));
  const cursors = new PageCursors();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'mock request failed');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_ERROR', 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const parts = url.pathname.split('/').filter((p) => p.length > 0);
    if (parts[0] !== source) return sendError(res, 404, 'RECORD_NOT_FOUND', `no such service: ${url.pathname}`);
    if (parts[1] === 'oauth2' && parts[2] === 'token' && req.method === 'POST') return issueToken(req, res);

    const auth = tokens.check(req.headers.authorization);
    if (auth !== 'ok') return sendError(res, 401, 'AUTHEN_ERROR', `bearer token ${auth}`);

    const endpoint = parts[1] === 'v1' && parts[2] !== undefined ? endpoints.get(parts[2]) : undefined;
    if (endpoint === undefined || req.method !== 'GET') return sendError(res, 404, 'RECORD_NOT_FOUND', `no such resource: ${url.pathname}`);

    const fault = faults.nextRequest();
    if (faults.config.latencyMs > 0) await sleep(faults.config.latencyMs);
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'throttle') {
      return sendError(res, 429, 'TOO_MANY_REQUESTS', 'rate limit exceeded', { 'retry-after': String(faults.config.retryAfterSeconds) });
    }
    if (fault === 'server-error') return sendError(res, 503, 'INTERNAL_ERROR', 'service temporarily unavailable');

    if (parts[3] !== undefined) return lookup(res, endpoint, decodeURIComponent(parts[3]));
    return page(res, endpoint, url.searchParams);
  }

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = req.headers.authorization;
    if (basic?.startsWith('Basic ') === true) {
      const [id, secret] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
      clientId = id ?? '';
      clientSecret = secret ?? '';
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    const token = tokens.issue(clientId, clientSecret);
    if (token === null) return sendJson(res, 401, { error: 'invalid_client' });
    sendJson(res, 200, { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn });
  }

  async function page(res: ServerResponse, endpoint: EntityEndpoint, params: URLSearchParams): Promise<void> {
    const offset = Number(params.get('offset') ?? '0');
    const limit = Number(params.get('limit') ?? String(DEFAULT_LIMIT));
    const since = params.get('updated_since');
    const until = params.get('updated_until');
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return sendError(res, 400, 'INVALID_PARAMETER', `offset must be ≥ 0 and limit 1..${MAX_LIMIT}`);
    }
    for (const [name, value] of [['updated_since', since], ['updated_until', until]] as const) {
      if (value !== null && Number.isNaN(Date.parse(value))) return sendError(res, 400, 'INVALID_PARAMETER', `${name} is not a timestamp`);
    }
    if (endpoint.maxWindowDays !== undefined) {
      const width = since === null || until === null ? Infinity : Date.parse(until) - Date.parse(since);
      if (width > endpoint.maxWindowDays * DAY_MS) {
        return sendError(
          res,
          400,
          'INVALID_PARAMETER',
          `a query must give updated_since and updated_until at most ${endpoint.maxWindowDays} days apart`,
        );
      }
    }
    const where = ['entity = $1'];
    const args: unknown[] = [endpoint.entity];
    if (since !== null) {
      args.push(since);
      where.push(`updated_at >= $${args.length}`);
    }
    if (until !== null) {
      args.push(until);
      where.push(`updated_at < $${args.length}`);
    }
    const filter = where.join(' AND ');
    const query = `${endpoint.entity}|${since ?? ''}|${until ?? ''}`;
    const known = cursors.lookup(query, offset);
    // One statement, one snapshot: the records version read with the rows says whether the cached
    // cursor (and total) still describe this store.
    const version = `(SELECT coalesce((SELECT n FROM sim.records_version WHERE source = '${source}'), 0)::text AS version)`;
    const columns = 'id, updated_at, updated_at::text AS at, deleted_at, body';
    type PageRow = { version: string; total: string | null; id: string | null; updated_at: Date; at: string; deleted_at: Date | null; body: Record<string, unknown> };
    let result: PageRow[] | null = null;
    let total = known?.total ?? 0;
    if (known !== null) {
      const n = args.length;
      const rows = await store.query<PageRow>(
        `SELECT v.version, NULL AS total, r.* FROM ${version} v LEFT JOIN LATERAL (
           SELECT ${columns} FROM ${source}.records WHERE ${filter} AND (updated_at, id) > ($${n + 1}::timestamptz, $${n + 2})
           ORDER BY updated_at, id LIMIT $${n + 3}) r ON true`,
        [...args, known.cursor.updatedAt, known.cursor.id, limit],
      );
      if (rows.rows[0]?.version === known.version) result = rows.rows;
    }
    if (result === null) {
      const n = args.length;
      const rows = await store.query<PageRow>(
        `SELECT v.version, (SELECT count(*) FROM ${source}.records WHERE ${filter}) AS total, r.* FROM ${version} v LEFT JOIN LATERAL (
           SELECT ${columns} FROM ${source}.records WHERE ${filter} ORDER BY updated_at, id OFFSET $${n + 1} LIMIT $${n + 2}) r ON true`,
        [...args, offset, limit],
      );
      result = rows.rows;
      total = Number(result[0]?.total ?? 0);
    }
    const served = result.filter((row): row is PageRow & { id: string } => row.id !== null);
    const last = served.at(-1);
    if (last !== undefined) cursors.remember(query, result[0]?.version ?? '', total, offset + served.length, { updatedAt: last.at, id: last.id });
    const data = served.map((row) => serve(endpoint, row));
    sendJson(res, 200, { status: 'SUCCESS', data, paging: { offset, limit, total } });
  }

  async function lookup(res: ServerResponse, endpoint: EntityEndpoint, id: string): Promise<void> {
    const result = await store.query<{ id: string; updated_at: Date; deleted_at: Date | null; body: Record<string, unknown> }>(
      `SELECT id, updated_at, deleted_at, body FROM ${source}.records WHERE entity = $1 AND id = $2 AND deleted_at IS NULL`,
      [endpoint.entity, id],
    );
    const row = result.rows[0];
    if (row === undefined) return sendError(res, 404, 'RECORD_NOT_FOUND', `${endpoint.entity} ${id} not found`);
    sendJson(res, 200, { status: 'SUCCESS', data: serve(endpoint, row) });
  }

  function serve(
    endpoint: EntityEndpoint,
    row: { id: string; updated_at: Date; deleted_at: Date | null; body: Record<string, unknown> },
  ): Record<string, unknown> {
    if (row.deleted_at !== null) return { ...row.body, deletedAt: row.deleted_at.toISOString() };
    const kind = faults.malformation(row.id, row.updated_at.toISOString());
    return kind === null ? row.body : endpoint.malform(structuredClone(row.body), kind);
  }

  return {
    source,
    tokens,
    faults,
    async listen(port = 0, host = '127.0.0.1') {
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          reject(
            err.code === 'EADDRINUSE'
              ? new LgspError('PORT_IN_USE', `port ${port} on ${host} is already in use (mock ${source})`, {
                  cause: err,
                  hint: 'is `lgsp mock serve` already running? Stop it or choose another port',
                })
              : err,
          ),
        );
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      return `http://${host}:${address.port}/${source}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
