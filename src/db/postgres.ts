import pg from 'pg';
import { LgspError, ServiceUnreachableError } from '../errors.js';
import { redactUrl } from '../config/secrets.js';

/** Error codes that mean "the server is not there", as opposed to a bad query. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', '57P03']);

/** Which database a connection is for: named in its errors, with the setting that holds its URL. */
export interface DatabaseTarget {
  /** How the operator knows it, e.g. `PostgreSQL` (the warehouse), `the one-stop database`. */
  readonly what: string;
  /** The setting holding its URL, e.g. `DATABASE_URL`. */
  readonly setting: string;
  /** What to do when it cannot be reached; by default: start PostgreSQL or set the setting. */
  readonly unreachableHint?: string;
  /** What to do when its database does not exist; by default: check the setting. */
  readonly missingHint?: string;
}

/** The warehouse (DATABASE_URL), the default target. */
export const WAREHOUSE: DatabaseTarget = {
  what: 'PostgreSQL',
  setting: 'DATABASE_URL',
  missingHint: 'run `npx lgsp migrate`: it creates the database and its tables',
};

const startHint = (setting: string): string =>
  `start the local PostgreSQL with \`npx lgsp local up\`, or the server ${setting} names`;

/** `host:port` and database of a URL, for messages (never its userinfo); unparseable parts are left out. */
function placeOf(url: string): { where: string; database: string } {
  try {
    const parsed = new URL(url);
    return { where: `${parsed.hostname}:${parsed.port || '5432'}`, database: decodeURIComponent(parsed.pathname.slice(1)) };
  } catch {
    return { where: redactUrl(url), database: '?' };
  }
}

/**
 * Turns a driver error into a typed one when it means the server cannot be reached, the database
 * is missing or the credentials were refused; each names the target's setting and never its password.
 */
export function asConnectionError(err: unknown, url: string, target: DatabaseTarget = WAREHOUSE): unknown {
  const code = (err as { code?: string } | null)?.code;
  const { where, database } = placeOf(url);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return new ServiceUnreachableError(target.what, where, target.unreachableHint ?? startHint(target.setting), { cause: err, setting: target.setting });
  }
  if (code === '3D000') {
    return new LgspError('DB_MISSING', `database ${database} does not exist`, {
      cause: err,
      context: { setting: target.setting },
      hint: target.missingHint ?? `check the database named in ${target.setting}`,
    });
  }
  if (code === '28P01' || code === '28000') {
    return new LgspError('DB_AUTH', `${target.what} refused the credentials in ${redactUrl(url)}`, {
      cause: err,
      context: { setting: target.setting },
      hint: `check the user and password in ${target.setting}`,
    });
  }
  return err;
}

/** Opens a client, mapping "cannot connect" to a one-line {@link ServiceUnreachableError}. */
export async function connect(url: string, target: DatabaseTarget = WAREHOUSE): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A session the server ends between queries (a restart, even while we are closing it) emits
  // 'error'; unheard, that ends the process (seen in the fault suite). The next query fails with
  // the reason anyway; callers that must react at once (the run lock) add their own listener.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw asConnectionError(err, url, target);
  }
  return client;
}

/**
 * Creates the database named in `url` when it does not exist yet, by connecting to the server's
 * `postgres` maintenance database. Safe to call concurrently.
 */
export async function ensureDatabase(url: string, target: DatabaseTarget = WAREHOUSE): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = await connect(maintenance.toString(), target);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } catch (err) {
        // Another process created it between our check and our CREATE: that is what we wanted.
        if ((err as { code?: string }).code !== '42P04' && (err as { code?: string }).code !== '23505') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests clean up their own). */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = await connect(maintenance.toString());
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Returns the URL with another database name (tests use one database each). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Reports a pool's connection failures through `onError` instead of crashing the process: pg emits
 * 'error' on an idle pooled client (the pool's own listener) and also on a checked-out one that is
 * between queries — e.g. a session holding a transaction open while a Kafka send is awaited — which
 * has no listener and would end the process when PostgreSQL restarts. The client's next query fails
 * and is handled where it is made.
 */
export function watchPool(pool: pg.Pool, onError: (err: Error) => void): pg.Pool {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}
