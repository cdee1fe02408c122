import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { LgspError } from '../errors.js';
import { withRetry } from '../retry.js';

/**
 * Reads a topic from its beginning to the end offsets it had when called, committed records only
 * (read_committed), as Kafka Connect's KafkaBasedLog does to restore connector offsets. The end is
 * detected from kafkajs's batch events, which also report batches holding only transaction markers.
 *
 * Only meaningful when no transaction on the topic is open, e.g. after the one producer writing it
 * has initialised its transactional id (which completes or aborts the previous incarnation's).
 */
export async function readToEnd(
  kafka: Kafka,
  topic: string,
  onMessage: (message: KafkaMessage, partition: number) => void,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `lgsp-read-to-end-${randomUUID()}`;
  try {
    const ends = await endOffsets(admin, topic);
    const remaining = new Map<number, bigint>();
    for (const p of ends) if (BigInt(p.high) > BigInt(p.low)) remaining.set(p.partition, BigInt(p.high));
    if (remaining.size === 0) return;

    const consumer = kafka.consumer({ groupId, readUncommitted: false, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new LgspError('KAFKA_READ_TIMEOUT', `reading ${topic} to its end took longer than ${options.timeoutMs ?? 60_000} ms`, {
                retriable: true,
                context: { topic },
              }),
            ),
          options.timeoutMs ?? 60_000,
        );
        const advance = (partition: number, lastOffset: string): void => {
          const end = remaining.get(partition);
          if (end !== undefined && BigInt(lastOffset) + 1n >= end) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        };
        consumer.on(consumer.events.END_BATCH_PROCESS, (event) => advance(event.payload.partition, event.payload.lastOffset));
        consumer.on(consumer.events.CRASH, (event) => {
          // A retriable crash (e.g. the group coordinator still loading after a broker restart): kafkajs restarts the consumer.
          if (event.payload.restart) return;
          clearTimeout(timer);
          reject(event.payload.error);
        });
      });
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          // Messages past the end taken at the start belong to a later reader.
          const end = ends.find((p) => p.partition === partition);
          if (end !== undefined && BigInt(message.offset) < BigInt(end.high)) onMessage(message, partition);
          return Promise.resolve();
        },
      });
      await done;
    } finally {
      await consumer.disconnect();
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * The end offsets of an existing topic. Right after a topic is created, or a broker restarted, its
 * partitions' leaders can still be loading (NOT_LEADER_FOR_PARTITION, LEADER_NOT_AVAILABLE:
 * retriable), which the admin client does not retry for ListOffsets; and kafkajs answers a topic
 * missing from its metadata with no partitions at all — read as "empty", which made a load skip a
 * topic and a connector resume from no offset (fault suite, broker restarts). Both are retried for
 * a few seconds; a topic that still shows no partition is an error, never an empty topic.
 */
export async function endOffsets(admin: Admin, topic: string): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
  return withRetry(
    async () => {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.length > 0) return offsets;
      throw new LgspError('KAFKA_NO_PARTITIONS', `the broker reports no partitions for topic ${topic}`, {
        retriable: true,
        context: { topic },
        hint: 'the broker may still be starting; run again',
      });
    },
    { what: `ListOffsets ${topic}`, policy: END_OFFSETS_RETRY },
  );
}

/** About 5 s in all: enough for a restarted single-node broker to load its partitions. */
const END_OFFSETS_RETRY = { retries: 9, minTimeoutMs: 100, maxTimeoutMs: 1_000 } as const;
