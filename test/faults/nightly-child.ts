import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliResult } from '../harness/cli.js';

export interface ChildRun extends CliResult {
  readonly seconds: number;
  /** The last step the run had started (from its `step started` log lines), or null. */
  readonly lastStep: string | null;
}

/**
 * `lgsp run` (the whole nightly batch) as a child process. `during` is called once it has started
 * (e.g. to kill it, or to restart the broker under it); a run still going after `timeoutMs` is
 * SIGKILLed so that a hang fails the trial instead of the suite's timeout.
 */
export async function runNightlyChild(
  env: NodeJS.ProcessEnv,
  options: { during?: (child: ReturnType<typeof startCli>['child']) => Promise<void>; timeoutMs?: number } = {},
): Promise<ChildRun & { timedOut: boolean }> {
  const started = Date.now();
  const { child, done } = startCli(['run'], env);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 180_000);
  try {
    const during = options.during?.(child);
    const result = await done;
    const seconds = (Date.now() - started) / 1000;
    await during;
    return { ...result, seconds, lastStep: lastStep(result.stderr), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

function lastStep(stderr: string): string | null {
  let step: string | null = null;
  for (const line of stderr.split('\n')) {
    if (!line.includes('"step started"')) continue;
    try {
      step = (JSON.parse(line) as { step?: string }).step ?? step;
    } catch {
      // Not a log line (progress output, an error message): ignore.
    }
  }
  return step;
}

/**
 * The run's error: its `lgsp: …` line, or for a crash (an uncaught exception, which Node ends with
 * its version) the exception's first line and where it was thrown.
 */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
  // With LGSP_DEBUG=1 the error is followed by its stack: keep the frames of this project and of kafkajs.
  const frames = lines.filter((l) => /^\s+at .*(\/src\/|kafkajs)/.test(l)).slice(0, 4).map((l) => l.trim().replace(/^at /, '< '));
  const lgsp = lines.find((l) => l.startsWith('lgsp:'));
  if (lgsp !== undefined) return [lgsp, ...frames].join(' ');
  const thrown = lines.findIndex((l) => /^(\w*Error|error)\b/.test(l.trim()) || l.includes('Unhandled'));
  if (thrown >= 0) return `crashed: ${lines.slice(thrown, thrown + 3).map((l) => l.trim()).join(' ')}`;
  return lines.at(-1) ?? '';
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps a failed run's whole stderr (logs and stack) under the temp directory; returns the file. */
export function keepStderr(label: string, stderr: string): string {
  const dir = join(tmpdir(), 'lgsp-faults');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${label.replace(/[^\w.-]+/g, '-')}-${Date.now()}.stderr`);
  writeFileSync(file, stderr);
  return file;
}
