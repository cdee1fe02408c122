import type { Command } from 'commander';
import { runNightly } from '../../batch/nightly-run.js';
import { createRuntime } from '../../runtime.js';
import { loadSettings, usesLocalPostgres } from '../../../src/config/settings.js';
import { redactUrl } from '../../../src/config/secrets.js';
import { connect } from '../../../src/db/postgres.js';
import { brokerUp } from '../../local/broker.js';
import { postgresUp } from '../../local/postgres.js';
import { createLogger } from '../../../src/logger.js';
import { indicatorsVsTargetsTable } from '../../report/indicators-vs-targets.js';
import { writeReport } from '../../report/write-report.js';
import { migrateLatest } from '../../../warehouse/migrator.js';
import { connectorOverrides, startMockSources } from '../../../simulator/mocks/serve.js';
import { renderTable } from '../table.js';
import { DEMO_SCALE, DEMO_SEED } from './mock.js';
import { printStreamFigures } from './extract.js';
import { printLoadFigures } from './load.js';
import { DECLARED } from '../../deployment.js';

/**
 * `lgsp demo`: from nothing to the indicators. Starts what it needs (the local broker unless
 * KAFKA_BROKERS is set, the local PostgreSQL unless the database URLs name other servers, the
 * simulated sources in this process), migrates, runs the nightly batch
 * (extract every source, load every pipeline, refresh the mart), and prints the indicators against
 * the plan's targets and where the HTML report is. Running it again moves only what changed
 * (nothing), duplicating nothing.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start a local broker and the simulated province, run the nightly batch, and show the indicators against the targets')
    .option('--scale <x>', 'world scale (1.0 ≈ Trà Vinh)', Number, DEMO_SCALE)
    .option('--report <path>', 'where to write the HTML report', 'lgsp-report.html')
    .action(async (options: { scale: number; report: string }) => {
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

      if (usesLocalPostgres(settings)) {
        const pg = await postgresUp(settings, logger);
        say(`    PostgreSQL ${pg.version} at ${pg.address}${pg.alreadyRunning ? ' (already running)' : ' (local, started)'}`);
      }
      say(`2/5 Warehouse: migrating ${redactUrl(settings.DATABASE_URL)}…`);
      const applied = await migrateLatest(settings.DATABASE_URL, logger);
      say(`    ${applied.length} migration(s) applied`);

      say(`3/5 Simulated province (Trà Vinh): seed ${DEMO_SEED}, scale ${options.scale}; national databases as LGSP adapters, the one-stop system's database…`);
      const mock = await startMockSources({ seed: DEMO_SEED, scale: options.scale, storeUrl: settings.LGSP_SIM_DATABASE_URL, logger, ports: 'any' });
      try {
        say(`    ${mock.generated ? 'world generated into' : 'world already in'} ${redactUrl(settings.LGSP_SIM_DATABASE_URL)}`);
        const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-demo' });
        say('4/5 Nightly run: every source → Kafka (Avro, exactly once) → PostgreSQL (COPY + merge), then the mart…');
        const result = await runNightly(runtime, {
          overrides: connectorOverrides(mock, settings.LGSP_SIM_DATABASE_URL),
        });
        printStreamFigures(result.extracted);
        printLoadFigures(result.loaded);
      } finally {
        await mock.close();
      }

      const db = await connect(settings.DATABASE_URL);
      try {
        say('5/5 Indicators against the plan targets (latest year):');
        const lines = await indicatorsVsTargetsTable(db);
        say(renderTable(['indicator', 'year', 'level', 'value', 'target', 'status'], lines.map((l) => [l.indicator, l.year, l.level, l.value, l.target, l.status])));
        const report = await writeReport(db, { out: options.report, refresh: false });
        say(`\nReport: ${report.path}`);
      } finally {
        await db.end();
      }
      say(`Query the warehouse (${redactUrl(settings.DATABASE_URL)}) with psql, or without it:`);
      say(`  npx lgsp sql 'select year, procedure_name, agency_name, missed_components from mart.missed_reuse order by missed_components desc limit 10'`);
      say(`  npx lgsp sql 'select run_id, kind, target, status from meta.runs order by run_id desc limit 5'`);
    });
}
