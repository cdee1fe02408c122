import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { cliEnv, startCli } from '../harness/cli.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';

const CITIZEN_HASH = `SELECT count(*)::int AS n, md5(string_agg(concat_ws('|', personal_id, full_name, birth_date, sex, household_id, residence_commune_code, death_date, source_updated_at, deleted_at), ',' ORDER BY personal_id)) AS h FROM core.citizen`;

/**
 * `lgsp run` as an operator runs it: a child process against the real broker and PostgreSQL, the
 * mock population adapter slowed down so that a SIGTERM lands mid-run.
 */
describe('lgsp run', () => {
  const logger = createLogger({ level: 'warn' });
  let reference: IsolatedEnv;
  let interrupted: IsolatedEnv;
  let mock: MockSources;

  beforeAll(async () => {
    reference = isolatedEnv();
    interrupted = isolatedEnv();
    // One world served for both warehouses; a second per request makes the extract last several seconds.
    mock = await startMockSources({
      seed: 5,
      scale: 0.004,
      storeUrl: reference.simStoreUrl,
      logger,
      ports: 'any',
      faults: { ...NO_FAULTS, latencyMs: 1000 },
    });
    await migrateLatest(reference.settings.DATABASE_URL, logger);
    await migrateLatest(interrupted.settings.DATABASE_URL, logger);
  });

  afterAll(async () => {
    await mock?.close();
    await reference?.cleanup();
    await interrupted?.cleanup();
  });

  const args = ['run', '--sources', 'population', '--pipelines', 'population'];
  const env = (e: IsolatedEnv): NodeJS.ProcessEnv => cliEnv(e.settings, { LGSP_POPULATION_URL: mock.urls.population });

  async function hashOf(e: IsolatedEnv): Promise<{ n: number; h: string }> {
    const db = new pg.Client({ connectionString: e.settings.DATABASE_URL });
    await db.connect();
    try {
      return (await db.query<{ n: number; h: string }>(CITIZEN_HASH)).rows[0] ?? { n: 0, h: '' };
    } finally {
      await db.end();
    }
  }

  it('extracts, loads and records the run with its steps', async () => {
    const { done } = startCli(args, env(reference));
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Run \d+ succeeded\./);

    const db = new pg.Client({ connectionString: reference.settings.DATABASE_URL });
    await db.connect();
    try {
      const run = await db.query<{ status: string; figures: { steps: { step: string; status: string; figures: unknown }[] } }>(
        `SELECT status, figures FROM meta.runs WHERE kind = 'run' ORDER BY run_id DESC LIMIT 1`,
      );
      expect(run.rows[0]?.status).toBe('succeeded');
      const steps = run.rows[0]?.figures.steps ?? [];
      expect(steps.map((s) => [s.step, s.status])).toEqual([
        ['extract:population', 'succeeded'],
        ['load:population', 'succeeded'],
        ['refresh-mart', 'succeeded'],
      ]);
      const served = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.citizen`);
      const extract = steps[0]?.figures as { read: number; produced: number; tombstones: number }[];
      const load = steps[1]?.figures as { consumed: number; loaded: number }[];
      expect(extract[0]?.read).toBe(load[0]?.consumed);
      expect(load[0]?.loaded).toBe(served.rows[0]?.n);
      expect(served.rows[0]?.n).toBeGreaterThan(3000);
    } finally {
      await db.end();
    }
  });

  it('stops cleanly on SIGTERM mid-run, and the next run ends with the same warehouse as an uninterrupted one', async () => {
    const { child, done } = startCli(args, env(interrupted));
    await new Promise((r) => setTimeout(r, 4_000));
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const stopped = await done;
    const stopSeconds = (Date.now() - sentAt) / 1000;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/lgsp: interrupted during (extract|load):population; everything committed so far is kept/);
    expect(stopSeconds).toBeLessThan(15);
    // The interrupted run is recorded as failed, naming the interruption.
    const partial = await hashOf(interrupted);
    const full = await hashOf(reference);
    expect(partial.n).toBeLessThan(full.n);

    const again = await startCli(args, env(interrupted)).done;
    expect(again.code).toBe(0);
    expect(await hashOf(interrupted)).toEqual(full);
  });
});
