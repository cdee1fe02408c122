import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from '../../src/db/postgres.js';
import { LgspError } from '../../src/errors.js';
import { startCpuAccount, type CpuFigures } from '../cpu-accounting.js';

const CLI = fileURLToPath(new URL('../../bin/lgsp.js', import.meta.url));
const LOAD_STEP = 'load:onestop';

export interface OursRun {
  /** From starting `lgsp run` to its one-stop load step finishing (every row committed in the warehouse). */
  readonly seconds: number;
  /** From starting `lgsp run` to its first step starting (node, tsx, settings, broker and database checks). */
  readonly startupSeconds: number | null;
  /** The whole `lgsp run` process, its mart refresh included. */
  readonly processSeconds: number;
  /** Seconds of each step as the run logged them (extract:onestop, load:onestop, refresh-mart). */
  readonly steps: Readonly<Record<string, number>>;
  /** CPU from the start to the load step's end (the mart refresh is not part of the comparison). */
  readonly cpu: CpuFigures | undefined;
}

export interface OursRunOptions {
  /** The environment of the CLI: DATABASE_URL, LGSP_ONESTOP_DATABASE_URL, KAFKA_BROKERS, LGSP_TOPIC_PREFIX… */
  readonly env: Readonly<Record<string, string>>;
  readonly cpuLabels: { readonly databases: Readonly<Record<string, string>>; readonly clusters: Readonly<Record<string, string>> };
  readonly logFile: string;
}

/**
 * This project, as an operator runs it: a fresh warehouse (`lgsp migrate`), then `lgsp run
 * --sources onestop --pipelines onestop` in a process of its own. The clock stops when the run
 * logs its one-stop load step finished; the process goes on to refresh the mart and exits.
 */
export async function runOurs(options: OursRunOptions): Promise<OursRun> {
  const warehouse = options.env['DATABASE_URL'];
  if (warehouse === undefined) throw new Error('runOurs needs DATABASE_URL');
  await dropDatabase(warehouse);
  const log = createWriteStream(options.logFile);
  try {
    await cli(['migrate'], options.env, log);
    const steps: Record<string, number> = {};
    let loadDone: { at: number; cpu: CpuFigures | undefined } | undefined;
    let firstStep: number | undefined;
    let account: ReturnType<typeof startCpuAccount> | undefined;
    const started = performance.now();
    const code = await cli(['run', '--sources', 'onestop', '--pipelines', 'onestop'], { ...options.env, LOG_LEVEL: 'info' }, log, {
      onStart: (pid) => (account = startCpuAccount(options.cpuLabels.databases, { [pid]: 'lgsp run (node)' }, options.cpuLabels.clusters)),
      onLine: (line) => {
        const entry = parseLogLine(line);
        if (entry?.msg === 'step started') firstStep ??= performance.now();
        if (entry?.msg !== 'step finished' || typeof entry.step !== 'string' || typeof entry.seconds !== 'number') return;
        steps[entry.step] = entry.seconds;
        if (entry.step === LOAD_STEP) loadDone = { at: performance.now(), cpu: account?.stop() };
      },
    });
    const processSeconds = (performance.now() - started) / 1000;
    if (loadDone === undefined) account?.stop();
    if (code !== 0) throw new LgspError('OURS_RUN_FAILED', `lgsp run exited with ${String(code)}`, { hint: `see ${options.logFile}` });
    if (loadDone === undefined) throw new LgspError('OURS_RUN_FAILED', `lgsp run did not log its ${LOAD_STEP} step finishing`, { hint: `see ${options.logFile}` });
    const startupSeconds = firstStep === undefined ? null : (firstStep - started) / 1000;
    return { seconds: (loadDone.at - started) / 1000, startupSeconds, processSeconds, steps, cpu: loadDone.cpu };
  } finally {
    log.end();
  }
}

interface LogEntry {
  readonly msg?: unknown;
  readonly step?: unknown;
  readonly seconds?: unknown;
}

function parseLogLine(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return undefined;
  }
}

/** Runs `node bin/lgsp.js <args>`; its output goes to `log` and, line by line, to `onLine`. */
function cli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  log: NodeJS.WritableStream,
  hooks: { onStart?: (pid: number) => void; onLine?: (line: string) => void } = {},
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) hooks.onStart?.(child.pid);
    // Lines are split per stream: stdout (the summary) and stderr (the JSON log) interleave.
    const partials = ['', ''];
    const lineReader = (index: number): ((chunk: Buffer) => void) => (chunk) => {
      log.write(chunk);
      const lines = ((partials[index] ?? '') + chunk.toString()).split('\n');
      partials[index] = lines.pop() ?? '';
      for (const line of lines) hooks.onLine?.(line);
    };
    child.stdout.on('data', lineReader(0));
    child.stderr.on('data', lineReader(1));
    child.once('error', reject);
    child.once('close', (code) => {
      for (const rest of partials) if (rest !== '') hooks.onLine?.(rest);
      if (args[0] === 'migrate' && code !== 0) reject(new LgspError('OURS_RUN_FAILED', `lgsp migrate exited with ${String(code)}`));
      else resolve(code);
    });
  });
}
