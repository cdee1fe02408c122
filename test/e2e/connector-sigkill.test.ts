import type { Consumer, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorOffsetsTopic } from '../../src/connect/source-runner.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { rawTopic } from '../../src/kafka/topics.js';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

interface ChildRun extends CliResult {
  readonly killed: boolean;
}

/**
 * Crash safety: `lgsp extract population` in a child process, SIGKILLed at several points of its
 * run (before its first commit, and after the 2nd and 5th committed pages), then run to the end.
 * The topic must hold every served record exactly once: a page is committed with its offset in
 * one transaction, so a killed run leaves either both or neither.
 */
describe('extract killed with SIGKILL', () => {
  // ~6,000 citizens, 500 a page, 300 ms a request: a run lasts ~12 pages, one transaction each
  // (LGSP_EXTRACT_RECORDS_PER_TRANSACTION=1 below: kills must fall between many commits).
  const t = useDeployment({ world: { seed: 11, scale: 0.006, faults: { ...NO_FAULTS, latencyMs: 300 } }, settings: { LOG_LEVEL: 'error' }, migrate: false });
  let counter: Consumer;

  beforeAll(async () => {
    counter = await countCommittedOffsets();
  });

  afterAll(async () => {
    await counter?.disconnect();
  });

  /**
   * Committed pages so far: the offset records a read_committed consumer has seen (one per page;
   * the records a run writes only to abort, and the markers, are never delivered).
   */
  let committed = 0;
  function committedPages(): Promise<number> {
    return Promise.resolve(committed);
  }

  async function countCommittedOffsets(): Promise<Consumer> {
    const { runtime } = t;
    const topic = connectorOffsetsTopic(runtime.naming, 'population');
    await t.ensureTopics([{ topic, partitions: 1, compacted: true }]);
    const consumer = runtime.kafka.consumer({ groupId: `${t.id}-count-offsets`, readUncommitted: false, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async () => {
        committed += 1;
        return Promise.resolve();
      },
    });
    return consumer;
  }

  /** Runs the CLI; kills it with SIGKILL once `killWhen` says so (polled every 50 ms). */
  async function runExtract(killWhen?: (elapsedMs: number) => Promise<boolean>): Promise<ChildRun> {
    const { child, done } = startCli(['extract', 'population'], t.cliEnv({ LGSP_EXTRACT_RECORDS_PER_TRANSACTION: '1' }));
    const started = Date.now();
    let killed = false;
    let polling = false;
    const poll =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (polling || killed) return;
            polling = true;
            void killWhen(Date.now() - started)
              .then((kill) => {
                if (kill && child.exitCode === null) killed = child.kill('SIGKILL');
              })
              .finally(() => (polling = false));
          }, 50);
    const result = await done;
    if (poll !== undefined) clearInterval(poll);
    return { ...result, killed };
  }

  it('resumes after each kill and ends with every record exactly once', async () => {
    const served = await t.queryStore<{ id: string; updated_at: Date; deleted: boolean }>(
      `SELECT id, updated_at, deleted_at IS NOT NULL AS deleted FROM population.records WHERE entity = 'citizen'`,
    );
    const pagesInAll = Math.ceil(served.length / 500);

    // Kill 1: 1.5 s in, before anything is committed (start-up, topic creation, first request).
    const first = await runExtract(async (elapsed) => elapsed > 1500 || (await committedPages()) > 0);
    expect(first.killed, first.stderr).toBe(true);
    const afterFirst = await committedPages();
    // Kills 2 and 3: once the run has committed 2 (then 3) pages of its own.
    const second = await runExtract(async () => (await committedPages()) >= afterFirst + 2);
    expect(second.killed, second.stderr).toBe(true);
    const afterSecond = await committedPages();
    const third = await runExtract(async () => (await committedPages()) >= afterSecond + 3);
    expect(third.killed, third.stderr).toBe(true);
    const afterThird = await committedPages();
    expect(afterThird).toBeGreaterThanOrEqual(afterFirst + 5);
    expect(afterThird).toBeLessThan(pagesInAll);

    const last = await runExtract();
    expect(last.code, last.stderr).toBe(0);
    const row = last.stdout.split('\n').find((l) => l.startsWith('population'));
    const readByLast = Number(row?.trim().split(/\s+/)[2]);
    // The last run read only what the killed runs had not committed.
    // The last run read only what the killed runs had not committed: a resumed run's first page
    // re-serves the record at its offset (updated_since is inclusive), so a page adds 499 or 500.
    expect(readByLast).toBeGreaterThan(0);
    expect(served.length - readByLast).toBeGreaterThanOrEqual((afterThird - 1) * 499);

    const { runtime } = t;
    const messages: KafkaMessage[] = [];
    await readToEnd(runtime.kafka, rawTopic(runtime.naming, 'population', 'citizen'), (m) => messages.push(m));
    const identities = messages.map((m) => {
      if (m.value === null) return `${m.key?.toString()}@${m.headers?.['lgsp.deleted-at']?.toString()}`;
      const value = runtime.catalogue.decode<Record<string, unknown>>(m.value).value;
      return `${String(value['personalId'])}@${(value['updatedAt'] as Date).toISOString()}`;
    });
    expect(identities).toHaveLength(served.length);
    expect(new Set(identities)).toEqual(new Set(served.map((r) => `${r.id}@${r.updated_at.toISOString()}`)));
  });
});
