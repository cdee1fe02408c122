import type { StreamFigures } from '../../src/connect/source-runner.js';
import type { Logger } from '../../src/logger.js';
import type { LoadFigures } from '../../src/sink/types.js';

export interface ProgressReporter {
  readonly onStep: (step: string) => void;
  readonly onStepEnd: (step: string) => void;
  readonly onExtract: (figures: StreamFigures) => void;
  readonly onLoad: (figures: LoadFigures) => void;
  readonly stop: () => void;
}

/**
 * Progress of a run: in a terminal, a table redrawn in place (per stream and pipeline: records,
 * rate, lag); otherwise structured pino lines at most every `logEveryMs`, so cron mail and log
 * collectors get a readable record instead of escape codes.
 */
export function createProgressReporter(options: { tty: boolean; logger: Logger; out?: NodeJS.WriteStream; logEveryMs?: number }): ProgressReporter {
  const out = options.out ?? process.stderr;
  const streams = new Map<string, StreamFigures>();
  const loads = new Map<string, LoadFigures>();
  // Steps overlap (extracts side by side, loads beside them): the ones running now.
  const running = new Set<string>();
  const step = (): string => [...running].join(', ');
  let drawnLines = 0;
  let lastLog = 0;

  const rate = (n: number, seconds: number): string => (seconds > 0 ? `${Math.round(n / seconds)}/s` : '-');

  function lines(): string[] {
    const rows = [`running: ${step()}`];
    for (const f of streams.values()) {
      rows.push(`  extract ${`${f.connector}.${f.stream}`.padEnd(28)} read ${String(f.read).padStart(9)}  produced ${String(f.produced).padStart(9)}  dlq ${String(f.deadLettered).padStart(6)}  ${rate(f.read, f.seconds).padStart(9)}`);
    }
    for (const f of loads.values()) {
      const lag = f.lag === undefined ? '' : `  lag ${String(f.lag).padStart(9)}`;
      rows.push(`  load    ${f.pipeline.padEnd(28)} consumed ${String(f.consumed).padStart(9)}  loaded ${String(f.loaded + f.updated).padStart(9)}  rejected ${String(f.rejected).padStart(6)}  ${rate(f.consumed, f.seconds).padStart(9)}${lag}`);
    }
    return rows;
  }

  function draw(): void {
    if (!options.tty) return;
    const text = lines();
    // Move up over the previous drawing and overwrite it.
    if (drawnLines > 0) out.write(`\x1b[${drawnLines}A`);
    out.write(text.map((l) => `\x1b[2K${l}\n`).join(''));
    drawnLines = text.length;
  }

  function log(force = false): void {
    if (options.tty) return;
    const now = Date.now();
    if (!force && now - lastLog < (options.logEveryMs ?? 5000)) return;
    lastLog = now;
    options.logger.info({ running: [...running], streams: [...streams.values()], loads: [...loads.values()] }, 'progress');
  }

  const timer = options.tty ? setInterval(draw, 500) : null;
  timer?.unref();

  return {
    onStep(next) {
      running.add(next);
      draw();
      log(true);
    },
    onStepEnd(done) {
      running.delete(done);
      draw();
    },
    onExtract(figures) {
      streams.set(`${figures.connector}.${figures.stream}`, { ...figures });
      log();
    },
    onLoad(figures) {
      loads.set(figures.pipeline, { ...figures });
      log();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      draw();
    },
  };
}
