import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer, type Transaction } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { testInfra } from '../harness/infra.js';

/**
 * Aborted transactions of several producers interleaved in one partition, against the real broker.
 * The broker lists a fetch's aborted transactions in the order they ended; kafkajs 2.2.4 walked
 * that list as if it were ordered by where each began, and let an aborted record through whenever
 * the two orders differ (fixed by patches/kafkajs+2.2.4.patch). In this project that happens when
 * a connector's run and a backfill of the same source, or a DLQ replay, write one topic at once:
 * a leaked aborted offset would make the next run skip a page; a leaked record would load data
 * that was never committed.
 */
describe('read_committed with interleaved aborted transactions', () => {
  const kafka = new Kafka({ brokers: testInfra().brokers, clientId: 'lgsp-test-aborted', logLevel: logLevel.NOTHING });
  const topic = `lgsp-test-aborted-${randomUUID()}`;
  const producers: Producer[] = [];

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    for (const name of ['a', 'b', 'c']) {
      const producer = kafka.producer({ transactionalId: `${topic}-${name}`, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      producers.push(producer);
    }
  });

  afterAll(async () => {
    await Promise.all(producers.map((p) => p.disconnect()));
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const begin = async (producer: Producer | undefined, key: string): Promise<Transaction> => {
    if (producer === undefined) throw new Error('producers not connected');
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ key, value: key }] });
    return transaction;
  };

  it('delivers only committed records, whatever order the aborted transactions ended in', async () => {
    const [a, b, c] = producers;
    const committed = await begin(c, 'committed-1');
    await committed.commit();
    // A begins before B and ends after it: the broker lists B's abort first.
    const first = await begin(a, 'aborted-a1');
    const second = await begin(b, 'aborted-b1');
    await second.abort();
    await first.abort();
    // Three at once, ended in the reverse order of their start.
    const started = [await begin(a, 'aborted-a2'), await begin(b, 'aborted-b2'), await begin(c, 'aborted-c2')];
    for (const t of started.reverse()) await t.abort();
    const last = await begin(c, 'committed-2');
    await last.commit();

    // As the connectors read their offsets (src/kafka/read-to-end.ts) …
    const read: string[] = [];
    await readToEnd(kafka, topic, (m) => read.push(String(m.key)));
    expect(read).toEqual(['committed-1', 'committed-2']);

    // … and as a pipeline's consumer group reads a raw topic.
    const consumer = kafka.consumer({ groupId: `${topic}-group`, readUncommitted: false });
    await consumer.connect();
    const consumed: string[] = [];
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed only ${consumed.join(',')}`)), 20_000);
        void consumer.run({
          eachBatch: async ({ batch }) => {
            consumed.push(...batch.messages.map((m) => String(m.key)));
            if (consumed.includes('committed-2')) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect(consumed).toEqual(['committed-1', 'committed-2']);
  });
});
