import type { Consumer, Kafka } from 'kafkajs';
import type pg from 'pg';
import type { TopicNaming } from '../kafka/topics.js';
import type { Logger } from '../logger.js';
import { lockOffset, storeOffset, storedOffsets, storedWitnesses, type Witness } from './offsets.js';

/**
 * How long a fetch waits on the broker for records that are not there yet (kafkajs default 5000).
 * A load stops once it reaches the end offsets, and stopping waits for the fetch in flight: with
 * the default, every load paid up to 5 s of idle waiting at its end.
 */
const MAX_WAIT_MS = 100;

/** Consumer group of a pipeline: every process running the pipeline joins it and shares partitions. */
export function consumerGroupId(naming: TopicNaming, pipeline: string): string {
  return `${naming.prefix}lgsp.pipeline.${pipeline}`;
}

export interface GroupOptions {
  readonly kafka: Kafka;
  readonly naming: TopicNaming;
  readonly pipeline: string;
  readonly topics: readonly string[];
  /** Offset checks, seeks and marker skips run on this pool, beside the batch transactions. */
  readonly monitor: pg.Pool;
  readonly runId: number | null;
  readonly logger: Logger;
  /** Most bytes fetched per partition per request (kafkajs `maxBytesPerPartition`): bounds a batch. */
  readonly maxBytesPerPartition?: number | undefined;
  /** Consumer-group session timeout in ms (kafkajs default 30000). */
  readonly sessionTimeoutMs?: number | undefined;
}

/** A joined consumer and a promise that resolves with the error that crashed it, if one does. */
export interface JoinedGroup {
  readonly consumer: Consumer;
  readonly crashed: Promise<{ readonly error: unknown }>;
  /** A batch this load committed: where the partition stands now, for a later assignment's seek. */
  committed(topic: string, partition: number, next: bigint, witness: Witness | undefined): void;
  /**
   * The witness of a partition (its last record loaded) not checked since the assignment, taken
   * from the list: the first batch of the partition is compared with it (pipeline-runner.ts).
   */
  takeWitness(topic: string, partition: number): Witness | undefined;
  /** Puts a witness back, when the batch did not reach its offset yet. */
  keepWitness(topic: string, partition: number, witness: Witness): void;
  /**
   * Where the latest assignment sought a partition to: a batch fetched before the seek took effect
   * (from the group's start, 0) holds older messages, which are not this load's to count.
   */
  soughtOffset(topic: string, partition: number): bigint | undefined;
}

/**
 * Joins the pipeline's consumer group, subscribed to its topics:
 * - on every assignment it seeks to the offsets stored in the warehouse (the source of truth) —
 *   to the partition's witness, the last record loaded, when there is one, so that the first
 *   batch shows whether the partition still holds it (a recreated topic does not). The offsets
 *   are read before joining and the seek is made inside the join event, before kafkajs fetches:
 *   a seek made later lets a batch fetched from the group's start through first, and the same
 *   records are then fetched again;
 * - a fetched batch holding only transaction markers never reaches eachBatch, so the stored
 *   offset is moved past it (the end offsets count markers);
 * - a crash of the consumer settles `crashed` with its error.
 */
export async function joinGroup(options: GroupOptions): Promise<JoinedGroup> {
  const { logger, pipeline, monitor } = options;
  const consumer = options.kafka.consumer({
    groupId: consumerGroupId(options.naming, pipeline),
    readUncommitted: false,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: MAX_WAIT_MS,
    ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition, maxBytes: options.maxBytesPerPartition * 8 }),
    ...(options.sessionTimeoutMs === undefined
      ? {}
      : { sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(options.sessionTimeoutMs / 3))) }),
  });
  const where = (topic: string, partition: number): string => `${topic}:${partition}`;
  // Where each partition stands: read from the warehouse now, moved on by this load's own commits.
  // Partitions another process of the group loaded meanwhile are behind here: their records are
  // then skipped by the stored offset, never loaded twice.
  const [stored, known] = await Promise.all([storedOffsets(monitor, pipeline, options.topics), storedWitnesses(monitor, pipeline, options.topics)]);
  const positions = new Map<string, bigint>();
  const lastLoaded = new Map<string, Witness>();
  for (const [topic, partitions] of stored) for (const [partition, next] of partitions) positions.set(where(topic, partition), next);
  for (const [topic, partitions] of known) for (const [partition, witness] of partitions) lastLoaded.set(where(topic, partition), witness);
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });

  const witnesses = new Map<string, Witness>();
  const sought = new Map<string, bigint>();
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    witnesses.clear();
    sought.clear();
    for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
      for (const partition of partitions) {
        // Always seek, to 0 too: offsets committed to Kafka by an earlier process must not
        // win over the warehouse (after a warehouse reset they would skip records).
        const next = positions.get(where(topic, partition)) ?? 0n;
        const witness = lastLoaded.get(where(topic, partition));
        const at = witness !== undefined && BigInt(witness.offset) < next ? BigInt(witness.offset) : next;
        if (witness !== undefined && at < next) witnesses.set(where(topic, partition), witness);
        sought.set(where(topic, partition), at);
        consumer.seek({ topic, partition, offset: at.toString() });
      }
    }
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    if (event.payload.batchSize !== 0) return;
    const { topic, partition, lastOffset } = event.payload;
    void advancePastMarkers(monitor, pipeline, topic, partition, BigInt(lastOffset) + 1n, options.runId).catch((err: unknown) =>
      logger.warn({ err }, 'could not store the offset after transaction markers'),
    );
  });
  const crashed = new Promise<{ error: unknown }>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => resolve({ error: event.payload.error }));
  });
  return {
    consumer,
    crashed,
    committed: (topic, partition, next, witness) => {
      if (next > (positions.get(where(topic, partition)) ?? -1n)) positions.set(where(topic, partition), next);
      if (witness !== undefined) lastLoaded.set(where(topic, partition), witness);
    },
    takeWitness: (topic, partition) => {
      const witness = witnesses.get(where(topic, partition));
      witnesses.delete(where(topic, partition));
      return witness;
    },
    keepWitness: (topic, partition, witness) => void witnesses.set(where(topic, partition), witness),
    soughtOffset: (topic, partition) => sought.get(where(topic, partition)),
  };
}

async function advancePastMarkers(pool: pg.Pool, pipeline: string, topic: string, partition: number, next: bigint, runId: number | null): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await lockOffset(client, pipeline, topic, partition);
    await storeOffset(client, pipeline, topic, partition, next, runId);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
