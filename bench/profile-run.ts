/**
 * One full nightly run (every source, every pipeline, the mart) against the last bench's simulator
 * store, into a fresh warehouse and fresh topics, for a CPU profile of the whole run:
 *   BENCH_SCALE=0.1 node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/profile-run.ts
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile
 * The simulated sources run in a child process (bench/mock-child.ts), not in the profile.
 * Needs `npm run bench` to have generated the store (lgsp_bench_sim) first.
 */
import { randomBytes } from 'node:crypto';
import { runNightly } from '../app/batch/nightly-run.js';
import { createRuntime } from '../app/runtime.js';
import { DEMO_SEED } from '../app/cli/commands/mock.js';
import { parseSettings } from '../src/config/settings.js';
import { lgspSettingsFromEnv } from './env-settings.js';
import { dropDatabase, withDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { benchServers } from './servers.js';
import { migrateLatest } from '../warehouse/migrator.js';
import { connectorOverrides } from '../simulator/mocks/serve.js';
import { startMockChild } from './mock-child.js';
import { DECLARED } from '../app/deployment.js';

const logger = createLogger({ level: 'warn' });
const { server, brokers } = await benchServers(logger);
const simStoreUrl = withDatabase(server, 'lgsp_bench_sim');
const warehouseUrl = withDatabase(server, 'lgsp_bench_profile');
const settings = parseSettings({
  ...lgspSettingsFromEnv(),
  DATABASE_URL: warehouseUrl,
  LGSP_SIM_DATABASE_URL: simStoreUrl,
  KAFKA_BROKERS: brokers,
  LGSP_TOPIC_PREFIX: `lgsp-bench.${randomBytes(3).toString('hex')}.`,
  LOG_LEVEL: 'warn',
});
await dropDatabase(warehouseUrl);
await migrateLatest(warehouseUrl, logger);
// The sources in a process of their own (as `npm run bench -- --sources child`): the profile is the pipeline's alone.
const mock = await startMockChild({ seed: DEMO_SEED, scale: Number(process.env['BENCH_SCALE'] ?? '0.1'), storeUrl: simStoreUrl, basePort: 18451 });
try {
  const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-bench' });
  const started = performance.now();
  const result = await runNightly(runtime, {
    overrides: connectorOverrides(mock, simStoreUrl),
  });
  for (const s of result.steps) process.stdout.write(`${s.step}: started ${s.startedAt}, ${s.seconds.toFixed(1)} s\n`);
  process.stdout.write(`run: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
} finally {
  await mock.close();
}
process.exit(0);
