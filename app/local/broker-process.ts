import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';
import type { KafkaPaths } from './kafka-paths.js';
import { isBrokerProcess } from './pid-file.js';

/** Small heap: the machine that runs the broker also runs the tests beside it. */
const JVM_OPTIONS: readonly string[] = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

function classPath(paths: KafkaPaths): string {
  // The JVM expands `dir/*` itself; no shell is involved.
  return path.join(paths.libsDir, '*');
}

/** A KRaft cluster id as Kafka writes it: 16 random bytes, base64url without padding, not starting with '-'. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the data directory once; a directory that already holds `meta.properties` is left alone. */
export async function formatStorageIfNeeded(paths: KafkaPaths, logConfigFlag: string): Promise<boolean> {
  if (existsSync(path.join(paths.dataDir, 'meta.properties'))) return false;
  const args = [...JVM_OPTIONS, logConfigFlag, '-cp', classPath(paths), 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', paths.serverProperties];
  const { code, output } = await run('java', args);
  if (code !== 0) {
    throw new LgspError('KAFKA_FORMAT_FAILED', `formatting the Kafka data directory failed (exit ${String(code)}): ${output.trim().split('\n').slice(-5).join(' | ')}`, {
      context: { dataDir: paths.dataDir },
      hint: `remove ${paths.dataDir} and run \`npx lgsp local up\` again`,
    });
  }
  return true;
}

/** Starts `kafka.Kafka` detached from this process, its output written to the log file; returns its pid. */
export function spawnBroker(paths: KafkaPaths, logConfigFlag: string): number {
  // Each start gets a fresh log, so the lines quoted on a failed start are this start's.
  const log = openSync(paths.logFile, 'w');
  try {
    const child = spawn('java', [...JVM_OPTIONS, logConfigFlag, `-Dkafka.logs.dir=${path.dirname(paths.logFile)}`, '-cp', classPath(paths), 'kafka.Kafka', paths.serverProperties], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    // A missing `java` is reported through `pid === undefined` below; the event must not crash us.
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) {
      throw new LgspError('KAFKA_START_FAILED', 'could not start java for the Kafka broker', {
        hint: 'install a JDK 17+ and make sure `java` is on the PATH, or set KAFKA_BROKERS',
      });
    }
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM (Kafka shuts down cleanly), then SIGKILL if it has not exited after `graceMs`. */
export async function stopBroker(pid: number, graceMs: number): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isBrokerProcess(pid)) return;
    await sleep(200);
  }
  signal(pid, 'SIGKILL');
  while (isBrokerProcess(pid)) await sleep(100);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
