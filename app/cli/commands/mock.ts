import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { NO_FAULTS, type FaultConfig } from '../../../simulator/mocks/faults.js';
import { DEFAULT_MOCK_PORTS, startMockSources } from '../../../simulator/mocks/serve.js';
import { advanceStore, truthOfStore } from '../../../simulator/store/store-tasks.js';
import { VNEID_LAUNCH_DATE } from '../../../simulator/world/index.js';
import { TRUTH_SUMMARY_HEADERS, truthSummaryRows } from '../../../simulator/world/truth-summary.js';
import { renderTable } from '../table.js';

export const DEMO_SEED = 84;
export const DEMO_SCALE = 0.01;

/** `lgsp mock serve | advance | truth`: the simulated province (logic in simulator/). */
export function registerMockCommand(program: Command): void {
  const mock = program.command('mock').description('the simulated province: its national databases as LGSP adapters');
  mock
    .command('serve')
    .description('generate the world (once) into the simulator store and serve the mock sources until interrupted')
    .option('--seed <n>', 'world seed', parseInteger, DEMO_SEED)
    .option('--scale <x>', 'world scale (1.0 ≈ Trà Vinh, ~1M citizens)', parseScale, DEMO_SCALE)
    .option('--as-of <date>', 'load the world as of this day (default 2025-12-31, or keep a world moved on by `mock advance`)', parseDate)
    .option('--vneid-from <date>', 'the day the population database starts returning each citizen\'s e-identification level (vneidLevel: raw schema v2); default never', parseVneidFrom)
    .option('--base-port <n>', 'port of the population adapter; business, insurance and land take the next ones', parseInteger, DEFAULT_MOCK_PORTS.population)
    .option('--latency <ms>', 'added to every answer', parseInteger, 0)
    .option('--rate-429 <r>', 'share of requests answered 429 with Retry-After', parseRate, 0)
    .option('--rate-5xx <r>', 'share of requests answered 503', parseRate, 0)
    .option('--rate-reset <r>', 'share of requests whose connection is reset', parseRate, 0)
    .option('--rate-malformed <r>', 'share of records served malformed', parseRate, 0)
    .option('--token-ttl <s>', 'seconds an access token lives', parseInteger, 3600)
    .action(
      async (o: { seed: number; scale: number; asOf?: string; vneidFrom?: string; basePort: number; latency: number; rate429: number; rate5xx: number; rateReset: number; rateMalformed: number; tokenTtl: number }) => {
        const settings = loadSettings();
        const logger = createLogger({ level: settings.LOG_LEVEL });
        const faults: FaultConfig = {
          ...NO_FAULTS,
          seed: o.seed,
          latencyMs: o.latency,
          rate429: o.rate429,
          rate5xx: o.rate5xx,
          rateReset: o.rateReset,
          rateMalformed: o.rateMalformed,
        };
        process.stdout.write(`Preparing world seed ${o.seed}, scale ${o.scale} in ${new URL(settings.LGSP_SIM_DATABASE_URL).pathname.slice(1)}…\n`);
        const sources = await startMockSources({
          seed: o.seed,
          scale: o.scale,
          ...(o.asOf === undefined ? {} : { asOf: o.asOf }),
          ...(o.vneidFrom === undefined ? {} : { vneidFrom: o.vneidFrom }),
          storeUrl: settings.LGSP_SIM_DATABASE_URL,
          logger,
          faults,
          tokenTtlSeconds: o.tokenTtl,
          ports: { population: o.basePort, business: o.basePort + 1, insurance: o.basePort + 2, land: o.basePort + 3 },
        });
        const vneid = sources.vneidFrom === null ? '' : `, population serves vneidLevel from ${sources.vneidFrom}${sources.vneidFrom > sources.asOf ? ' (not yet)' : ''}`;
        process.stdout.write(`World as of ${sources.asOf}${vneid}${sources.generated ? ' (generated now)' : ' (already in the store)'}:\n`);
        process.stdout.write(`${indent(renderTable(['table', 'rows'], Object.entries(sources.counts)))}\n`);
        for (const [name, url] of Object.entries(sources.urls)) process.stdout.write(`  ${name.padEnd(12)} ${url}\n`);
        process.stdout.write('Serving. Stop with Ctrl-C.\n');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sources.close();
      },
    );

  mock
    .command('advance')
    .description('move the loaded world on by N days: writes what changed (new, updated, deleted records) into the simulator store')
    .requiredOption('--days <n>', 'days to move on (≥ 1)', parsePositive)
    .action(async (o: { days: number }) => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const result = await advanceStore(settings.LGSP_SIM_DATABASE_URL, o.days, logger);
      process.stdout.write(`Advanced world seed ${result.to.seed}, scale ${result.to.scale}: ${result.from.asOf} → ${result.to.asOf}\n`);
      const rows = Object.entries(result.counts).map(([table, c]) => [table, c.inserted, c.updated, c.deleted] as const);
      process.stdout.write(`${indent(renderTable(['table', 'new', 'updated', 'deleted'], rows))}\n`);
      process.stdout.write(`Changed records have updated_at ≥ ${result.changedSince}.\n`);
      for (const change of result.schemaChanges) {
        process.stdout.write(`${change.table} gained the field ${change.field}: null in ${change.records} record(s) it left undated (updated_at unchanged).\n`);
      }
    });

  mock
    .command('truth')
    .description('the ground-truth indicators of the loaded world (what the warehouse should compute)')
    .option('--json', 'print the full ground truth as JSON')
    .option('--out <file>', 'write the full ground truth as JSON to a file')
    .action(async (o: { json?: boolean; out?: string }) => {
      const settings = loadSettings();
      const { stamp, truth } = await truthOfStore(settings.LGSP_SIM_DATABASE_URL);
      const json = `${JSON.stringify(truth, null, 2)}\n`;
      if (o.out !== undefined) {
        await writeFile(o.out, json);
        process.stdout.write(`Ground truth of world seed ${stamp.seed}, scale ${stamp.scale}, as of ${stamp.asOf} written to ${o.out}\n`);
      } else if (o.json === true) {
        process.stdout.write(json);
      } else {
        process.stdout.write(`Ground truth of world seed ${stamp.seed}, scale ${stamp.scale}, as of ${stamp.asOf} (--json for everything):\n`);
        process.stdout.write(`${renderTable([...TRUTH_SUMMARY_HEADERS], truthSummaryRows(truth))}\n`);
      }
    });
}

const indent = (text: string): string => text.replace(/^/gm, '  ');

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
}

function parseVneidFrom(value: string): string {
  const date = parseDate(value);
  if (date < VNEID_LAUNCH_DATE) throw new InvalidArgumentError(`must be on or after ${VNEID_LAUNCH_DATE}, when VNeID accounts began`);
  return date;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

function parseScale(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 10)) throw new InvalidArgumentError('must be a number in (0, 10]');
  return n;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be a share between 0 and 1');
  return n;
}
