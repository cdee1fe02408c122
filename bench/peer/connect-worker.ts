import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';

/** A running Kafka Connect standalone worker (one JVM, its connectors given as properties files). */
export interface ConnectWorker {
  readonly pid: number;
  /** When (performance.now()) a watched line first appeared in the worker's log, by name. */
  readonly seen: ReadonlyMap<string, number>;
  /** Resolves with the exit code if the worker ends (it should not, before stop()). */
  readonly exited: Promise<number | null>;
  /** The failed connectors' and tasks' traces, from the worker's REST API; empty while all run. */
  failures(): Promise<string[]>;
  /** The last lines of the worker's log, for an error message. */
  tail(lines?: number): string;
  /** SIGTERM (Connect stops its tasks and flushes offsets), SIGKILL after 30 s. */
  stop(): Promise<void>;
}

export interface ConnectWorkerOptions {
  /** The worker's class path folder (connect-runtime and its dependencies, log4j2). */
  readonly libsDir: string;
  readonly workerFile: string;
  readonly connectorFiles: readonly string[];
  readonly log4jFile: string;
  readonly logFile: string;
  readonly jvm: readonly string[];
  readonly restPort: number;
  /** Log lines to time, by name (e.g. the snapshot's end). */
  readonly watch?: Readonly<Record<string, RegExp>>;
}

/**
 * Starts `org.apache.kafka.connect.cli.ConnectStandalone` as connect-standalone.sh would, with
 * `java` from JAVA_HOME or the PATH; its output goes to `logFile`.
 */
export function startConnectWorker(options: ConnectWorkerOptions): ConnectWorker {
  const java = process.env['JAVA_HOME'] === undefined ? 'java' : path.join(process.env['JAVA_HOME'], 'bin', 'java');
  const args = [
    ...options.jvm,
    `-Dlog4j2.configurationFile=${options.log4jFile}`,
    '-cp',
    `${options.libsDir}/*`,
    'org.apache.kafka.connect.cli.ConnectStandalone',
    options.workerFile,
    ...options.connectorFiles,
  ];
  const child: ChildProcess = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new LgspError('PEER_WORKER_START_FAILED', `cannot start ${java}`, { hint: 'install a JDK 17+ or set JAVA_HOME' });
  const log = createWriteStream(options.logFile);
  const seen = new Map<string, number>();
  let recent: string[] = [];
  const watch = Object.entries(options.watch ?? {});
  // One line buffer per stream: stdout (log4j) and stderr (the JVM's own messages) interleave.
  const lineReader = (): ((chunk: Buffer) => void) => {
    let partial = '';
    return (chunk) => {
      log.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        for (const [name, pattern] of watch) if (!seen.has(name) && pattern.test(line)) seen.set(name, performance.now());
      }
      recent = [...recent, ...lines].slice(-40);
    };
  };
  child.stdout?.on('data', lineReader());
  child.stderr?.on('data', lineReader());
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => {
      log.end();
      resolve(code);
    });
  });
  const rest = `http://127.0.0.1:${options.restPort}`;

  return {
    pid: child.pid,
    seen,
    exited,
    failures: async () => {
      try {
        const names = (await (await fetch(`${rest}/connectors`)).json()) as string[];
        const failed: string[] = [];
        for (const name of names) {
          const status = (await (await fetch(`${rest}/connectors/${name}/status`)).json()) as ConnectorStatus;
          if (status.connector.state === 'FAILED') failed.push(`${name}: ${firstLine(status.connector.trace)}`);
          for (const task of status.tasks) if (task.state === 'FAILED') failed.push(`${name} task ${task.id}: ${firstLine(task.trace)}`);
        }
        return failed;
      } catch {
        return []; // the REST server is not up yet (or already down): nothing to say
      }
    },
    tail: (lines = 12) => recent.slice(-lines).join('\n'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface ConnectorStatus {
  readonly connector: { readonly state: string; readonly trace?: string };
  readonly tasks: readonly { readonly id: number; readonly state: string; readonly trace?: string }[];
}

const firstLine = (trace: string | undefined): string => trace?.split('\n').slice(0, 3).join(' ') ?? '(no trace)';
