import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from '../../app/batch/load.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { ensureTopics, rawTopic } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { DECLARED } from '../../app/deployment.js';

/**
 * A rejected message whose Kafka key holds a NUL byte. Its reject row stores the key as text,
 * which PostgreSQL refuses (22021) outside any savepoint: the batch rolls back, the load fails,
 * and every later run fails on the same message — one bad key stalls the partition.
 * Regression test: the key and reason are stored with NUL escaped (src/db/storable-text.ts).
 */
describe('a rejected message whose key PostgreSQL cannot store as text', () => {
  let env: IsolatedEnv;
  let runtime: Runtime;

  beforeAll(async () => {
    env = isolatedEnv();
    const logger = createLogger({ level: 'fatal' });
    await migrateLatest(env.settings.DATABASE_URL, logger);
    runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('is rejected and recorded, and the load goes on', async () => {
    const topic = rawTopic(runtime.naming, 'land', 'parcel');
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [{ topic, partitions: 1, compacted: true }]);
    } finally {
      await admin.disconnect();
    }
    const producer = runtime.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ key: Buffer.from('29236-1-\u00001', 'utf8'), value: Buffer.from('not avro') }] });
    } finally {
      await producer.disconnect();
    }
    const [figures] = await load(runtime, ['land']);
    expect(figures).toMatchObject({ consumed: 1, rejected: 1 });
    const db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query(`SELECT count(*)::int AS n FROM meta.rejected_records`);
      expect(rows.rows[0]).toEqual({ n: 1 });
    } finally {
      await db.end();
    }
  });
});
