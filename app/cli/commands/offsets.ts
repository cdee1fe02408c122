import { InvalidArgumentError, type Command } from 'commander';
import { resetOffsets, showOffsets, type PartitionOffsets, type ResetTarget } from '../../admin/offsets-admin.js';
import { selectPipelines } from '../../declarations.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { renderTable } from '../table.js';
import { DECLARED } from '../../deployment.js';

function print(rows: readonly PartitionOffsets[]): void {
  process.stdout.write(
    `${renderTable(
      ['topic', 'partition', 'stored next offset', 'low', 'high', 'lag'],
      rows.map((r) => [r.topic, r.partition, r.stored ?? 'never loaded', r.low, r.high, r.lag]),
    )}\n`,
  );
}

function parseTarget(value: string): ResetTarget {
  if (value === 'earliest' || value === 'latest') return { to: value };
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('must be earliest, latest, or an ISO date-time');
  return { to: 'time', at };
}

/** `lgsp offsets show|reset <pipeline>`: the offsets a pipeline stored in the warehouse. */
export function registerOffsetsCommand(program: Command): void {
  const offsets = program.command('offsets').description("show or move a pipeline's stored offsets (the warehouse's, which are the truth)");
  offsets
    .command('show')
    .argument('<pipeline>', 'pipeline name')
    .description('stored next offset per partition, beside its range and lag')
    .action(async (pipeline: string) => {
      selectPipelines(DECLARED, [pipeline]);
      const settings = loadSettings();
      const runtime = await createRuntime({ settings, logger: createLogger({ level: settings.LOG_LEVEL }), declarations: DECLARED, clientId: 'lgsp-offsets' });
      print(await showOffsets(runtime, pipeline));
    });
  offsets
    .command('reset')
    .argument('<pipeline>', 'pipeline name')
    .requiredOption('--to <target>', 'earliest (reload everything), latest (skip what is there), or an ISO date-time', parseTarget)
    .description('move the stored offsets; refused while the pipeline runs. Reloading is safe: merges change only what differs')
    .action(async (pipeline: string, o: { to: ResetTarget }) => {
      selectPipelines(DECLARED, [pipeline]);
      const settings = loadSettings();
      const runtime = await createRuntime({ settings, logger: createLogger({ level: settings.LOG_LEVEL }), declarations: DECLARED, clientId: 'lgsp-offsets' });
      print(await resetOffsets(runtime, pipeline, o.to));
    });
}
