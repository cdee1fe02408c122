import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, dropDatabase, ensureDatabase } from '../../src/db/postgres.js';
import { LgspError } from '../../src/errors.js';
import { startCpuAccount, type CpuFigures } from '../cpu-accounting.js';
import type { ConnectDistribution } from './connect-distribution.js';
import { LOG4J2_PROPERTIES, renderProperties, sinkProperties, sourceProperties, workerProperties, type PeerPlacement, type PeerSettings } from './connect-config.js';
import { startConnectWorker } from './connect-worker.js';
import { MOVED_TABLES } from './onestop-rows.js';

const POLL_MS = 250;

export interface PeerRun {
  /** From starting the worker's JVM to the target holding every source row. */
  readonly seconds: number;
  /** From starting the JVM to the worker logging "Kafka Connect started" (plugins loaded, REST up). */
  readonly startupSeconds: number | null;
  /** From starting the JVM to Debezium logging the snapshot's end (all rows handed to the producer). */
  readonly snapshotSeconds: number | null;
  readonly cpu: CpuFigures | undefined;
  /** The worker's, the source's and the sink's properties, as run (no secrets: trust auth). */
  readonly properties: { readonly worker: Record<string, string>; readonly source: Record<string, string>; readonly sink: Record<string, string> };
}

export interface PeerRunOptions {
  readonly distribution: ConnectDistribution;
  readonly placement: Omit<PeerPlacement, 'offsetsFile' | 'pluginPath'>;
  readonly settings: PeerSettings;
  /** The target database (dropped and created here), as a node-postgres URL. */
  readonly targetUrl: string;
  /** Rows per source table (`onestop.x` → n): the clock stops when the target has them all. */
  readonly expected: Readonly<Record<string, number>>;
  /** CPU account labels (database → group, cluster_name → group). */
  readonly cpuLabels: { readonly databases: Readonly<Record<string, string>>; readonly clusters: Readonly<Record<string, string>> };
  readonly logFile: string;
  readonly timeoutMs: number;
}

/**
 * The field's standard stack, once: a fresh target database with an empty `onestop` schema (the
 * sink creates the tables, `schema.evolution=basic`), a standalone Connect worker running the
 * Debezium source (snapshot only) and the JDBC sink side by side, and a clock stopped by counting
 * the target's rows every 250 ms until each table holds as many as its source table.
 */
export async function runPeer(options: PeerRunOptions): Promise<PeerRun> {
  await dropDatabase(options.targetUrl);
  await ensureDatabase(options.targetUrl);
  const target = await connect(options.targetUrl);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lgsp-peer-connect-'));
  try {
    await target.query('CREATE SCHEMA onestop');
    const placement: PeerPlacement = { ...options.placement, offsetsFile: path.join(dir, 'connect.offsets'), pluginPath: options.distribution.pluginsDir };
    const properties = {
      worker: workerProperties(placement, options.settings),
      source: sourceProperties(placement, options.settings),
      sink: sinkProperties(placement, options.settings),
    };
    const files = { worker: path.join(dir, 'worker.properties'), source: path.join(dir, 'source.properties'), sink: path.join(dir, 'sink.properties'), log4j: path.join(dir, 'log4j2.properties') };
    await Promise.all([
      writeFile(files.worker, renderProperties(properties.worker)),
      writeFile(files.source, renderProperties(properties.source)),
      writeFile(files.sink, renderProperties(properties.sink)),
      writeFile(files.log4j, LOG4J2_PROPERTIES),
    ]);

    const started = performance.now();
    const worker = startConnectWorker({
      libsDir: options.distribution.libsDir,
      workerFile: files.worker,
      connectorFiles: [files.source, files.sink],
      log4jFile: files.log4j,
      logFile: options.logFile,
      jvm: options.settings.jvm,
      restPort: placement.restPort,
      watch: { started: /Kafka Connect started/, snapshot: /Snapshot completed/ },
    });
    const account = startCpuAccount(options.cpuLabels.databases, { [worker.pid]: 'kafka connect worker (JVM)' }, options.cpuLabels.clusters);
    let cpu: CpuFigures | undefined;
    let exitCode: number | null | undefined;
    void worker.exited.then((code) => (exitCode = code));
    try {
      const pending = new Set(MOVED_TABLES.map((t) => t.name));
      let lastCheck = 0;
      while (pending.size > 0) {
        if (exitCode !== undefined) throw failure(`the Kafka Connect worker exited (code ${String(exitCode)}) before the target held every row`, worker.tail());
        if (performance.now() - started > options.timeoutMs) throw failure(`the target did not hold every row within ${options.timeoutMs / 1000} s`, worker.tail());
        if (performance.now() - lastCheck > 2000) {
          lastCheck = performance.now();
          const failed = await worker.failures();
          if (failed.length > 0) throw failure(`a connector failed: ${failed.join('; ')}`, worker.tail());
        }
        for (const table of [...pending]) if ((await countRows(target, table)) >= (options.expected[table] ?? 0)) pending.delete(table);
        if (pending.size > 0) await sleep(POLL_MS);
      }
      const seconds = (performance.now() - started) / 1000;
      cpu = account.stop();
      const since = (mark: string): number | null => {
        const at = worker.seen.get(mark);
        return at === undefined ? null : (at - started) / 1000;
      };
      return { seconds, startupSeconds: since('started'), snapshotSeconds: since('snapshot'), cpu, properties };
    } finally {
      if (cpu === undefined) account.stop();
      await worker.stop();
    }
  } finally {
    await target.end().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rows in a target table; 0 until the sink has created it. */
async function countRows(client: Awaited<ReturnType<typeof connect>>, table: string): Promise<number> {
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n ?? 0);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return 0; // undefined_table: not created yet
    throw err;
  }
}

function failure(message: string, tail: string): LgspError {
  return new LgspError('PEER_RUN_FAILED', `${message}\n--- worker log (last lines) ---\n${tail}`, { hint: 'the whole worker log is in bench/results/peer-connect.log' });
}
