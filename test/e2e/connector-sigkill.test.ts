import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Admin, Consumer, KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { connectorOffsetsTopic } from '../../src/connect/source-runner.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { ensureTopics, rawTopic } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { DECLARED } from '../../app/deployment.js';

const BIN = fileURLToPath(new URL('../../bin/lgsp.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ChildRun {
  readonly killed: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Crash safety: `lgsp extract population` in a child process, SIGKILLed at several points of its
 * run (before its first commit, and after the 2nd and 5th committed pages), then run to the end.
 * The topic must hold every served record exactly once: a page is committed with its offset in
 * one transaction, so a killed run leaves either both or neither.
 */
describe('extract killed with SIGKILL', () => {
  let env: IsolatedEnv;
  let mock: MockSources;
  let runtime: Runtime;
  let admin: Admin;
  let counter: Consumer;

  beforeAll(async () => {
    env = isolatedEnv();
    const logger = createLogger({ level: 'error' });
    // ~6,000 citizens, 500 a page, 300 ms a request: a run lasts ~12 pages, one transaction each
    // (LGSP_EXTRACT_RECORDS_PER_TRANSACTION=1 below: kills must fall between many commits).
    mock = await startMockSources({ seed: 11, scale: 0.006, storeUrl: env.simStoreUrl, logger, ports: 'any', faults: { ...NO_FAULTS, latencyMs: 300 } });
    runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
    admin = runtime.kafka.admin();
    await admin.connect();
    counter = await countCommittedOffsets();
  });

  afterAll(async () => {
    await counter?.disconnect();
    await admin?.disconnect();
    await mock?.close();
    await env?.cleanup();
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
    const topic = connectorOffsetsTopic(runtime.naming, 'population');
    await ensureTopics(admin, [{ topic, partitions: 1, compacted: true }]);
    const consumer = runtime.kafka.consumer({ groupId: `${env.id}-count-offsets`, readUncommitted: false, maxWaitTimeInMs: 50 });
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
  function runExtract(killWhen?: (elapsedMs: number) => Promise<boolean>): Promise<ChildRun> {
    const child = spawn(process.execPath, [BIN, 'extract', 'population'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.settings.DATABASE_URL,
        LGSP_SIM_DATABASE_URL: env.simStoreUrl,
        KAFKA_BROKERS: env.settings.KAFKA_BROKERS?.join(',') ?? '',
        LGSP_TOPIC_PREFIX: env.settings.LGSP_TOPIC_PREFIX,
        LGSP_TOPIC_PARTITIONS: String(env.settings.LGSP_TOPIC_PARTITIONS),
        LGSP_POPULATION_URL: mock.urls.population,
        LGSP_EXTRACT_RECORDS_PER_TRANSACTION: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
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
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        if (poll !== undefined) clearInterval(poll);
        resolve({ killed, code, stdout, stderr });
      });
    });
  }

  it('resumes after each kill and ends with every record exactly once', async () => {
    const store = new pg.Client({ connectionString: env.simStoreUrl });
    await store.connect();
    const served = await store.query<{ id: string; updated_at: Date; deleted: boolean }>(
      `SELECT id, updated_at, deleted_at IS NOT NULL AS deleted FROM population.records WHERE entity = 'citizen'`,
    );
    await store.end();
    const pagesInAll = Math.ceil(served.rows.length / 500);

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
    expect(served.rows.length - readByLast).toBeGreaterThanOrEqual((afterThird - 1) * 499);

    const messages: KafkaMessage[] = [];
    await readToEnd(runtime.kafka, rawTopic(runtime.naming, 'population', 'citizen'), (m) => messages.push(m));
    const identities = messages.map((m) => {
      if (m.value === null) return `${m.key?.toString()}@${m.headers?.['lgsp.deleted-at']?.toString()}`;
      const value = runtime.catalogue.decode<Record<string, unknown>>(m.value).value;
      return `${String(value['personalId'])}@${(value['updatedAt'] as Date).toISOString()}`;
    });
    expect(identities).toHaveLength(served.rows.length);
    expect(new Set(identities)).toEqual(new Set(served.rows.map((r) => `${r.id}@${r.updated_at.toISOString()}`)));
  });
});
