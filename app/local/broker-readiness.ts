import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { LgspError } from '../../src/errors.js';
import { isBrokerProcess } from './pid-file.js';
import { sleep } from './broker-process.js';

/**
 * Waits until the broker at `address` answers a metadata request, failing early if its process dies
 * and with the end of its log file either way.
 */
export async function waitForBroker(options: { readonly pid: number; readonly address: string; readonly logFile: string; readonly timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!isBrokerProcess(options.pid)) {
      throw startFailure(`the Kafka broker (pid ${options.pid}) exited during start-up`, options.logFile);
    }
    if (await answersMetadata(options.address)) return;
    await sleep(500);
  }
  throw startFailure(`the Kafka broker (pid ${options.pid}) did not answer at ${options.address} within ${Math.round(options.timeoutMs / 1000)} s`, options.logFile);
}

/** One quick attempt: connect, describe the cluster, disconnect. */
export async function answersMetadata(address: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'lgsp-local',
    brokers: [address],
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Whether anything accepts TCP connections on the port (a broker we did not start, or another service). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    const done = (inUse: boolean): void => {
      socket.destroy();
      resolve(inUse);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function startFailure(message: string, logFile: string): LgspError {
  return new LgspError('KAFKA_START_FAILED', `${message}: ${mainLogLine(logFile)}`, {
    context: { logFile },
    hint: `read ${logFile}`,
  });
}

/** The first ERROR line of the log (the cause, before the stack traces it sets off), else its last line. */
function mainLogLine(file: string): string {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').trim().split('\n');
  } catch {
    return '(no log)';
  }
  const line = lines.find((l) => / (ERROR|FATAL) /.test(l)) ?? lines.at(-1) ?? '(empty log)';
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
