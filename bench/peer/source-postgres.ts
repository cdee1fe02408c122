import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LgspError } from '../../src/errors.js';

const run = promisify(execFile);

/** The name the source server's processes carry in `ps` (and bench/cpu-accounting.ts groups them by). */
export const SOURCE_CLUSTER_NAME = 'lgsp-peer-source';

/** A PostgreSQL server of the benchmark's own, for the one-stop rows both stacks read. */
export interface SourcePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the server; pick the database with `withDatabase`. */
  readonly serverUrl: string;
  readonly port: number;
  /** The postmaster's pid, for the CPU account. */
  readonly pid: number;
  /** Stops the server (fast shutdown) and removes its data directory. */
  stop(): Promise<void>;
}

export interface SourcePostgresOptions {
  /** Folder of initdb and pg_ctl: LGSP_PG_BIN, else the newest /usr/lib/postgresql/<major>/bin (Debian's place), else the PATH. */
  readonly binDir?: string;
  /** A free port is picked when not given. */
  readonly port?: number;
}

/**
 * Starts a throwaway PostgreSQL with `wal_level=logical`, which Debezium's PostgreSQL connector
 * needs and the machine's shared server does not have (and must not be restarted to get): initdb
 * into a temp dir, then pg_ctl, trust auth on 127.0.0.1 only. Run as root, the server runs as the
 * `postgres` OS user (PostgreSQL refuses root). The one place that knows how the source server
 * starts, so another way (an embedded PostgreSQL package) can replace it.
 */
export async function startSourcePostgres(options: SourcePostgresOptions = {}): Promise<SourcePostgres> {
  const binDir = options.binDir ?? process.env['LGSP_PG_BIN'] ?? debianBinDir();
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lgsp-peer-source-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL will not run as root: hand the folder to the `postgres` user and run as it.
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgTool = (tool: string, args: readonly string[]): Promise<{ stdout: string }> => {
    const command = binDir === undefined ? tool : path.join(binDir, tool);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args], { cwd: dir }) : run(command, args, { cwd: dir });
  };
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dir}`,
    'wal_level=logical',
    'max_wal_senders=4',
    'max_replication_slots=4',
    `cluster_name=${SOURCE_CLUSTER_NAME}`,
  ];
  try {
    await pgTool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    await pgTool('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', settings.map((s) => `-c ${s}`).join(' '), 'start']);
  } catch (err) {
    const log = await readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new LgspError('PEER_SOURCE_START_FAILED', `cannot start the benchmark's source PostgreSQL: ${(err as Error).message} ${log.slice(-500)}`, {
      cause: err,
      hint: `needs PostgreSQL's server binaries (initdb, pg_ctl) ${binDir === undefined ? 'on the PATH' : `in ${binDir}`}; LGSP_PG_BIN names their folder`,
    });
  }
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid,
    stop: async () => {
      await pgTool('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The newest PostgreSQL's bin folder where Debian puts them, if any. */
function debianBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : path.join(root, newest, 'bin');
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
