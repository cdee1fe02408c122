import { randomUUID } from 'node:crypto';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../src/kafka/client.js';
import { silentLogger } from '../../src/logger.js';
import { testInfra } from '../harness/infra.js';

/**
 * What the platform needs from the broker, through kafkajs 2.2.4: plain produce, consumption in a
 * consumer group, and exactly-once consume-transform-produce (transactions with sendOffsets, and
 * read_committed consumers that never see aborted records). The broker version in
 * app/local/kafka-version.ts is the newest one that passes this file.
 */
describe('Kafka broker with kafkajs', () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testInfra().brokers, clientId: 'kafka-broker-test', logger: silentLogger() });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  const unique = (name: string): string => `test.${name}.${randomUUID().slice(0, 8)}`;

  async function createTopic(topic: string, numPartitions = 1): Promise<void> {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  }

  async function produce(topic: string, values: readonly string[]): Promise<void> {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
    } finally {
      await producer.disconnect();
    }
  }

  /**
   * Reads `topic` in group `groupId` until `done` holds for the values seen, then stops. Gives up after
   * 30 s: a broker whose group coordinator never comes up makes kafkajs retry silently forever.
   */
  async function consumeUntil(options: {
    topic: string;
    groupId: string;
    readUncommitted?: boolean;
    done: (values: readonly string[]) => boolean;
  }): Promise<string[]> {
    const consumer = kafka.consumer({ groupId: options.groupId, readUncommitted: options.readUncommitted ?? false });
    const values: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: options.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`group ${options.groupId} saw ${values.length} records of ${options.topic} in 30 s: ${JSON.stringify(values)}`)),
          30_000,
        );
        consumer
          .run({
            eachMessage: ({ message }) => {
              values.push(message.value?.toString() ?? '');
              if (options.done(values)) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return values;
  }

  it('produces, and consumes in a consumer group that commits its offsets', async () => {
    const topic = unique('plain');
    const groupId = unique('group');
    await createTopic(topic, 3);
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await produce(topic, sent);

    const received = await consumeUntil({ topic, groupId, done: (values) => values.length >= sent.length });
    expect([...received].sort()).toEqual([...sent].sort());

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = (offsets?.partitions ?? []).reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(sent.length);
  });

  it('commits consume-transform-produce transactions with sendOffsets, and hides aborted ones from read_committed consumers', async () => {
    const input = unique('tx-in');
    const output = unique('tx-out');
    const groupId = unique('tx-group');
    await createTopic(input);
    await createTopic(output);
    await produce(input, ['a', 'b', 'c']);

    const producer = kafka.producer({
      transactionalId: unique('tx-producer'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      // Each input record is transformed and written together with the group's offset, atomically.
      const inputRecords = await consumeUntil({ topic: input, groupId: unique('reader'), done: (values) => values.length >= 3 });
      for (const [index, value] of inputRecords.entries()) {
        const transaction = await producer.transaction();
        await transaction.send({ topic: output, messages: [{ value: `committed-${value}` }] });
        await transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: String(index + 1) }] }] });
        await transaction.commit();
      }

      const aborted = await producer.transaction();
      await aborted.send({ topic: output, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await aborted.abort();

      const last = await producer.transaction();
      await last.send({ topic: output, messages: [{ value: 'end' }] });
      await last.commit();
    } finally {
      await producer.disconnect();
    }

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets?.partitions.find((p) => p.partition === 0)?.offset).toBe('3');

    const committedView = await consumeUntil({ topic: output, groupId: unique('read-committed'), done: (values) => values.includes('end') });
    expect(committedView).toEqual(['committed-a', 'committed-b', 'committed-c', 'end']);

    // The aborted records are really in the log: only the isolation level hides them.
    const uncommittedView = await consumeUntil({ topic: output, groupId: unique('read-uncommitted'), readUncommitted: true, done: (values) => values.includes('end') });
    expect(uncommittedView).toEqual(['committed-a', 'committed-b', 'committed-c', 'aborted-1', 'aborted-2', 'end']);
  });
});
