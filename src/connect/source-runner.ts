import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { describeError } from '../errors.js';
import { fitDeadLetter } from '../kafka/dead-letter-size.js';
import type { Logger } from '../logger.js';
import { ensureSchemaTopic, publishSchemas } from '../kafka/schema-topic.js';
import { dlqTopic, ensureTopics, rawTopic, type TopicNaming } from '../kafka/topics.js';
import type { PublishedSchema } from '../avro/published-schema.js';
import { offsetMessage, readOffsets } from './offset-store.js';
import type { SourceConnector, SourceOffset, SourceRecord, Stream } from './types.js';
import { javaCompatiblePartitioner } from '../kafka/partitioner.js';
import { MAX_BYTES_PER_TRANSACTION, PendingTransaction } from './pending-transaction.js';
import { ReadAhead } from './read-ahead.js';
import { CommittedWrites, sweepPendingTransactions } from './transactions.js';

/** What the runner needs from the schema layer: validate a value, encode it (single-object Avro). */
export interface RecordCodec {
  /** Problems of `value` for a version of the schema (the newest when omitted); empty when valid. */
  validate(fullName: string, value: unknown, version?: number): readonly string[];
  /** Single-object encodes `value` with a version of the schema (the newest when omitted). */
  encode(fullName: string, value: unknown, version?: number): Buffer;
  /** Every version of the schema `encode` may write with, as the schema topic carries them. */
  published(fullName: string): readonly PublishedSchema[];
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
  /**
   * Records (dead letters included) a transaction gathers from consecutive pages before it
   * commits, unless the stream ends; a page is never split (LGSP_EXTRACT_RECORDS_PER_TRANSACTION;
   * 1 commits every page on its own).
   */
  readonly recordsPerTransaction: number;
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
}

/**
 * Runs every stream of a connector until it is caught up:
 *  1. create the stream topics, their dead-letter topics and the connector's offsets topic, and
 *     publish the writer schemas of its streams on the schema topic (src/kafka/schema-topic.ts);
 *  2. start the transactional producer, fence an earlier incarnation and abort what it left
 *     pending (src/connect/transactions.ts);
 *  3. read each stream's last committed source offset (a backfill: the window's start);
 *  4. run the streams one after another ({@link runStream});
 *  5. return once everything committed is readable by the pipelines.
 * The connector is closed at the end, whether the run succeeded or not.
 */
export async function runConnector(connector: SourceConnector, deps: SourceRunnerDeps, options: RunOptions): Promise<StreamFigures[]> {
  try {
    return await runStreams(connector, deps, options);
  } finally {
    await connector.close?.();
  }
}

async function runStreams(connector: SourceConnector, deps: SourceRunnerDeps, options: RunOptions): Promise<StreamFigures[]> {
  const logger = deps.logger.child({ component: 'source-runner', connector: connector.name });
  const offsetsTopic = connectorOffsetsTopic(deps.naming, connector.name);
  const topics = connector.streams.map((s) => rawTopic(deps.naming, connector.name, s.entity));
  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    await createTopics(admin, deps.partitions, offsetsTopic, topics);
    // Before any record is written with them: a pipeline deployed with older schema files learns
    // the writer of a message it does not know from there.
    await ensureSchemaTopic(admin, deps.naming);
    await publishSchemas(deps.kafka, deps.naming, [...new Set(connector.streams.map((s) => s.valueSchema))].flatMap((name) => deps.codec.published(name)));
    const producer = connectorProducer(deps, connector.name, options.window !== undefined);
    await producer.connect();
    try {
      // Before reading where to resume: fence the predecessor and abort what it left pending
      // (kafkajs initialises the transactional id only at the first transaction, not at connect).
      const swept = await sweepPendingTransactions(producer, admin, [offsetsTopic, ...topics, ...topics.map(dlqTopic)]);
      logger.debug({ partitions: swept }, 'pending transactions of earlier runs aborted');
      const resumeFrom = await startingOffsets(deps.kafka, connector.name, offsetsTopic, options.window);
      const written = new CommittedWrites();
      const all: StreamFigures[] = [];
      for (const stream of connector.streams) {
        const from = resumeFrom(stream.name);
        all.push(await runStream(stream, { connector: connector.name, from, producer, deps, offsetsTopic, logger, options, written }));
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

async function createTopics(admin: Admin, partitions: number, offsetsTopic: string, topics: readonly string[]): Promise<void> {
  await ensureTopics(admin, [
    { topic: offsetsTopic, partitions: 1, compacted: true },
    ...topics.flatMap((topic) => [
      { topic, partitions, compacted: true },
      { topic: dlqTopic(topic), partitions, compacted: false },
    ]),
  ]);
}

/**
 * One transactional id per connector: a restarted connector fences its zombie predecessor, whose
 * open transaction is aborted. A backfill has its own, so it neither fences nor is fenced by the
 * nightly run.
 */
function connectorProducer(deps: SourceRunnerDeps, connector: string, backfill: boolean): Producer {
  return deps.kafka.producer({
    transactionalId: `${deps.naming.prefix}lgsp-${backfill ? 'backfill' : 'connector'}-${connector}`,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: javaCompatiblePartitioner,
  });
}

/** Where each stream starts: its committed source offset, or — in a backfill — just before the window. */
async function startingOffsets(
  kafka: Kafka,
  connector: string,
  offsetsTopic: string,
  window: RunOptions['window'],
): Promise<(stream: string) => SourceOffset | null> {
  if (window !== undefined) {
    // Every record updated at or after `from` sorts after this offset.
    const start: SourceOffset = { updatedAt: new Date(window.from.getTime() - 1).toISOString(), id: '' };
    return () => start;
  }
  const offsets = await readOffsets(kafka, offsetsTopic, connector);
  return (stream) => offsets.get(stream) ?? null;
}

interface StreamRun {
  readonly connector: string;
  readonly from: SourceOffset | null;
  readonly producer: Producer;
  readonly deps: SourceRunnerDeps;
  readonly offsetsTopic: string;
  readonly logger: Logger;
  readonly options: RunOptions;
  readonly written: CommittedWrites;
}

/**
 * Runs one stream until it is caught up, as `src/connect/types.ts` spells out: page → validate →
 * produce → commit offset. Pages are read one ahead; consecutive whole pages share a transaction
 * up to the records (or bytes) per transaction.
 */
async function runStream(stream: Stream, run: StreamRun): Promise<StreamFigures> {
  const { connector, deps, options } = run;
  const logger = run.logger.child({ stream: stream.name });
  const topic = rawTopic(deps.naming, connector, stream.entity);
  const started = Date.now();
  const figures: StreamFigures = { connector, stream: stream.name, topic, read: 0, produced: 0, tombstones: 0, deadLettered: 0, retries: 0, transactions: 0, seconds: 0 };
  const progress = (): void => {
    figures.seconds = (Date.now() - started) / 1000;
    figures.retries = options.retriesOf?.(stream.name) ?? 0;
  };
  logger.info({ from: run.from, topic }, run.from === null ? 'snapshot: reading everything' : 'incremental: reading changes after the last offset');

  const pending = new PendingTransaction(
    {
      topic,
      dlqTopic: dlqTopic(topic),
      offsetMessage: options.window === undefined ? (offset) => ({ topic: run.offsetsTopic, message: offsetMessage(connector, stream.name, offset) }) : null,
    },
    { records: options.recordsPerTransaction, bytes: MAX_BYTES_PER_TRANSACTION },
  );
  const commit = async (): Promise<void> => {
    const written = await pending.commit(run.producer);
    if (written === null) return;
    run.written.note(written);
    figures.transactions += 1;
    progress();
    options.onProgress?.(figures);
  };
  const pages = new ReadAhead(stream.read(run.from, options.signal ?? new AbortController().signal)[Symbol.asyncIterator]());
  try {
    for (let read = await pages.next(); read !== undefined; read = await pages.next()) {
      const { page, passedWindow } = clipToWindow(read, options.window);
      for (const record of page) convertRecord(record, stream, deps.codec, connector, pending, figures);
      const last = page[page.length - 1];
      if (last !== undefined) pending.advance(last.sourceOffset);
      if (pending.full() || passedWindow) await commit();
      if (passedWindow) break;
    }
    await commit();
  } catch (err) {
    pages.abandon();
    throw err;
  }
  await pages.close();
  progress();
  logger.info({ ...figures }, 'stream caught up');
  return figures;
}

/** In a backfill, a page is cut at the first change at or after the window's end. */
function clipToWindow(read: readonly SourceRecord[], window: RunOptions['window']): { page: readonly SourceRecord[]; passedWindow: boolean } {
  if (window === undefined) return { page: read, passedWindow: false };
  const until = window.to.getTime();
  const page = read.filter((r) => Date.parse(r.sourceOffset.updatedAt) < until);
  return { page, passedWindow: page.length < read.length };
}

/** Validates a record and adds it to the transaction: encoded to the topic, as a tombstone, or dead-lettered. */
function convertRecord(record: SourceRecord, stream: Stream, codec: RecordCodec, connector: string, pending: PendingTransaction, figures: StreamFigures): void {
  figures.read += 1;
  if (record.value === null) {
    // The delete time travels in a header: a tombstone has no value to carry it.
    pending.produce({ key: record.key, value: null, headers: { 'lgsp.deleted-at': record.sourceOffset.updatedAt } });
    figures.tombstones += 1;
    return;
  }
  const problems = [...codec.validate(stream.valueSchema, record.value, record.valueSchemaVersion), ...stream.check(record.value), ...keyProblems(stream, record.key, record.value)];
  if (problems.length > 0) {
    pending.deadLetter(deadLetter(connector, stream, record, problems));
    figures.deadLettered += 1;
    return;
  }
  pending.produce({ key: record.key, value: codec.encode(stream.valueSchema, record.value, record.valueSchemaVersion) });
  figures.produced += 1;
}

/** A key that is not the one the value names: its changes would land in another entity's partition. */
function keyProblems(stream: Stream, key: string, value: Record<string, unknown>): string[] {
  let named: string;
  try {
    named = stream.keyOf(value);
  } catch (err) {
    return [`key: the value names no key (${describeError(err)})`];
  }
  return named === key ? [] : [`key: ${JSON.stringify(key.slice(0, 100))} is not the key the value names (${JSON.stringify(named.slice(0, 100))})`];
}

/**
 * A record that failed validation, with the reason and where it came from in headers; cut to fit
 * a Kafka record if the source served something huge (the record itself stays in the source).
 */
function deadLetter(connector: string, stream: Stream, record: SourceRecord, problems: readonly string[]): Message {
  const fit = fitDeadLetter(record.key, safeJson(record.value), `the source, at offset ${JSON.stringify(record.sourceOffset)}`);
  return {
    key: fit.key,
    value: fit.value,
    headers: {
      'lgsp.error.code': 'RECORD_INVALID',
      'lgsp.error.reason': problems.join('; ').slice(0, 2000),
      'lgsp.source': connector,
      'lgsp.stream': stream.name,
      'lgsp.schema': stream.valueSchema,
      'lgsp.source.offset': JSON.stringify(record.sourceOffset).slice(0, 2000),
      ...fit.headers,
    },
  };
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? (Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()) : v));
}
