import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { Settings } from '../../src/config/settings.js';
import { renderLogConfig, renderServerProperties } from './broker-config.js';
import { formatStorageIfNeeded, spawnBroker, stopBroker } from './broker-process.js';
import { portInUse, waitForBroker } from './broker-readiness.js';
import { resolveKafkaDistribution } from './kafka-distribution.js';
import { kafkaPaths, type KafkaPaths } from './kafka-paths.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { withStartLock } from './start-lock.js';
import { isBrokerProcess, readBrokerRecord, removeBrokerRecord, writeBrokerRecord, type BrokerRecord, type LocalServiceStatus } from './pid-file.js';

const HOST = '127.0.0.1';

export type LocalBrokerSettings = Pick<Settings, 'LGSP_HOME' | 'LGSP_KAFKA_PORT'>;

export interface BrokerUpOptions {
  /** Broker version; defaults to {@link KAFKA_VERSION}. Other versions are for trying upgrades. */
  readonly version?: string;
  /** The KRaft controller listener; defaults to the client port + 1. */
  readonly controllerPort?: number;
  /** Delete the data directory first: all topics and offsets are lost. */
  readonly fresh?: boolean;
  /** How long to wait for the broker to answer; defaults to 120 s (a cold JVM on two cores). */
  readonly timeoutMs?: number;
}

export interface BrokerUpResult {
  readonly brokers: string[];
  readonly version: string;
  readonly pid: number;
  /** True when a broker started earlier was found running; nothing was started. */
  readonly alreadyRunning: boolean;
}

export type BrokerStatus = LocalServiceStatus;

/**
 * Starts the local single-node KRaft broker on `127.0.0.1:LGSP_KAFKA_PORT`, unless the one started
 * earlier still runs. Lifecycle: resolve the jars (first time only) → write the config → format the
 * data directory (first time only) → start the JVM detached → record its pid → wait until it answers.
 * The broker outlives this process; stop it with {@link brokerDown}.
 */
export async function brokerUp(settings: LocalBrokerSettings, logger: Logger, options: BrokerUpOptions = {}): Promise<BrokerUpResult> {
  const port = settings.LGSP_KAFKA_PORT;
  const version = options.version ?? KAFKA_VERSION;
  const paths = kafkaPaths(settings.LGSP_HOME, version, port);
  const log = logger.child({ component: 'local-kafka', port });
  const timeoutMs = options.timeoutMs ?? 120_000;
  await mkdir(path.dirname(paths.pidFile), { recursive: true });

  // Resolving the jars the first time takes longer than a start; a concurrent `up` waits for both.
  return withStartLock(paths.startLock, timeoutMs + 300_000, async () => {
    const running = runningRecord(paths.pidFile);
    if (running !== undefined && !options.fresh) {
      if (running.version !== version) log.warn({ running: running.version, wanted: version }, 'a broker of another version is running; stop it first to switch');
      return { brokers: [`${HOST}:${port}`], version: running.version, pid: running.pid, alreadyRunning: true };
    }
    if (running !== undefined) await brokerDown(settings, logger);
    await removeBrokerRecord(paths.pidFile);
    const pid = await startBroker(paths, version, port, options.controllerPort ?? port + 1, options.fresh === true, timeoutMs, log);
    return { brokers: [`${HOST}:${port}`], version, pid, alreadyRunning: false };
  });
}

async function startBroker(paths: KafkaPaths, version: string, port: number, controllerPort: number, fresh: boolean, timeoutMs: number, log: Logger): Promise<number> {
  const address = `${HOST}:${port}`;
  if (await portInUse(HOST, port)) {
    throw new LgspError('KAFKA_PORT_IN_USE', `something not started by lgsp already listens on ${address}`, {
      context: { port },
      hint: 'stop it, set KAFKA_BROKERS to use it, or pick another port with LGSP_KAFKA_PORT',
    });
  }
  if (await portInUse(HOST, controllerPort)) {
    throw new LgspError('KAFKA_PORT_IN_USE', `the KRaft controller port ${HOST}:${controllerPort} is already in use`, {
      context: { port: controllerPort },
      hint: 'pick another one with `npx lgsp local up --controller-port <port>`, or another LGSP_KAFKA_PORT',
    });
  }

  await resolveKafkaDistribution(paths, version, log);
  if (fresh) await rm(paths.dataDir, { recursive: true, force: true });
  const logConfig = renderLogConfig(version);
  const logConfigFile = path.join(paths.configDir, logConfig.fileName);
  await mkdir(paths.configDir, { recursive: true });
  await mkdir(paths.dataDir, { recursive: true });
  await writeFile(paths.serverProperties, renderServerProperties({ port, controllerPort, dataDir: paths.dataDir }));
  await writeFile(logConfigFile, logConfig.text);
  if (await formatStorageIfNeeded(paths, logConfig.jvmFlag(logConfigFile))) log.info({ dataDir: paths.dataDir }, 'formatted the data directory');

  const pid = spawnBroker(paths, logConfig.jvmFlag(logConfigFile));
  await writeBrokerRecord(paths.pidFile, { pid, version, port, controllerPort, dataDir: paths.dataDir, logFile: paths.logFile, startedAt: new Date().toISOString() });
  log.info({ pid, version, logFile: paths.logFile }, 'started the Kafka broker; waiting for it to answer');
  try {
    await waitForBroker({ pid, address, logFile: paths.logFile, timeoutMs });
  } catch (err) {
    await stopBroker(pid, 5000);
    await removeBrokerRecord(paths.pidFile);
    throw err;
  }
  return pid;
}

/** Stops the broker started by {@link brokerUp} on this port. Returns false when none was running. */
export async function brokerDown(settings: LocalBrokerSettings, logger: Logger, options: { readonly graceMs?: number } = {}): Promise<boolean> {
  const paths = kafkaPaths(settings.LGSP_HOME, KAFKA_VERSION, settings.LGSP_KAFKA_PORT);
  const running = runningRecord(paths.pidFile);
  if (running === undefined) {
    await removeBrokerRecord(paths.pidFile);
    return false;
  }
  logger.child({ component: 'local-kafka', port: running.port }).info({ pid: running.pid }, 'stopping the Kafka broker');
  await stopBroker(running.pid, options.graceMs ?? 30_000);
  await removeBrokerRecord(paths.pidFile);
  return true;
}

/** Whether the broker of `lgsp local up` runs on this port, and where its files are. */
export function brokerStatus(settings: LocalBrokerSettings): BrokerStatus {
  const paths = kafkaPaths(settings.LGSP_HOME, KAFKA_VERSION, settings.LGSP_KAFKA_PORT);
  const record = runningRecord(paths.pidFile);
  return {
    running: record !== undefined,
    address: `${HOST}:${settings.LGSP_KAFKA_PORT}`,
    pid: record?.pid,
    version: record?.version,
    dataDir: record?.dataDir ?? paths.dataDir,
    logFile: record?.logFile ?? paths.logFile,
    startedAt: record?.startedAt,
  };
}

/** The pid file's record if its process is still a live broker; a stale file counts as not running. */
function runningRecord(pidFile: string): BrokerRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  const record = readBrokerRecord(pidFile);
  return record !== undefined && isBrokerProcess(record.pid) ? record : undefined;
}
