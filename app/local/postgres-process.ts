import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { LgspError } from '../../src/errors.js';
import { sleep } from './broker-process.js';
import { UNPRIVILEGED, type PostgresBinaries } from './postgres-binaries.js';
import { isLiveProcess } from './pid-file.js';

const run = promisify(execFile);

/** Root runs the server as `nobody`; anyone else runs it as themselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { ...UNPRIVILEGED } : undefined;
}

/**
 * `initdb` once: superuser `postgres`, trust auth (the server listens on 127.0.0.1 only), UTF-8, no
 * locale (the C collation, the same on every machine). A directory holding PG_VERSION is left alone;
 * a failed initdb leaves no half-made directory behind.
 */
export async function initDataDirIfNeeded(binaries: PostgresBinaries, dataDir: string): Promise<boolean> {
  if (existsSync(`${dataDir}/PG_VERSION`)) return false;
  const user = serverUser();
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o700);
  if (user !== undefined) await chown(dataDir, user.uid, user.gid);
  try {
    await run(binaries.initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'], { ...user, cwd: '/' });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new LgspError('LOCAL_PG_INIT_FAILED', `initdb failed for ${dataDir}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, {
      cause: err,
      context: { dataDir },
      hint: 'check the disk and the permissions of LGSP_HOME, or set DATABASE_URL to a PostgreSQL server',
    });
  }
  return true;
}

export interface PostgresStart {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  /** More `-c name=value` settings. */
  readonly settings?: readonly string[];
}

/**
 * Starts `postgres` detached from this process (it outlives the CLI, like the broker), on 127.0.0.1
 * only, without a Unix socket (no shared socket folder to own), with `wal_level=logical` (Debezium's
 * PostgreSQL connector in the peer benchmark needs it). Its output goes to the log file; returns its pid.
 */
export function spawnPostgres(start: PostgresStart): number {
  const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'wal_level=logical', 'max_connections=200', ...(start.settings ?? [])];
  const log = openSync(start.logFile, 'a');
  try {
    const child = spawn(start.binaries.postgres, ['-D', start.dataDir, '-p', String(start.port), ...settings.flatMap((s) => ['-c', s])], {
      ...serverUser(),
      cwd: '/',
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new LgspError('LOCAL_PG_START_FAILED', `could not start ${start.binaries.postgres}`, { hint: 'run `npm ci` again' });
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Whether `pid` is a live postmaster (of `dataDir`, when given). */
export function isPostgresProcess(pid: number, dataDir?: string): boolean {
  return isLiveProcess(pid, 'postgres', ...(dataDir === undefined ? [] : [dataDir]));
}

/** Waits until the server accepts a query, failing early (with its log's cause) if its process exits. */
export async function waitForPostgres(options: { readonly pid: number; readonly port: number; readonly logFile: string; readonly timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!isPostgresProcess(options.pid)) throw startFailure(`the local PostgreSQL (pid ${options.pid}) exited during start-up`, options.logFile);
    if (await answers(options.port)) return;
    await sleep(200);
  }
  throw startFailure(`the local PostgreSQL (pid ${options.pid}) did not answer on 127.0.0.1:${options.port} within ${Math.round(options.timeoutMs / 1000)} s`, options.logFile);
}

export async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** SIGINT (PostgreSQL's fast shutdown: sessions are ended, the data is checkpointed), SIGKILL after `graceMs`. */
export async function stopPostgres(pid: number, graceMs: number): Promise<void> {
  signal(pid, 'SIGINT');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isPostgresProcess(pid)) return;
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  while (isPostgresProcess(pid)) await sleep(100);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function startFailure(message: string, logFile: string): LgspError {
  let lines: string[] = [];
  try {
    lines = readFileSync(logFile, 'utf8').trim().split('\n');
  } catch {
    // No log yet.
  }
  const cause = lines.findLast((l) => /\b(FATAL|PANIC|ERROR):/.test(l)) ?? lines.at(-1) ?? '(empty log)';
  return new LgspError('LOCAL_PG_START_FAILED', `${message}: ${cause}`, { context: { logFile }, hint: `read ${logFile}` });
}
