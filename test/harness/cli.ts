import { spawn, type ChildProcess } from 'node:child_process';
import type { Settings } from '../../src/config/settings.js';

/** The environment a child `lgsp` process needs to use a test's isolated databases and topics. */
export function cliEnv(settings: Settings, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: settings.DATABASE_URL,
    LGSP_SIM_DATABASE_URL: settings.LGSP_SIM_DATABASE_URL,
    LGSP_ONESTOP_DATABASE_URL: settings.LGSP_ONESTOP_DATABASE_URL,
    KAFKA_BROKERS: (settings.KAFKA_BROKERS ?? []).join(','),
    LGSP_TOPIC_PREFIX: settings.LGSP_TOPIC_PREFIX,
    LGSP_TOPIC_PARTITIONS: String(settings.LGSP_TOPIC_PARTITIONS),
    LOG_LEVEL: 'warn',
    LGSP_DEBUG: '',
    ...extra,
  };
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `node bin/lgsp.js …`; `done` resolves when it exits, whatever its exit code. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn('node', ['bin/lgsp.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
