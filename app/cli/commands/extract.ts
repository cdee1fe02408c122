import type { Command } from 'commander';
import { extract } from '../../batch/extract.js';
import { selectConnectors } from '../../declarations.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { renderTable } from '../table.js';
import type { StreamFigures } from '../../../src/connect/source-runner.js';
import { DECLARED } from '../../deployment.js';

export function printStreamFigures(figures: readonly StreamFigures[]): void {
  process.stdout.write(
    `${renderTable(
      ['source', 'stream', 'read', 'produced', 'tombstones', 'dead-lettered', 'retries', 'seconds'],
      figures.map((f) => [f.connector, f.stream, f.read, f.produced, f.tombstones, f.deadLettered, f.retries, Number(f.seconds.toFixed(1))]),
    )}\n`,
  );
}

/** `lgsp extract <source|all>`: run connectors until caught up. */
export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('move new and changed source records into Kafka until caught up')
    .argument('[sources...]', 'source names, or all', ['all'])
    .action(async (sources: string[]) => {
      const settings = loadSettings();
      const selected = selectConnectors(DECLARED, sources);
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-extract' });
      printStreamFigures(await extract(runtime, selected));
    });
}
