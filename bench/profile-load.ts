/**
 * Loads every pipeline from the topics of the last `npm run bench` into a fresh warehouse, and
 * prints seconds and peak RSS — the load step alone, for profiles and batch-size experiments:
 *   [LGSP_BENCH_CONCURRENCY=2] node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/profile-load.ts
 */
import { load } from '../app/batch/load.js';
import { createRuntime } from '../app/runtime.js';
import { parseSettings } from '../src/config/settings.js';
import { dropDatabase, withDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { benchServers } from './servers.js';
import { migrateLatest } from '../warehouse/migrator.js';
import { DECLARED } from '../app/deployment.js';

const logger = createLogger({ level: 'warn' });
const { server, brokers } = await benchServers(logger);
const databaseUrl = withDatabase(server, 'lgsp_bench_load');
const probe = await createRuntime({ settings: parseSettings({ DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers }), logger, declarations: DECLARED, clientId: 'lgsp-bench' });
const admin = probe.kafka.admin();
await admin.connect();
const topic = (await admin.listTopics()).find((t) => /^lgsp-bench\.[0-9a-f]{6}\.lgsp\.raw\.onestop\.rating\.v1$/.test(t));
await admin.disconnect();
if (topic === undefined) throw new Error('no bench topics: run npm run bench first');
const prefix = topic.slice(0, 'lgsp-bench.000000.'.length);
const settings = parseSettings({ DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, LGSP_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' });
await dropDatabase(databaseUrl);
await migrateLatest(databaseUrl, logger);
const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-bench' });
const started = performance.now();
const figures = await load(runtime, ['all']);
const seconds = (performance.now() - started) / 1000;
for (const f of figures) process.stdout.write(`${f.pipeline.padEnd(10)} ${String(f.consumed).padStart(8)} records ${f.seconds.toFixed(1).padStart(6)} s\n`);
const consumed = figures.reduce((n, f) => n + f.consumed, 0);
process.stdout.write(`load all: ${consumed} records in ${seconds.toFixed(1)} s = ${Math.round(consumed / seconds)} records/s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`);
await dropDatabase(databaseUrl);
process.exit(0);
