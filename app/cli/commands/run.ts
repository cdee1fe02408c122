import type { Command } from 'commander';
import { RunInterruptedError } from '../../batch/interrupted.js';
import { runNightly } from '../../batch/nightly-run.js';
import { createProgressReporter } from '../../batch/progress.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { signalExitCode, stopOnSignals } from '../signals.js';
import { printStreamFigures } from './extract.js';
import { printLoadFigures } from './load.js';
import { DECLARED } from '../../deployment.js';
import type { Reconciliation } from '../../admin/reconcile.js';
import { terminalText } from '../terminal-text.js';

/** The run's reconciliation in one line, and the lines that do not add up (`lgsp reconcile` has the rest). */
function printReconciliation(r: Reconciliation | null): void {
  if (r === null) {
    process.stdout.write('Reconciliation: could not be read back; run `lgsp reconcile`.\n');
    return;
  }
  const flagged = r.lines.filter((l) => l.status !== 'ok');
  process.stdout.write(`Reconciliation: ${r.lines.length - flagged.length} of ${r.lines.length} checks add up, ${r.unexplained} do not (lgsp reconcile --run ${r.runId}).\n`);
  for (const l of flagged) process.stdout.write(`  ${l.status === 'note' ? 'note' : 'DOES NOT ADD UP'}: ${terminalText(l.subject)}: ${terminalText(l.text)}\n`);
  if (r.unexplained > 0) process.exitCode = 1;
}

const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** `lgsp run`: the nightly batch, once. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('the nightly batch: extract every source until caught up, load every pipeline, refresh the mart, record the run')
    .option('--sources <names>', 'comma-separated sources to extract (default: all)', list)
    .option('--pipelines <names>', 'comma-separated pipelines to load (default: all)', list)
    .action(async (options: { sources?: string[]; pipelines?: string[] }) => {
      const settings = loadSettings();
      // In a terminal the progress display tells the story; JSON lines would tear it, so only
      // warnings are logged there unless LOG_LEVEL asks for more.
      const tty = process.stderr.isTTY;
      const logger = createLogger({ level: tty && process.env['LOG_LEVEL'] === undefined ? 'warn' : settings.LOG_LEVEL });
      const stop = stopOnSignals((sig) => logger.warn({ signal: sig }, 'stopping after the current commit; send again to exit at once'));
      const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-run' });
      const progress = createProgressReporter({ tty, logger });
      try {
        const result = await runNightly(runtime, {
          ...(options.sources === undefined ? {} : { sources: options.sources }),
          ...(options.pipelines === undefined ? {} : { pipelines: options.pipelines }),
          signal: stop.signal,
          onStep: progress.onStep,
          onStepEnd: progress.onStepEnd,
          onExtractProgress: progress.onExtract,
          onLoadProgress: progress.onLoad,
        });
        progress.stop();
        process.stdout.write(`Run ${result.runId} succeeded.\n`);
        printStreamFigures(result.extracted);
        printLoadFigures(result.loaded);
        printReconciliation(result.reconciliation);
      } catch (err) {
        progress.stop();
        const sig = stop.received();
        if (err instanceof RunInterruptedError && sig !== null) {
          process.stderr.write(`lgsp: ${err.message} [${err.code}]\n`);
          process.exitCode = signalExitCode(sig);
          return;
        }
        throw err;
      }
    });
}
