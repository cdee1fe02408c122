import type { Command } from 'commander';
import { listDeadLetters, replayDeadLetters } from '../../admin/dlq.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { renderTable } from '../table.js';
import { DECLARED } from '../../deployment.js';

/** `lgsp dlq list|replay <topic>`: inspect and replay dead letters. */
export function registerDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('dead-letter topics: what failed and why; replay after a fix');
  dlq
    .command('list')
    .argument('<topic>', 'raw topic (or its .dlq), e.g. lgsp.raw.population.citizen.v1')
    .option('--limit <n>', 'show at most this many', Number, 50)
    .option('--values', 'show the start of each dead letter\'s value too')
    .description('list the dead letters with their reason and origin (control characters shown escaped)')
    .action(async (topic: string, o: { limit: number; values?: boolean }) => {
      const settings = loadSettings();
      const runtime = await createRuntime({ settings, logger: createLogger({ level: settings.LOG_LEVEL }), declarations: DECLARED, clientId: 'lgsp-dlq' });
      const letters = await listDeadLetters(runtime, topic);
      const values = o.values === true;
      process.stdout.write(
        `${renderTable(
          ['partition', 'offset', 'key', 'origin', 'code', 'reason', ...(values ? ['value'] : [])],
          letters
            .slice(0, o.limit)
            .map((l) => [l.partition, l.offset, l.key ?? '', l.origin, l.code, l.reason.slice(0, 120), ...(values ? [l.value?.slice(0, 80) ?? '(tombstone)'] : [])]),
        )}\n${letters.length} dead letter(s)${letters.length > o.limit ? `, ${o.limit} shown` : ''}.\n`,
      );
    });
  dlq
    .command('replay')
    .argument('<topic>', 'raw topic (or its .dlq)')
    .description('re-validate each dead letter not replayed before: now-valid ones go to the raw topic, the rest back to the DLQ with their new reason')
    .action(async (topic: string) => {
      const settings = loadSettings();
      const runtime = await createRuntime({ settings, logger: createLogger({ level: settings.LOG_LEVEL }), declarations: DECLARED, clientId: 'lgsp-dlq' });
      const f = await replayDeadLetters(runtime, topic);
      process.stdout.write(
        `${renderTable(['dlq', 'read', 'produced', 'reinjected', 'dead again'], [[f.topic, f.read, f.produced, f.reinjected, f.deadAgain]])}\n`,
      );
    });
}
