import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../simulator/world/index.js';
import { startCli } from '../harness/cli.js';
import { useDeployment, type TestDeployment } from '../harness/deployment.js';
import { RUN_COLUMNS, warehouseFingerprint } from '../harness/fingerprint.js';
import { produceRaw, worldMessages } from '../harness/world-messages.js';

/**
 * Exactly-once under crashes: `lgsp load all` is SIGKILLed at random points while it loads (small
 * fetches, so many batch transactions), restarted each time, then run to completion; the
 * warehouse must equal an uninterrupted load of the same topics (run_id and loaded_at aside).
 */
describe('pipelines under SIGKILL', () => {
  const KILLS = 10;
  const reference = useDeployment();
  // Same broker, its own topics (the same messages are produced to both, in the same order,
  // so offsets and lineage agree) and its own warehouse.
  const killed = useDeployment({ runtime: false });
  let produced = 0;

  beforeAll(async () => {
    const { kafka, catalogue } = reference.runtime;
    const messages = [...worldMessages(createWorld({ seed: 11, scale: 0.004 }))].filter((m) => m.value !== null);
    produced = await produceRaw(kafka, catalogue, { prefix: reference.settings.LGSP_TOPIC_PREFIX }, messages);
    await produceRaw(kafka, catalogue, { prefix: killed.settings.LGSP_TOPIC_PREFIX }, messages);
  });

  function spawnLoad(deployment: TestDeployment): ReturnType<typeof startCli> {
    return startCli(
      ['load', 'all'],
      deployment.cliEnv({
        LGSP_LOAD_MAX_BYTES_PER_PARTITION: '2048',
        // A killed process holds its partitions until its session expires: keep that short.
        LGSP_LOAD_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'error',
      }),
    );
  }

  async function storedTotal(deployment: TestDeployment): Promise<number> {
    const [row] = await deployment.query<{ n: string | null }>(`SELECT sum(next_offset)::text AS n FROM meta.consumer_offsets`);
    return Number(row?.n ?? 0);
  }

  it(`killed ${KILLS} times mid-load and restarted, it loads what an uninterrupted run loads`, async () => {
    const first = spawnLoad(reference);
    const done = await first.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);

    const progress: number[] = [];
    let kills = 0;
    while (kills < KILLS) {
      const before = await storedTotal(killed);
      const run = spawnLoad(killed);
      let finished = false;
      void run.done.then(() => (finished = true));
      // Wait until this process has committed a batch, then kill it a random moment later.
      while (!finished && (await storedTotal(killed)) === before) await new Promise((r) => setTimeout(r, 50));
      if (finished) break;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 200)));
      run.child.kill('SIGKILL');
      const exit = await run.done;
      if (exit.signal === 'SIGKILL') kills += 1;
      progress.push(await storedTotal(killed));
    }
    expect(kills).toBe(KILLS);
    const last = spawnLoad(killed);
    const end = await last.done;
    expect(end.code, end.stdout + end.stderr).toBe(0);

    const expected = await warehouseFingerprint(await reference.db(), { without: RUN_COLUMNS });
    expect(Object.values(expected).reduce((n, t) => n + t.rows, 0)).toBeGreaterThan(produced);
    expect(await warehouseFingerprint(await killed.db(), { without: RUN_COLUMNS })).toEqual(expected);
    const rejected = await killed.query(`SELECT count(*)::int AS n FROM meta.rejected_records`);
    expect(rejected).toEqual([{ n: 0 }]);
    // Each kill landed while loading: the stored offsets moved between kills, and not to the end.
    expect(progress.length).toBe(KILLS);
    expect(progress.at(-1)).toBeLessThan(await storedTotal(killed));
  }, 240_000);
});
