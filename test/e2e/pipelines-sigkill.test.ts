import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { createWorld } from '../../simulator/world/index.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { produceRaw, tableHashes, worldMessages } from '../harness/world-messages.js';
import { DECLARED } from '../../app/deployment.js';

/**
 * Exactly-once under crashes: `lgsp load all` is SIGKILLed at random points while it loads (small
 * fetches, so many batch transactions), restarted each time, then run to completion; the
 * warehouse must equal an uninterrupted load of the same topics (run_id and loaded_at aside).
 */
describe('pipelines under SIGKILL', () => {
  const KILLS = 10;
  let reference: IsolatedEnv;
  let killed: IsolatedEnv;
  let runtime: Runtime;
  let produced = 0;

  beforeAll(async () => {
    reference = isolatedEnv();
    // Same broker, its own topics (the same messages are produced to both, in the same order,
    // so offsets and lineage agree) and its own warehouse.
    killed = isolatedEnv();
    const logger = createLogger({ level: 'warn' });
    await migrateLatest(reference.settings.DATABASE_URL, logger);
    await migrateLatest(killed.settings.DATABASE_URL, logger);
    runtime = await createRuntime({ settings: reference.settings, logger, declarations: DECLARED });
    const messages = [...worldMessages(createWorld({ seed: 11, scale: 0.004 }))].filter((m) => m.value !== null);
    produced = await produceRaw(runtime.kafka, runtime.catalogue, { prefix: reference.settings.LGSP_TOPIC_PREFIX }, messages);
    await produceRaw(runtime.kafka, runtime.catalogue, { prefix: killed.settings.LGSP_TOPIC_PREFIX }, messages);
  });

  afterAll(async () => {
    await reference?.cleanup();
    await killed?.cleanup();
  });

  function spawnLoad(env: IsolatedEnv): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> } {
    const child = spawn(process.execPath, ['bin/lgsp.js', 'load', 'all'], {
      env: {
        ...process.env,
        DATABASE_URL: env.settings.DATABASE_URL,
        KAFKA_BROKERS: runtime.brokers.join(','),
        LGSP_TOPIC_PREFIX: env.settings.LGSP_TOPIC_PREFIX,
        LGSP_LOAD_MAX_BYTES_PER_PARTITION: '2048',
        // A killed process holds its partitions until its session expires: keep that short.
        LGSP_LOAD_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out })));
    return { child, exited };
  }

  async function storedTotal(db: pg.Client): Promise<number> {
    const result = await db.query<{ n: string | null }>(`SELECT sum(next_offset)::text AS n FROM meta.consumer_offsets`);
    return Number(result.rows[0]?.n ?? 0);
  }

  it(`killed ${KILLS} times mid-load and restarted, it loads what an uninterrupted run loads`, async () => {
    const first = spawnLoad(reference);
    const done = await first.exited;
    expect(done.code, done.out).toBe(0);

    const db = new pg.Client({ connectionString: killed.settings.DATABASE_URL });
    await db.connect();
    const progress: number[] = [];
    try {
      let kills = 0;
      while (kills < KILLS) {
        const before = await storedTotal(db);
        const run = spawnLoad(killed);
        let finished = false;
        void run.exited.then(() => (finished = true));
        // Wait until this process has committed a batch, then kill it a random moment later.
        while (!finished && (await storedTotal(db)) === before) await new Promise((r) => setTimeout(r, 50));
        if (finished) break;
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 200)));
        run.child.kill('SIGKILL');
        const exit = await run.exited;
        if (exit.signal === 'SIGKILL') kills += 1;
        progress.push(await storedTotal(db));
      }
      expect(kills).toBe(KILLS);
      const last = spawnLoad(killed);
      const end = await last.exited;
      expect(end.code, end.out).toBe(0);

      const check = new pg.Client({ connectionString: reference.settings.DATABASE_URL });
      await check.connect();
      try {
        const expected = await tableHashes(check, { volatile: false });
        expect(Object.values(expected).reduce((n, t) => n + t.rows, 0)).toBeGreaterThan(produced);
        expect(await tableHashes(db, { volatile: false })).toEqual(expected);
        const rejected = await db.query(`SELECT count(*)::int AS n FROM meta.rejected_records`);
        expect(rejected.rows[0]).toEqual({ n: 0 });
      } finally {
        await check.end();
      }
      // Each kill landed while loading: the stored offsets moved between kills, and not to the end.
      expect(progress.length).toBe(KILLS);
      expect(progress.at(-1)).toBeLessThan(await storedTotal(db));
    } finally {
      await db.end();
    }
  }, 240_000);
});
