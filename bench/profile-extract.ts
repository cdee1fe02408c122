/**
 * Extracts one source from the bench's simulator store into fresh topics, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/profile-extract.ts [population]
 * Needs `npm run bench` to have generated the store (lgsp_bench_sim) first.
 */
import { randomBytes } from 'node:crypto';
import { extract } from '../app/batch/extract.js';
import { createRuntime } from '../app/runtime.js';
import { DEMO_SEED } from '../app/cli/commands/mock.js';
import { parseSettings } from '../src/config/settings.js';
import { withDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { benchServers } from './servers.js';
import { startMockSources } from '../simulator/mocks/serve.js';
import { DECLARED } from '../app/deployment.js';

const source = process.argv[2] ?? 'population';
const logger = createLogger({ level: 'warn' });
const { server, brokers } = await benchServers(logger);
const simStoreUrl = withDatabase(server, 'lgsp_bench_sim');
const settings = parseSettings({
  DATABASE_URL: withDatabase(server, 'lgsp_bench'),
  LGSP_SIM_DATABASE_URL: simStoreUrl,
  KAFKA_BROKERS: brokers,
  LGSP_TOPIC_PREFIX: `lgsp-bench.${randomBytes(3).toString('hex')}.`,
  LOG_LEVEL: 'warn',
});
const mock = await startMockSources({ seed: DEMO_SEED, scale: Number(process.env['BENCH_SCALE'] ?? '0.1'), storeUrl: simStoreUrl, logger, ports: 'any' });
try {
  const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-bench' });
  const started = performance.now();
  const figures = await extract(runtime, [source], {
    overrides: { [source]: source === 'onestop' ? { databaseUrl: simStoreUrl } : { baseUrl: mock.urls[source as 'population'] } },
  });
  const seconds = (performance.now() - started) / 1000;
  for (const f of figures) process.stdout.write(`${f.stream}: ${f.read} records, ${f.transactions} transactions, ${f.seconds.toFixed(1)} s\n`);
  process.stdout.write(`${source}: ${seconds.toFixed(1)} s\n`);
} finally {
  await mock.close();
}
