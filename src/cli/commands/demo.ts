import type { Command } from 'commander';
import { extract } from '../../app/extract.js';
import { load } from '../../app/load.js';
import { createRuntime } from '../../app/runtime.js';
import { loadSettings, redactUrl } from '../../config/settings.js';
import { connect } from '../../db/postgres.js';
import { brokerUp } from '../../local/broker.js';
import { createLogger } from '../../logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { startMockSources } from '../../../simulator/mocks/serve.js';
import { DEMO_SCALE, DEMO_SEED } from './mock.js';
import { printStreamFigures } from './extract.js';
import { printLoadFigures } from './load.js';

/**
 * `lgsp demo`: from nothing to a loaded warehouse. Starts what it needs (the local broker unless
 * KAFKA_BROKERS is set, the mock sources in this process), migrates, extracts, loads, and shows
 * how to query the result. Running it again loads only what changed (nothing), duplicating nothing.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start a local broker and the mock sources, extract and load the population, and show how to query it')
    .option('--scale <x>', 'world scale', Number, DEMO_SCALE)
    .action(async (options: { scale: number }) => {
      const settings = loadSettings();
      const logger = createLogger({ level: process.env['LOG_LEVEL'] === undefined ? 'warn' : settings.LOG_LEVEL });
      const say = (line: string): void => void process.stdout.write(`${line}\n`);

      if (settings.KAFKA_BROKERS === undefined) {
        say('1/5 Kafka: starting the local broker (the first start downloads the Kafka jars with Maven)…');
        const broker = await brokerUp(settings, logger);
        say(`    Kafka ${broker.version} at ${broker.brokers.join(',')}${broker.alreadyRunning ? ' (already running)' : ''}`);
      } else {
        say(`1/5 Kafka: using KAFKA_BROKERS=${settings.KAFKA_BROKERS.join(',')}`);
      }

      say(`2/5 Warehouse: migrating ${redactUrl(settings.DATABASE_URL)}…`);
      const applied = await migrateLatest(settings.DATABASE_URL, logger);
      say(`    ${applied.length} migration(s) applied`);

      say(`3/5 Simulated province: seed ${DEMO_SEED}, scale ${options.scale}, mock population API…`);
      const mock = await startMockSources({ seed: DEMO_SEED, scale: options.scale, storeUrl: settings.LGSP_SIM_DATABASE_URL, logger, ports: 'any' });
      try {
        say(`    serving ${mock.urls.population}${mock.generated ? ' (world generated)' : ' (world already in the store)'}`);
        const runtime = await createRuntime(settings, logger, 'lgsp-demo');

        say('4/5 Extract: population API → Kafka (Avro, one transaction per page)');
        printStreamFigures(await extract(runtime, ['population'], { overrides: { population: { baseUrl: mock.urls.population } } }));

        say('5/5 Load: Kafka → PostgreSQL core.citizen (COPY + merge, offsets in the same transaction)');
        printLoadFigures(await load(runtime, ['population']));
      } finally {
        await mock.close();
      }

      const db = await connect(settings.DATABASE_URL);
      try {
        const counts = await db.query<{ live: number; deleted: number }>(
          `SELECT count(*) FILTER (WHERE deleted_at IS NULL)::int AS live, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted FROM core.citizen`,
        );
        const row = counts.rows[0];
        say(`\ncore.citizen holds ${row?.live ?? 0} citizens (${row?.deleted ?? 0} deleted in the source, kept as soft deletes).`);
      } finally {
        await db.end();
      }
      say('Query it:');
      say(`  psql '${redactUrl(settings.DATABASE_URL)}' -c 'select residence_commune_code, count(*) from core.citizen where deleted_at is null group by 1 order by 2 desc limit 10'`);
      say(`  psql '${redactUrl(settings.DATABASE_URL)}' -c 'select run_id, kind, target, status, figures from meta.runs order by run_id desc limit 5'`);
    });
}
