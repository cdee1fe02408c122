import type { Command } from 'commander';
import { load } from '../../batch/load.js';
import { selectPipelines } from '../../declarations.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import type { LoadFigures } from '../../../src/sink/types.js';
import { renderTable } from '../table.js';
import { DECLARED } from '../../deployment.js';

export function printLoadFigures(figures: readonly LoadFigures[]): void {
  process.stdout.write(
    `${renderTable(
      ['pipeline', 'consumed', 'loaded', 'updated', 'deleted', 'rejected', 'seconds', 'records/s'],
      figures.map((f) => [
        f.pipeline,
        f.consumed,
        f.loaded,
        f.updated,
        f.deleted,
        f.rejected,
        Number(f.seconds.toFixed(1)),
        Math.round(f.seconds > 0 ? f.consumed / f.seconds : 0),
      ]),
    )}\n`,
  );
}

/** `lgsp load <pipeline|all>`: load up to the end offsets taken at the start. */
export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('load the warehouse from Kafka up to the end offsets taken at the start')
    .argument('[pipelines...]', 'pipeline names, or all', ['all'])
    .action(async (pipelines: string[]) => {
      const settings = loadSettings();
      const selected = selectPipelines(DECLARED, pipelines);
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-load' });
      printLoadFigures(await load(runtime, selected));
    });
}
