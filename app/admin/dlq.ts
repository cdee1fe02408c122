import { endOffsets } from '../../src/kafka/read-to-end.js';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { reviveJson } from '../../src/avro/revive-json.js';
import { UsageError } from '../../src/errors.js';
import { dlqTopic } from '../../src/kafka/topics.js';
import type { Stream } from '../../src/connect/types.js';
import type { Runtime } from '../runtime.js';
import { javaCompatiblePartitioner } from '../../src/kafka/partitioner.js';
import { CommittedWrites } from '../../src/connect/transactions.js';

/** One dead letter as `lgsp dlq list` shows it. */
export interface DeadLetterView {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** The record as it failed (connector dead letters: its JSON; pipeline ones: the raw message), as UTF-8 text; null for a tombstone. */
  readonly value: string | null;
  readonly code: string;
  readonly reason: string;
  /** `connector:<source>/<stream>` (failed validation on extract) or `pipeline:<name>` (rejected at load). */
  readonly origin: string;
  readonly at: string;
}

export interface ReplayFigures {
  readonly topic: string;
  read: number;
  /** Connector dead letters that now validate, written to the raw topic. */
  produced: number;
  /** Pipeline dead letters written back to the raw topic, for the pipeline to load (or reject) again. */
  reinjected: number;
  /** Dead letters that still fail, written back to the DLQ with their new reason. */
  deadAgain: number;
}

const header = (headers: IHeaders | undefined, name: string): string | undefined => headers?.[name]?.toString();

/** The DLQ topic for a name given as the raw topic or the DLQ topic, with the deployment's prefix. */
export function resolveDlqTopic(runtime: Runtime, name: string): { dlq: string; raw: string } {
  const prefixed = name.startsWith(runtime.naming.prefix) ? name : `${runtime.naming.prefix}${name}`;
  const raw = prefixed.endsWith('.dlq') ? prefixed.slice(0, -'.dlq'.length) : prefixed;
  return { dlq: dlqTopic(raw), raw };
}

function view(message: KafkaMessage, partition: number): DeadLetterView {
  const h = message.headers;
  const pipeline = header(h, 'lgsp.pipeline');
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? null,
    code: header(h, 'lgsp.error.code') ?? '?',
    reason: header(h, 'lgsp.error.reason') ?? '',
    origin: pipeline !== undefined ? `pipeline:${pipeline}` : `connector:${header(h, 'lgsp.source') ?? '?'}/${header(h, 'lgsp.stream') ?? '?'}`,
    at: new Date(Number(message.timestamp)).toISOString(),
  };
}

async function assertTopic(runtime: Runtime, topic: string): Promise<void> {
  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new UsageError(`no dead-letter topic ${topic}`, 'give a raw topic name, e.g. lgsp.raw.population.citizen.v1');
  } finally {
    await admin.disconnect();
  }
}

/** Every dead letter in a DLQ topic (committed ones), oldest first per partition. */
export async function listDeadLetters(runtime: Runtime, name: string): Promise<DeadLetterView[]> {
  const { dlq } = resolveDlqTopic(runtime, name);
  await assertTopic(runtime, dlq);
  const { readToEnd } = await import('../../src/kafka/read-to-end.js');
  const letters: DeadLetterView[] = [];
  await readToEnd(runtime.kafka, dlq, (message, partition) => letters.push(view(message, partition)));
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/**
 * Replays a DLQ after a fix, exactly once: each dead letter not replayed before is re-validated
 * (connector dead letters, with today's schema and checks) and written to the raw topic when it
 * now passes, or back to the DLQ with its new reason; a pipeline's dead letters go back to the raw
 * topic for the pipeline to load or reject again. Outputs and the replay's progress (a consumer
 * group per DLQ) are committed in one Kafka transaction per batch.
 */
export async function replayDeadLetters(runtime: Runtime, name: string): Promise<ReplayFigures> {
  const { dlq, raw } = resolveDlqTopic(runtime, name);
  await assertTopic(runtime, dlq);
  const figures: ReplayFigures = { topic: dlq, read: 0, produced: 0, reinjected: 0, deadAgain: 0 };
  const groupId = `${runtime.naming.prefix}lgsp.dlq-replay.${dlq}`;

  const admin = runtime.kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics: [dlq] });
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    for (const p of await endOffsets(admin, dlq)) {
      const start = (done.get(p.partition) ?? -1n) >= 0n ? (done.get(p.partition) ?? 0n) : BigInt(p.low);
      if (BigInt(p.high) > start) ends.set(p.partition, BigInt(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return figures;

  const streams = new Map<string, Stream>();
  const closers: (() => Promise<void>)[] = [];
  const streamFor = (source: string, stream: string): Stream | undefined => {
    const key = `${source}/${stream}`;
    if (!streams.has(key)) {
      const factory = runtime.connectors[source];
      if (factory === undefined) return undefined;
      const connector = factory({ settings: runtime.settings, logger: runtime.logger });
      if (connector.close !== undefined) closers.push(() => connector.close?.() ?? Promise.resolve());
      for (const s of connector.streams) streams.set(`${source}/${s.name}`, s);
    }
    return streams.get(key);
  };

  function replayOne(message: KafkaMessage, partition: number): { topic: string; message: Message } {
    const h = message.headers ?? {};
    const origin = `${partition}/${message.offset}`;
    const pipeline = header(h, 'lgsp.pipeline');
    if (pipeline !== undefined) {
      figures.reinjected += 1;
      return { topic: header(h, 'lgsp.source.topic') ?? raw, message: { key: message.key, value: message.value, headers: { 'lgsp.replayed-from': `${dlq}/${origin}` } } };
    }
    const schema = header(h, 'lgsp.schema') ?? '';
    const stream = streamFor(header(h, 'lgsp.source') ?? '', header(h, 'lgsp.stream') ?? '');
    let problems: string[];
    let value: unknown = null;
    try {
      value = reviveJson(runtime.catalogue.latest(schema).type, JSON.parse(message.value?.toString('utf8') ?? 'null'));
      problems = [...runtime.codec.validate(schema, value)];
      if (stream !== undefined && problems.length === 0) problems.push(...stream.check(value as Record<string, unknown>));
      if (stream === undefined) problems.push(`no connector stream ${header(h, 'lgsp.source') ?? '?'}/${header(h, 'lgsp.stream') ?? '?'} to check it with`);
    } catch (err) {
      problems = [`cannot read the dead letter: ${err instanceof Error ? err.message : String(err)}`];
    }
    if (problems.length === 0) {
      figures.produced += 1;
      return { topic: raw, message: { key: message.key, value: runtime.codec.encode(schema, value) } };
    }
    figures.deadAgain += 1;
    const headers: IHeaders = { ...h, 'lgsp.error.reason': problems.join('; ').slice(0, 2000), 'lgsp.replayed-from': `${dlq}/${origin}` };
    return { topic: dlq, message: { key: message.key, value: message.value, headers } };
  }

  const producer = runtime.kafka.producer({ transactionalId: `${groupId}-tx`, idempotent: true, maxInFlightRequests: 1, createPartitioner: javaCompatiblePartitioner });
  const consumer = runtime.kafka.consumer({ groupId, readUncommitted: false });
  // What the replay wrote, to wait for: a load or a `dlq list` right after it must see all of it.
  const written = new CommittedWrites();
  await producer.connect();
  await consumer.connect();
  try {
    const finished = new Promise<void>((resolve, reject) => {
      const advance = (partition: number, lastOffset: string): void => {
        const end = ends.get(partition);
        if (end !== undefined && BigInt(lastOffset) + 1n >= end) ends.delete(partition);
        if (ends.size === 0) resolve();
      };
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => advance(e.payload.partition, e.payload.lastOffset));
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
    });
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const end = ends.get(batch.partition);
        // Letters written back during this replay lie past the end taken at the start: left for the next replay.
        const todo = batch.messages.filter((m) => end !== undefined && BigInt(m.offset) < end);
        if (todo.length === 0) return;
        const outputs: { topic: string; message: Message }[] = [];
        for (const message of todo) {
          figures.read += 1;
          outputs.push(replayOne(message, batch.partition));
        }
        const last = todo[todo.length - 1];
        const transaction = await producer.transaction();
        try {
          for (const topic of new Set(outputs.map((o) => o.topic))) {
            written.note(await transaction.send({ topic, messages: outputs.filter((o) => o.topic === topic).map((o) => o.message) }));
          }
          await transaction.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic: dlq, partitions: [{ partition: batch.partition, offset: (BigInt(last?.offset ?? '0') + 1n).toString() }] }],
          });
          await transaction.commit();
        } catch (err) {
          await transaction.abort().catch(() => undefined);
          throw err;
        }
        if (last !== undefined) payload.resolveOffset(last.offset);
      },
    });
    await finished;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    for (const close of closers) await close();
  }
  await readable(runtime, written);
  return figures;
}

async function readable(runtime: Runtime, written: CommittedWrites): Promise<void> {
  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    await written.readable(admin);
  } finally {
    await admin.disconnect();
  }
}
