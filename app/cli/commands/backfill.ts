import { InvalidArgumentError, type Command } from 'commander';
import { backfill } from '../../batch/backfill.js';
import { selectConnectors } from '../../declarations.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { printStreamFigures } from './extract.js';
import { printLoadFigures } from './load.js';
import { DECLARED } from '../../deployment.js';

function parseDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be a date or date-time, e.g. 2025-03-01 or 2025-03-01T00:00:00+07:00');
  return date;
}

/** `lgsp backfill <source> --from --to`: re-extract a window idempotently and load it. */
export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .argument('<source>', 'source to re-extract')
    .requiredOption('--from <date>', 'first update time to re-read (inclusive)', parseDate)
    .requiredOption('--to <date>', 'end of the window (exclusive)', parseDate)
    .option('--no-load', 'only re-extract into Kafka; do not load the pipelines it feeds')
    .description("re-extract a source's changes in a window (the connector's offsets stay) and load them; repeating it changes nothing")
    .action(async (source: string, o: { from: Date; to: Date; load: boolean }) => {
      selectConnectors(DECLARED, [source]);
      const settings = loadSettings();
      const runtime = await createRuntime({ settings, logger: createLogger({ level: settings.LOG_LEVEL }), declarations: DECLARED, clientId: 'lgsp-backfill' });
      const result = await backfill(runtime, source, { from: o.from, to: o.to }, { load: o.load });
      printStreamFigures(result.extracted);
      if (result.loaded.length > 0) printLoadFigures(result.loaded);
    });
}
