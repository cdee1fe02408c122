import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill } from '../../app/batch/backfill.js';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { DECLARED } from '../../app/deployment.js';

const CONTENT = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', personal_id, full_name, residence_commune_code, source_updated_at, deleted_at, run_id, src_offset, loaded_at), ',' ORDER BY personal_id)) AS h FROM core.citizen`;

describe('lgsp backfill', () => {
  let env: IsolatedEnv;
  let mock: MockSources;
  let runtime: Runtime;
  let db: pg.Client;
  const window = { from: new Date('2024-01-01T00:00:00+07:00'), to: new Date('2025-07-01T00:00:00+07:00') };
  const overrides = (): Record<string, Record<string, unknown>> => ({ population: { baseUrl: mock.urls.population } });

  beforeAll(async () => {
    env = isolatedEnv();
    const logger = createLogger({ level: 'warn' });
    mock = await startMockSources({ seed: 9, scale: 0.002, storeUrl: env.simStoreUrl, logger, ports: 'any' });
    await migrateLatest(env.settings.DATABASE_URL, logger);
    runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
    await extract(runtime, ['population'], { overrides: overrides() });
    await load(runtime, ['population']);
    db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await mock?.close();
    await env?.cleanup();
  });

  it('re-reads exactly the window, changes nothing in the warehouse, and leaves the connector offsets alone — twice', async () => {
    const store = new pg.Client({ connectionString: env.simStoreUrl });
    await store.connect();
    const inWindow = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM population.records WHERE entity = 'citizen' AND updated_at >= $1 AND updated_at < $2`,
      [window.from, window.to],
    );
    await store.end();
    const expected = inWindow.rows[0]?.n ?? 0;
    expect(expected).toBeGreaterThan(50);

    const before = (await db.query(CONTENT)).rows[0] as unknown;
    for (let i = 0; i < 2; i += 1) {
      const result = await backfill(runtime, 'population', window, { overrides: overrides() });
      expect(result.extracted[0]?.read).toBe(expected);
      expect(result.loaded[0]?.consumed).toBe(expected);
      expect(result.loaded[0]).toMatchObject({ loaded: 0, updated: 0, deleted: 0, rejected: 0 });
      expect((await db.query(CONTENT)).rows[0]).toEqual(before);
    }
    // The nightly connector's offsets did not move: it has nothing new to read.
    const [again] = await extract(runtime, ['population'], { overrides: overrides() });
    expect(again?.read).toBe(0);
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(backfill(runtime, 'population', { from: window.to, to: window.from })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
