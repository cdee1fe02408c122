import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { resetOffsets, showOffsets } from '../../app/admin/offsets-admin.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { createLogger } from '../../src/logger.js';
import { consumerGroupId } from '../../src/sink/pipeline-runner.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { DECLARED } from '../../app/deployment.js';

const CONTENT = `SELECT md5(string_agg(concat_ws('|', personal_id, full_name, residence_commune_code, source_updated_at, deleted_at, run_id, src_offset, loaded_at), ',' ORDER BY personal_id)) AS h FROM core.citizen`;

describe('lgsp offsets show|reset', () => {
  let env: IsolatedEnv;
  let mock: MockSources;
  let runtime: Runtime;
  let db: pg.Client;

  beforeAll(async () => {
    env = isolatedEnv();
    const logger = createLogger({ level: 'warn' });
    mock = await startMockSources({ seed: 3, scale: 0.001, storeUrl: env.simStoreUrl, logger, ports: 'any' });
    await migrateLatest(env.settings.DATABASE_URL, logger);
    runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
    await extract(runtime, ['population'], { overrides: { population: { baseUrl: mock.urls.population } } });
    await load(runtime, ['population']);
    db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await mock?.close();
    await env?.cleanup();
  });

  it('shows the stored offsets at the end of every partition after a load', async () => {
    const rows = await showOffsets(runtime, 'population');
    expect(rows).toHaveLength(env.settings.LGSP_TOPIC_PARTITIONS);
    for (const r of rows) {
      expect(r.stored).toBe(r.high);
      expect(r.lag).toBe(0);
    }
  });

  it('resets to earliest; the reload consumes everything again and changes no row', async () => {
    const before = (await db.query<{ h: string }>(CONTENT)).rows[0]?.h;
    const rows = await resetOffsets(runtime, 'population', { to: 'earliest' });
    expect(rows.every((r) => r.stored === r.low)).toBe(true);
    const total = rows.reduce((n, r) => n + r.lag, 0);
    expect(total).toBeGreaterThan(0);

    const [figures] = await load(runtime, ['population']);
    expect(figures?.consumed).toBeGreaterThan(0);
    expect(figures?.loaded).toBe(0);
    expect(figures?.updated).toBe(0);
    expect((await db.query<{ h: string }>(CONTENT)).rows[0]?.h).toBe(before);
  });

  it('refuses while the pipeline has a consumer in its group, naming why', async () => {
    const consumer = runtime.kafka.consumer({ groupId: consumerGroupId(runtime.naming, 'population') });
    await consumer.connect();
    await consumer.subscribe({ topic: `${env.settings.LGSP_TOPIC_PREFIX}lgsp.raw.population.citizen.v1` });
    await consumer.run({ eachMessage: () => Promise.resolve() });
    try {
      // Wait until the member has joined the group.
      for (let i = 0; i < 50; i += 1) {
        const { groups } = await (async () => {
          const admin = runtime.kafka.admin();
          await admin.connect();
          try {
            return await admin.describeGroups([consumerGroupId(runtime.naming, 'population')]);
          } finally {
            await admin.disconnect();
          }
        })();
        if ((groups[0]?.members.length ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await expect(resetOffsets(runtime, 'population', { to: 'latest' })).rejects.toMatchObject({
        code: 'PIPELINE_RUNNING',
        message: expect.stringMatching(/^refusing to move the offsets of pipeline population: its consumer group .* has 1 member\(s\)$/) as unknown,
      });
    } finally {
      await consumer.disconnect();
    }
  });
});
