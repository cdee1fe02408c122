import type { Consumer, Kafka, Producer } from 'kafkajs';
import pg from 'pg';
import { connect, watchPool } from '../db/postgres.js';
import { dlqTopic, ensureTopics, rawTopic, type TopicNaming } from '../kafka/topics.js';
import type { Logger } from '../logger.js';
import { loadBatch, type MessageDecoder } from './batch-loader.js';
import { flushDeadLetters } from './dlq-outbox.js';
import { storeOffset, storedOffsets, lockOffset } from './offsets.js';
import type { LoadFigures, PipelineDefinition, PipelineInput } from './types.js';
import { javaCompatiblePartitioner } from '../kafka/partitioner.js';
import { endOffsets } from '../kafka/read-to-end.js';

export interface PipelineRunnerDeps {
  readonly kafka: Kafka;
  readonly databaseUrl: string;
  readonly naming: TopicNaming;
  readonly decode: MessageDecoder;
  readonly logger: Logger;
}

export interface LoadOptions {
  readonly runId?: number | null;
  readonly signal?: AbortSignal;
  /** How often to check whether the end offsets are reached, in ms. */
  readonly pollMs?: number;
  readonly onProgress?: (figures: LoadFigures) => void;
  /** Most bytes fetched per partition per request (kafkajs `maxBytesPerPartition`): bounds a batch. */
  readonly maxBytesPerPartition?: number;
  /** Consumer-group session timeout in ms (kafkajs default 30000). */
  readonly sessionTimeoutMs?: number;
  /**
   * Partitions loaded at the same time, each batch on its own PostgreSQL connection (kafkajs
   * `partitionsConsumedConcurrently`). Batches of one partition still run one after another.
   */
  readonly partitionsConcurrently?: number;
}

/**
 * Two batches at once keep both PostgreSQL (COPY + merge of one) and this process (fetch, decode
 * and transform of the other) busy; more only queue up on the same cores.
 */
const DEFAULT_PARTITIONS_CONCURRENTLY = 2;

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

/**
 * Runs a pipeline until the offsets stored in the warehouse reach the end offsets its topics had
 * when the run started (other processes of the same group may load some partitions), then stops.
 */
export async function runPipelineToEnd(definition: PipelineDefinition, deps: PipelineRunnerDeps, options: LoadOptions = {}): Promise<LoadFigures> {
  const logger = deps.logger.child({ component: 'pipeline-runner', pipeline: definition.name });
  const started = Date.now();
  const figures: LoadFigures = { pipeline: definition.name, consumed: 0, loaded: 0, updated: 0, deleted: 0, rejected: 0, skipped: 0, seconds: 0 };
  const byTopic = new Map<string, PipelineInput>(definition.inputs.map((input) => [rawTopic(deps.naming, input.source, input.entity), input]));
  const topics = [...byTopic.keys()];

  const admin = deps.kafka.admin();
  await admin.connect();
  const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics) {
      if (!existing.has(topic)) {
        logger.warn({ topic }, 'topic does not exist yet: nothing to load from it (run the connector first)');
        continue;
      }
      const partitions = new Map<number, { low: bigint; high: bigint }>();
      for (const p of await endOffsets(admin, topic)) partitions.set(p.partition, { low: BigInt(p.low), high: BigInt(p.high) });
      ends.set(topic, partitions);
    }
    // Dead letters of a topic go to `<topic>.dlq`, created as the connectors create it. Creating
    // topics right after another process did can answer "unknown topic" while leaders settle.
    const dlqSpecs = [...ends].map(([topic, partitions]) => ({ topic: dlqTopic(topic), partitions: Math.max(1, partitions.size), compacted: false }));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await ensureTopics(admin, dlqSpecs);
        break;
      } catch (err) {
        if (attempt >= 5 || (err as { retriable?: boolean }).retriable !== true) throw err;
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const loadTopics = [...ends.keys()];

  // Fail fast, with the usual hint, when PostgreSQL is unreachable.
  await (await connect(deps.databaseUrl)).end();
  const concurrency = Math.max(1, options.partitionsConcurrently ?? DEFAULT_PARTITIONS_CONCURRENTLY);
  // One connection per partition batch in flight: each batch is one transaction on its own session.
  const batches = new pg.Pool({ connectionString: deps.databaseUrl, max: concurrency });
  // Offset checks, seeks and marker skips run beside the batch transactions, on their own connections.
  const monitor = new pg.Pool({ connectionString: deps.databaseUrl, max: 3 });
  for (const pool of [batches, monitor]) watchPool(pool, (err) => logger.warn({ err }, 'a PostgreSQL connection failed'));
  let consumer: Consumer | null = null;
  let loadEnded = false;
  const producer: Producer = deps.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: javaCompatiblePartitioner });
  try {
    await producer.connect();
    // Dead letters a crashed run committed but did not send.
    await flushDeadLetters(monitor, producer);
    figures.lag = await remaining(monitor, definition.name, ends);
    if (figures.lag === 0) {
      logger.info({ ends: Object.fromEntries([...ends].map(([t, ps]) => [t, Object.fromEntries([...ps].map(([p, o]) => [p, `${o.low}..${o.high}`]))])) }, 'nothing to load: the stored offsets are at the end offsets');
      figures.seconds = (Date.now() - started) / 1000;
      return figures;
    }
    consumer = deps.kafka.consumer({
      groupId: consumerGroupId(deps.naming, definition.name),
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: MAX_WAIT_MS,
      ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition, maxBytes: options.maxBytesPerPartition * 8 }),
      ...(options.sessionTimeoutMs === undefined
        ? {}
        : { sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(options.sessionTimeoutMs / 3))) }),
    });
    const group = consumer;
    await group.connect();
    await group.subscribe({ topics: loadTopics, fromBeginning: true });

    // On every assignment, start from the offsets stored in the warehouse (the source of truth).
    group.on(group.events.GROUP_JOIN, (event) => {
      void (async () => {
        const stored = await storedOffsets(monitor, definition.name, loadTopics);
        for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
          for (const partition of partitions) {
            // Always seek, to 0 too: offsets committed to Kafka by an earlier process must not
            // win over the warehouse (after a warehouse reset they would skip records).
            const next = stored.get(topic)?.get(partition) ?? 0n;
            group.seek({ topic, partition, offset: next.toString() });
          }
        }
      })().catch((err: unknown) => logger.warn({ err }, 'could not seek to stored offsets; stored offsets still filter replays'));
    });
    // A fetched batch holding only transaction markers never reaches eachBatch; move past it so
    // the end offsets (which count markers) can be reached.
    group.on(group.events.END_BATCH_PROCESS, (event) => {
      if (event.payload.batchSize !== 0) return;
      const { topic, partition, lastOffset } = event.payload;
      void advancePastMarkers(monitor, definition.name, topic, partition, BigInt(lastOffset) + 1n, options.runId ?? null).catch((err: unknown) =>
        logger.warn({ err }, 'could not store the offset after transaction markers'),
      );
    });

    let failure: unknown = null;
    const crashed = new Promise<void>((resolve) => {
      group.on(group.events.CRASH, (event) => {
        failure = event.payload.error;
        resolve();
      });
    });

    await group.run({
      // The warehouse holds the offsets (meta.consumer_offsets); committing them to Kafka as well
      // would give a second truth that can be ahead of the warehouse after a reset or a restore.
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const input = byTopic.get(batch.topic);
        // After this load has ended, a consumer whose disconnect failed (broker down at that
        // moment) may be restarted by kafkajs and fetch again: it must do nothing, and stop.
        if (input === undefined || loadEnded) {
          if (loadEnded) void group.stop().catch(() => undefined);
          return;
        }
        const client = await batches.connect();
        let result: Awaited<ReturnType<typeof loadBatch>>;
        try {
          result = await loadBatch(client, {
            pipeline: definition.name,
            input,
            topic: batch.topic,
            partition: batch.partition,
            messages: batch.messages,
            nextOffset: BigInt(batch.lastOffset()) + 1n,
            runId: options.runId ?? null,
            decode: deps.decode,
          });
        } catch (err) {
          // A failed batch's session is discarded: it may be mid-transaction or broken.
          client.release(err instanceof Error ? err : true);
          throw err;
        }
        client.release();
        figures.consumed += result.consumed;
        figures.loaded += result.loaded;
        figures.updated += result.updated;
        figures.deleted += result.deleted;
        figures.rejected += result.rejected;
        figures.skipped += result.skipped;
        if (result.rejected > 0) await flushDeadLetters(monitor, producer);
        figures.seconds = (Date.now() - started) / 1000;
        options.onProgress?.(figures);
        await payload.heartbeat();
      },
    });

    const finished = waitForEnd(monitor, definition.name, ends, options.pollMs ?? 250, (lag) => (figures.lag = lag), options.signal);
    await Promise.race([finished, crashed]);
    if (failure !== null) throw failure instanceof Error ? failure : new Error('the consumer crashed');
    await flushDeadLetters(monitor, producer);
  } finally {
    loadEnded = true;
    await consumer?.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await batches.end().catch(() => undefined);
    await monitor.end().catch(() => undefined);
  }
  figures.seconds = (Date.now() - started) / 1000;
  logger.info({ ...figures }, 'pipeline loaded up to the end offsets');
  return figures;
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

/** Offsets still to load: the end offsets taken at the start minus the stored offsets (0 = done). */
async function remaining(client: pg.Pool, pipeline: string, ends: Map<string, Map<number, { low: bigint; high: bigint }>>): Promise<number> {
  const stored = await storedOffsets(client, pipeline, [...ends.keys()]);
  let lag = 0n;
  for (const [topic, partitions] of ends) {
    for (const [partition, { low, high }] of partitions) {
      if (high <= low) continue;
      const next = stored.get(topic)?.get(partition) ?? low;
      if (next < high) lag += high - (next > low ? next : low);
    }
  }
  return Number(lag);
}

async function waitForEnd(
  client: pg.Pool,
  pipeline: string,
  ends: Map<string, Map<number, { low: bigint; high: bigint }>>,
  pollMs: number,
  onLag: (lag: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    if (signal?.aborted === true) return;
    const lag = await remaining(client, pipeline, ends);
    onLag(lag);
    if (lag === 0) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
