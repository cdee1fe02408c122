import { InvalidArgumentError, type Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { createLogger } from '../../logger.js';
import { NO_FAULTS, type FaultConfig } from '../../../simulator/mocks/faults.js';
import { DEFAULT_MOCK_PORTS, startMockSources } from '../../../simulator/mocks/serve.js';

export const DEMO_SEED = 84;
export const DEMO_SCALE = 0.01;

/** `lgsp mock serve`: the simulated national databases, until interrupted. */
export function registerMockCommand(program: Command): void {
  const mock = program.command('mock').description('the simulated province: its national databases as LGSP adapters');
  mock
    .command('serve')
    .description('generate the world (once) into the simulator store and serve the mock sources until interrupted')
    .option('--seed <n>', 'world seed', parseInteger, DEMO_SEED)
    .option('--scale <x>', 'world scale (1.0 ≈ Trà Vinh, ~1M citizens)', parseScale, DEMO_SCALE)
    .option('--base-port <n>', 'port of the population adapter; business, insurance and land take the next ones', parseInteger, DEFAULT_MOCK_PORTS.population)
    .option('--latency <ms>', 'added to every answer', parseInteger, 0)
    .option('--rate-429 <r>', 'share of requests answered 429 with Retry-After', parseRate, 0)
    .option('--rate-5xx <r>', 'share of requests answered 503', parseRate, 0)
    .option('--rate-reset <r>', 'share of requests whose connection is reset', parseRate, 0)
    .option('--rate-malformed <r>', 'share of records served malformed', parseRate, 0)
    .option('--token-ttl <s>', 'seconds an access token lives', parseInteger, 3600)
    .action(
      async (o: { seed: number; scale: number; basePort: number; latency: number; rate429: number; rate5xx: number; rateReset: number; rateMalformed: number; tokenTtl: number }) => {
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
          storeUrl: settings.LGSP_SIM_DATABASE_URL,
          logger,
          faults,
          tokenTtlSeconds: o.tokenTtl,
          ports: { population: o.basePort, business: o.basePort + 1, insurance: o.basePort + 2, land: o.basePort + 3 },
        });
        for (const [name, url] of Object.entries(sources.urls)) process.stdout.write(`  ${name.padEnd(12)} ${url}\n`);
        process.stdout.write('Serving. Stop with Ctrl-C.\n');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await sources.close();
      },
    );
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
