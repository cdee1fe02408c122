import type { Admin, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import pg from 'pg';
import { connect, watchPool } from '../db/postgres.js';
import { LgspError } from '../errors.js';
import { dlqTopic, ensureTopics, rawTopic, type TopicNaming } from '../kafka/topics.js';
import type { Logger } from '../logger.js';
import { javaCompatiblePartitioner } from '../kafka/partitioner.js';
import { withRetry } from '../retry.js';
import { keyMd5, loadBatch, witnessOf, type MessageDecoder } from './batch-loader.js';
import { flushDeadLetters } from './dlq-outbox.js';
import { describeEnds, endWakeup, remaining, requireSameTopics, takeEndOffsets, waitForEnd, type EndOffsets, type EndWakeup } from './end-offsets.js';
import { TopicRecreatedError } from './errors.js';
import { joinGroup, type JoinedGroup } from './group-consumer.js';
import { RejectBudget, type RejectPolicy } from './reject-budget.js';
import type { LoadCounts, LoadFigures, PipelineDefinition, PipelineInput } from './types.js';
import type { WriterSchemas } from './writer-schemas.js';

export { consumerGroupId } from './group-consumer.js';

export interface PipelineRunnerDeps {
  readonly kafka: Kafka;
  readonly databaseUrl: string;
  readonly naming: TopicNaming;
  readonly decode: MessageDecoder;
  /** Writers the pipeline's schema files do not hold, learnt from the schema topic (./writer-schemas.ts). */
  readonly writers?: WriterSchemas;
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
  /** The share of the run's records the pipeline may reject (LGSP_LOAD_REJECT_SHARE / LGSP_LOAD_REJECTS_TOLERATED). */
  readonly rejectPolicy: RejectPolicy;
}

/**
 * Two batches at once keep both PostgreSQL (COPY + merge of one) and this process (fetch, decode
 * and transform of the other) busy; more only queue up on the same cores.
 */
const DEFAULT_PARTITIONS_CONCURRENTLY = 2;

/**
 * A batch the database could not take for a reason of its own (a deadlock, a connection cut, a
 * restart) is tried again on a fresh connection, a few times within seconds; longer outages fail
 * the load, and the next run resumes from the stored offsets.
 */
const BATCH_RETRY = { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 4_000 } as const;

/** The connections and producer one load holds, closed together. */
interface LoadSession {
  /** One connection per partition batch in flight: each batch is one transaction on its own session. */
  readonly batches: pg.Pool;
  /** Offset checks, seeks, marker skips and the dead-letter outbox, beside the batch transactions. */
  readonly monitor: pg.Pool;
  /** Sends the dead letters the batches left in the outbox. */
  readonly producer: Producer;
  close(): Promise<void>;
}

/**
 * Runs a pipeline until the offsets stored in the warehouse reach the end offsets its topics had
 * when the run started (other processes of the same group may load some partitions), then stops.
 * The steps are the lifecycle of `src/sink/types.ts`:
 *  1. take the end offsets (and create the dead-letter topics);
 *  2. open the load's connections; refuse a topic that ends below the offsets stored for it (it
 *     was recreated); send what the outbox kept for this pipeline; stop if there is nothing to load;
 *  3. join the consumer group, seeking to the stored offsets on every assignment;
 *  4. load every fetched batch ({@link loadBatch}: decode → transform → stage → merge → commit);
 *  5. stop when the stored offsets reach the end offsets, and send the last dead letters.
 */
export async function runPipelineToEnd(definition: PipelineDefinition, deps: PipelineRunnerDeps, options: LoadOptions): Promise<LoadFigures> {
  const logger = deps.logger.child({ component: 'pipeline-runner', pipeline: definition.name });
  const started = Date.now();
  const inputs = new Map<string, PipelineInput>(definition.inputs.map((input) => [rawTopic(deps.naming, input.source, input.entity), input]));
  const figures: LoadFigures = { pipeline: definition.name, ...noCounts(), seconds: 0, inputs: [...inputs].map(([topic, input]) => ({ topic, table: input.target.table, ...noCounts() })) };

  const ends = await prepareTopics(deps.kafka, [...inputs.keys()], logger);
  const session = await openSession(deps, options, logger);
  const flush = async (): Promise<void> => {
    figures.deadLettersPending = (await flushDeadLetters(session.monitor, session.producer, { pipeline: definition.name, logger })).pending;
  };
  try {
    await requireSameTopics(session.monitor, definition.name, ends);
    await flush();
    figures.lag = await remaining(session.monitor, definition.name, ends);
    if (figures.lag === 0) {
      logger.info({ ends: describeEnds(ends) }, 'nothing to load: the stored offsets are at the end offsets');
    } else {
      await consumeToEnd({ definition, deps, options, logger, session, inputs, ends, figures, started, budget: new RejectBudget(definition.name, options.rejectPolicy), flush, wakeup: endWakeup() });
      await flush();
      logger.info({ ...figures, seconds: (Date.now() - started) / 1000 }, 'pipeline loaded up to the end offsets');
    }
  } finally {
    await session.close();
  }
  figures.seconds = (Date.now() - started) / 1000;
  return figures;
}

/** Step 1: the end offsets of the input topics that exist, and their dead-letter topics. */
async function prepareTopics(kafka: Kafka, topics: readonly string[], logger: Logger): Promise<EndOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await takeEndOffsets(admin, topics, logger);
    await createDeadLetterTopics(admin, ends);
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Dead letters of a topic go to `<topic>.dlq`, created as the connectors create it. Creating topics
 * right after another process did can answer "unknown topic" while leaders settle: retried.
 */
async function createDeadLetterTopics(admin: Admin, ends: EndOffsets): Promise<void> {
  const specs = [...ends].map(([topic, partitions]) => ({ topic: dlqTopic(topic), partitions: Math.max(1, partitions.size), compacted: false }));
  await withRetry(() => ensureTopics(admin, specs), { what: 'creating the dead-letter topics', policy: { retries: 4, minTimeoutMs: 300, maxTimeoutMs: 1_500 } });
}

/** Step 2: the pools and the dead-letter producer; fails fast, with the usual hint, when PostgreSQL is unreachable. */
async function openSession(deps: PipelineRunnerDeps, options: LoadOptions, logger: Logger): Promise<LoadSession> {
  await (await connect(deps.databaseUrl)).end();
  const batches = new pg.Pool({ connectionString: deps.databaseUrl, max: concurrencyOf(options) });
  const monitor = new pg.Pool({ connectionString: deps.databaseUrl, max: 3 });
  for (const pool of [batches, monitor]) watchPool(pool, (err) => logger.warn({ err }, 'a PostgreSQL connection failed'));
  const producer = deps.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: javaCompatiblePartitioner });
  const close = async (): Promise<void> => {
    await producer.disconnect().catch(() => undefined);
    await batches.end().catch(() => undefined);
    await monitor.end().catch(() => undefined);
  };
  try {
    await producer.connect();
  } catch (err) {
    await close();
    throw err;
  }
  return { batches, monitor, producer, close };
}

function concurrencyOf(options: LoadOptions): number {
  return Math.max(1, options.partitionsConcurrently ?? DEFAULT_PARTITIONS_CONCURRENTLY);
}

interface Consumption {
  readonly definition: PipelineDefinition;
  readonly deps: PipelineRunnerDeps;
  readonly options: LoadOptions;
  readonly logger: Logger;
  readonly session: LoadSession;
  readonly inputs: ReadonlyMap<string, PipelineInput>;
  readonly ends: EndOffsets;
  readonly figures: LoadFigures;
  readonly started: number;
  readonly budget: RejectBudget;
  /** Sends the pipeline's dead letters and counts what is left in the outbox. */
  readonly flush: () => Promise<void>;
  /** Woken when a batch reaches its partition's end offset: the end is checked then, not at the next poll. */
  readonly wakeup: EndWakeup;
}

/** Steps 3–5: join the group, load every fetched batch, and stop at the end offsets (or a crash). */
async function consumeToEnd(c: Consumption): Promise<void> {
  const { definition, deps, options, session, figures } = c;
  const group = await joinGroup({
    kafka: deps.kafka,
    naming: deps.naming,
    pipeline: definition.name,
    topics: [...c.ends.keys()],
    monitor: session.monitor,
    runId: options.runId ?? null,
    logger: c.logger,
    maxBytesPerPartition: options.maxBytesPerPartition,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  const { consumer, crashed } = group;
  let ended = false;
  try {
    await consumer.run({
      // The warehouse holds the offsets (meta.consumer_offsets); committing them to Kafka as well
      // would give a second truth that can be ahead of the warehouse after a reset or a restore.
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: concurrencyOf(options),
      eachBatch: async (payload) => {
        // After this load has ended, a consumer whose disconnect failed (broker down at that
        // moment) may be restarted by kafkajs and fetch again: it must do nothing, and stop.
        if (ended) {
          void consumer.stop().catch(() => undefined);
          return;
        }
        await loadFetchedBatch(c, group, payload);
      },
    });
    const finished = waitForEnd(session.monitor, definition.name, c.ends, {
      pollMs: options.pollMs ?? 250,
      onLag: (lag) => (figures.lag = lag),
      signal: options.signal,
      wakeup: c.wakeup,
    });
    const outcome = await Promise.race([finished.then(() => null), crashed]);
    if (outcome !== null) {
      // kafkajs wraps what eachBatch threw (a TopicRecreatedError, a RejectBudgetExceededError…): ours, with its code and hint, is the cause.
      throw lgspCause(outcome.error) ?? (outcome.error instanceof Error ? outcome.error : new LgspError('LOAD_CONSUMER_CRASHED', `the consumer of pipeline ${definition.name} crashed`));
    }
  } finally {
    ended = true;
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Step 4 for one fetched batch: check the partition's witness, load the batch in one transaction, add its counts, send its dead letters. */
async function loadFetchedBatch(c: Consumption, group: JoinedGroup, payload: EachBatchPayload): Promise<void> {
  const { batch } = payload;
  const input = c.inputs.get(batch.topic);
  if (input === undefined) return;
  const from = group.soughtOffset(batch.topic, batch.partition);
  const fetched = from === undefined ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) >= from);
  // Even with no message left (the witness alone, before transaction markers) the batch is
  // loaded: its commit moves the stored offset past the markers, which the end offsets count.
  const messages = checkWitness(c.definition.name, group, batch.topic, batch.partition, fetched);
  const next = BigInt(batch.lastOffset()) + 1n;
  const counts = await withRetry(
    async () => {
      const client = await c.session.batches.connect();
      try {
        const result = await loadBatch(client, {
          pipeline: c.definition.name,
          input,
          topic: batch.topic,
          partition: batch.partition,
          partitions: c.ends.get(batch.topic)?.size ?? 1,
          messages,
          nextOffset: next,
          runId: c.options.runId ?? null,
          decode: c.deps.decode,
          budget: c.budget,
          writers: c.deps.writers,
        });
        client.release();
        return result;
      } catch (err) {
        // A failed batch's session is discarded: it may be mid-transaction or broken.
        client.release(err instanceof Error ? err : true);
        throw err;
      }
    },
    { what: `loading ${batch.topic}[${batch.partition}] from ${batch.firstOffset() ?? '?'}`, policy: BATCH_RETRY, logger: c.logger },
  );
  group.committed(batch.topic, batch.partition, next, witnessOf(messages));
  if (next >= (c.ends.get(batch.topic)?.get(batch.partition)?.high ?? 0n)) c.wakeup.wake();
  addCounts(c.figures, counts);
  const byInput = c.figures.inputs?.find((i) => i.topic === batch.topic);
  if (byInput !== undefined) addCounts(byInput, counts);
  if (counts.rejected > 0) await c.flush();
  c.figures.seconds = (Date.now() - c.started) / 1000;
  c.options.onProgress?.(c.figures);
  await payload.heartbeat();
}

/**
 * The first batch of a partition after an assignment starts at its witness — the last record
 * loaded — which must still be there, the same record; a topic deleted and created again holds
 * another record at that offset. The witness record itself is dropped (it is loaded already). A
 * witness gone from the log (compacted away) proves nothing either way.
 */
function checkWitness(pipeline: string, group: JoinedGroup, topic: string, partition: number, messages: KafkaMessage[]): KafkaMessage[] {
  const witness = group.takeWitness(topic, partition);
  if (witness === undefined) return messages;
  const at = messages.findIndex((m) => m.offset === witness.offset);
  if (at < 0) {
    // A fetch from before the seek took effect: the witness is further on.
    if (messages.length > 0 && BigInt(messages[messages.length - 1]?.offset ?? '0') < BigInt(witness.offset)) group.keepWitness(topic, partition, witness);
    return messages;
  }
  const found = messages[at];
  if (found !== undefined && (found.timestamp !== witness.timestamp || keyMd5(found.key) !== witness.keyMd5)) {
    throw new TopicRecreatedError(pipeline, topic, partition, `the record at offset ${witness.offset} is not the one loaded from it (written at ${new Date(Number(found.timestamp)).toISOString()}, the one loaded at ${new Date(Number(witness.timestamp)).toISOString()})`);
  }
  return messages.filter((_, i) => i !== at);
}

/** The first LgspError in an error's cause chain. */
function lgspCause(err: unknown): LgspError | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 10; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof LgspError) return e;
  }
  return undefined;
}

function noCounts(): LoadCounts {
  return { consumed: 0, loaded: 0, updated: 0, deleted: 0, unchanged: 0, rejected: 0, skipped: 0 };
}

function addCounts(figures: LoadCounts, counts: LoadCounts): void {
  figures.consumed += counts.consumed;
  figures.loaded += counts.loaded;
  figures.updated += counts.updated;
  figures.deleted += counts.deleted;
  figures.unchanged += counts.unchanged;
  figures.rejected += counts.rejected;
  figures.skipped += counts.skipped;
}
