import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from '../logger.js';
import { dlqTopic, ensureTopics, rawTopic, type TopicNaming } from '../kafka/topics.js';
import { offsetMessage, readOffsets } from './offset-store.js';
import type { SourceConnector, SourceOffset, SourceRecord, Stream } from './types.js';
import { javaCompatiblePartitioner } from '../kafka/partitioner.js';
import { CommittedWrites, sweepPendingTransactions } from './transactions.js';

/** What the runner needs from the schema layer: validate a value, encode it (single-object Avro). */
export interface RecordCodec {
  validate(fullName: string, value: unknown): readonly string[];
  encode(fullName: string, value: unknown): Buffer;
}

export interface SourceRunnerDeps {
  readonly kafka: Kafka;
  readonly codec: RecordCodec;
  readonly naming: TopicNaming;
  readonly partitions: number;
  readonly logger: Logger;
}

/** Per-stream figures of one run. `read = produced + tombstones + deadLettered`. */
export interface StreamFigures {
  readonly connector: string;
  readonly stream: string;
  readonly topic: string;
  read: number;
  produced: number;
  tombstones: number;
  deadLettered: number;
  retries: number;
  transactions: number;
  seconds: number;
}

/** The connector's own offsets topic (KIP-618: per-connector offsets topics). */
export function connectorOffsetsTopic(naming: TopicNaming, connector: string): string {
  return `${naming.prefix}lgsp.connect.offsets.${connector}`;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (figures: StreamFigures) => void;
  /** Retries the connector's clients have made so far for a stream (counted outside the runner). */
  readonly retriesOf?: (stream: string) => number;
  /**
   * Backfill: re-read only the changes with from ≤ update time < to, leaving the connector's
   * committed offsets alone. Records already in Kafka are written again; the pipelines' merges
   * make that a no-op in the warehouse, so a backfill can be repeated safely.
   */
  readonly window?: { readonly from: Date; readonly to: Date };
  /** See {@link DEFAULT_RECORDS_PER_TRANSACTION}; 1 commits every page on its own. */
  readonly recordsPerTransaction?: number;
}

/**
 * Records (dead letters included) a transaction gathers from consecutive pages before it commits,
 * unless the stream ends; a page is never split. A transaction costs a few milliseconds of round
 * trips to the broker whatever it holds (~6.7 ms measured: the one-stop extract at scale 0.4 took
 * 30.0 s with a transaction per 1,000-row page, 20.6 s with 5,000 rows a transaction), and a crash
 * redoes at most one. Settable per deployment: LGSP_EXTRACT_RECORDS_PER_TRANSACTION.
 */
export const DEFAULT_RECORDS_PER_TRANSACTION = 5000;

/**
 * Bytes (keys and values) after which a transaction commits even short of its record count: one
 * transaction is one produce request, whose batch per partition the broker refuses above its
 * `message.max.bytes` (1 MiB by default) — reached when a topic has a single partition.
 */
const MAX_BYTES_PER_TRANSACTION = 768 * 1024;

/**
 * Runs every stream of a connector until it is caught up. Each run of consecutive pages (whole
 * pages, up to the records per transaction) is written with the stream's new source offset in one
 * Kafka transaction, so a crash at any point neither skips nor duplicates: the next run resumes
 * from the last committed offset. The connector is closed at the end, whether the run succeeded
 * or not.
 */
export async function runConnector(connector: SourceConnector, deps: SourceRunnerDeps, options: RunOptions = {}): Promise<StreamFigures[]> {
  try {
    return await runStreams(connector, deps, options);
  } finally {
    await connector.close?.();
  }
}

async function runStreams(connector: SourceConnector, deps: SourceRunnerDeps, options: RunOptions): Promise<StreamFigures[]> {
  const logger = deps.logger.child({ component: 'source-runner', connector: connector.name });
  const signal = options.signal ?? new AbortController().signal;
  const offsetsTopic = connectorOffsetsTopic(deps.naming, connector.name);

  const topics = connector.streams.map((s) => rawTopic(deps.naming, connector.name, s.entity));
  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [
      { topic: offsetsTopic, partitions: 1, compacted: true },
      ...topics.flatMap((topic) => [
        { topic, partitions: deps.partitions, compacted: true },
        { topic: dlqTopic(topic), partitions: deps.partitions, compacted: false },
      ]),
    ]);

    // One transactional id per connector: a restarted connector fences its zombie predecessor,
    // whose open transaction is aborted, before we read where to resume.
    // A backfill has its own transactional id, so it neither fences nor is fenced by the nightly run.
    const producer = deps.kafka.producer({
      transactionalId: `${deps.naming.prefix}lgsp-${options.window === undefined ? 'connector' : 'backfill'}-${connector.name}`,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: javaCompatiblePartitioner,
    });
    await producer.connect();
    try {
      // Before reading where to resume: fence the predecessor and abort what it left pending
      // (kafkajs initialises the transactional id only at the first transaction, not at connect).
      const swept = await sweepPendingTransactions(producer, admin, [offsetsTopic, ...topics, ...topics.map(dlqTopic)]);
      logger.debug({ partitions: swept }, 'pending transactions of earlier runs aborted');
      const offsets = options.window === undefined ? await readOffsets(deps.kafka, offsetsTopic, connector.name) : new Map<string, SourceOffset>();
      // Just before the window: every record updated at or after `from` sorts after this offset.
      const windowStart: SourceOffset | null = options.window === undefined ? null : { updatedAt: new Date(options.window.from.getTime() - 1).toISOString(), id: '' };
      const written = new CommittedWrites();
      const all: StreamFigures[] = [];
      for (const stream of connector.streams) {
        const from = windowStart ?? offsets.get(stream.name) ?? null;
        const figures = await runStream(connector.name, stream, from, producer, deps, offsetsTopic, signal, logger, options, written);
        all.push(figures);
      }
      // Done means readable: the pipeline that loads next must see every record committed here.
      await written.readable(admin);
      return all;
    } finally {
      await producer.disconnect();
    }
  } finally {
    await admin.disconnect();
  }
}

async function runStream(
  connector: string,
  stream: Stream,
  from: SourceRecord['sourceOffset'] | null,
  producer: Producer,
  deps: SourceRunnerDeps,
  offsetsTopic: string,
  signal: AbortSignal,
  parentLogger: Logger,
  options: RunOptions,
  written: CommittedWrites,
): Promise<StreamFigures> {
  const logger = parentLogger.child({ stream: stream.name });
  const topic = rawTopic(deps.naming, connector, stream.entity);
  const started = Date.now();
  const figures: StreamFigures = {
    connector,
    stream: stream.name,
    topic,
    read: 0,
    produced: 0,
    tombstones: 0,
    deadLettered: 0,
    retries: 0,
    transactions: 0,
    seconds: 0,
  };
  logger.info({ from, topic }, from === null ? 'snapshot: reading everything' : 'incremental: reading changes after the last offset');

  const until = options.window?.to.getTime();
  // The next page is read from the source while this one is encoded and committed: the source's
  // latency and Kafka's transaction round trips overlap instead of adding up. What is read and
  // committed, and in which order, stays the same.
  const pages = stream.read(from, signal)[Symbol.asyncIterator]();
  let ahead = pages.next();
  // A read-ahead that fails while a transaction runs is rethrown when awaited, never unhandled.
  ahead.catch(() => undefined);
  // Pages read but not committed yet share a transaction (up to the records and bytes above).
  const recordsPerTransaction = options.recordsPerTransaction ?? DEFAULT_RECORDS_PER_TRANSACTION;
  let records: Message[] = [];
  let dead: Message[] = [];
  let bytes = 0;
  let last: SourceRecord | undefined;
  const commit = async (): Promise<void> => {
    if (last === undefined) return;
    // Records, dead letters and the new source offset in one produce request of one transaction.
    const topicMessages: TopicMessages[] = [];
    if (records.length > 0) topicMessages.push({ topic, messages: records });
    if (dead.length > 0) topicMessages.push({ topic: dlqTopic(topic), messages: dead });
    if (options.window === undefined) topicMessages.push({ topic: offsetsTopic, messages: [offsetMessage(connector, stream.name, last.sourceOffset)] });
    const transaction = await producer.transaction();
    try {
      const metadata = topicMessages.length > 0 ? await transaction.sendBatch({ topicMessages }) : [];
      await transaction.commit();
      written.note(metadata.filter((m) => m.topicName === topic));
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      throw err;
    }
    records = [];
    dead = [];
    bytes = 0;
    last = undefined;
    figures.transactions += 1;
    figures.seconds = (Date.now() - started) / 1000;
    figures.retries = options.retriesOf?.(stream.name) ?? 0;
    options.onProgress?.(figures);
  };
  try {
    for (;;) {
      const step = await ahead;
      if (step.done === true) break;
      const read = step.value;
      ahead = pages.next();
      ahead.catch(() => undefined);
      // In a backfill, stop at the first change at or after the window's end.
      const page = until === undefined ? read : read.filter((r) => Date.parse(r.sourceOffset.updatedAt) < until);
      const passedWindow = page.length < read.length;
      if (page.length === 0) {
        if (passedWindow) break;
        continue;
      }
      for (const record of page) {
        figures.read += 1;
        if (record.value === null) {
          // The delete time travels in a header: a tombstone has no value to carry it.
          records.push({ key: record.key, value: null, headers: { 'lgsp.deleted-at': record.sourceOffset.updatedAt } });
          figures.tombstones += 1;
          continue;
        }
        const problems = [...deps.codec.validate(stream.valueSchema, record.value), ...stream.check(record.value)];
        if (problems.length > 0) {
          const letter = deadLetter(connector, stream, record, problems);
          dead.push(letter);
          // Its headers carry the reason (up to 2,000 characters): count them too.
          bytes += record.key.length + (letter.value?.length ?? 0) + 2048;
          figures.deadLettered += 1;
          continue;
        }
        const value = deps.codec.encode(stream.valueSchema, record.value);
        records.push({ key: record.key, value });
        bytes += record.key.length + value.length;
        figures.produced += 1;
      }
      last = page[page.length - 1] ?? last;
      if (records.length + dead.length < recordsPerTransaction && bytes < MAX_BYTES_PER_TRANSACTION && !passedWindow) continue;
      await commit();
      if (passedWindow) break;
    }
    await commit();
  } catch (err) {
    // Not awaited: a read-ahead stuck in retries must not hold back the error.
    void pages.return?.().catch(() => undefined);
    throw err;
  }
  // Closes the source's reader once the page read ahead (a backfill stops early) has settled.
  await pages.return?.().catch(() => undefined);
  figures.seconds = (Date.now() - started) / 1000;
  figures.retries = options.retriesOf?.(stream.name) ?? 0;
  logger.info({ ...figures }, 'stream caught up');
  return figures;
}

/** A record that failed validation, with the reason and where it came from in headers. */
function deadLetter(connector: string, stream: Stream, record: SourceRecord, problems: readonly string[]): Message {
  return {
    key: record.key,
    value: safeJson(record.value),
    headers: {
      'lgsp.error.code': 'RECORD_INVALID',
      'lgsp.error.reason': problems.join('; ').slice(0, 2000),
      'lgsp.source': connector,
      'lgsp.stream': stream.name,
      'lgsp.schema': stream.valueSchema,
      'lgsp.source.offset': JSON.stringify(record.sourceOffset),
    },
  };
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()) : v));
}
