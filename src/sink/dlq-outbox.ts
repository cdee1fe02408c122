import type { Message, Producer } from 'kafkajs';
import type pg from 'pg';
import { storableText } from '../db/storable-text.js';
import { describeError } from '../errors.js';
import { fitDeadLetter, messageBytes } from '../kafka/dead-letter-size.js';
import { dlqTopic } from '../kafka/topics.js';
import type { Logger } from '../logger.js';

/**
 * Dead letters of a pipeline go through a transactional outbox: `meta.dlq_outbox` is written in
 * the batch's PostgreSQL transaction (with the reject and the offset), and flushed to
 * `<topic>.dlq` after the commit. A crash between the commit and the flush loses nothing — the
 * next flush (every load starts with one) sends what is left. A crash between the send and the
 * delete sends a dead letter twice: the DLQ is at-least-once, and its consumers dedupe on the
 * `lgsp.source.*` headers (topic, partition, offset identify the record).
 *
 * The dead-letter path never blocks a load: a dead letter always fits in a Kafka record (its key
 * and value are cut, with a header saying so; the whole record is in meta.rejected_records), each
 * pipeline flushes only its own letters, and a flush that fails leaves them for the next one —
 * counted in the load's figures (`deadLettersPending`) and `lgsp status` — instead of failing.
 */
export interface DeadLetter {
  readonly pipeline: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly code: string;
  readonly reason: string;
}

/** Headers of a dead letter; the `lgsp.error.*` names are the ones connectors use. */
export function deadLetterHeaders(letter: DeadLetter): Record<string, string> {
  return {
    'lgsp.error.code': letter.code,
    'lgsp.error.reason': storableText(letter.reason.slice(0, 2000)),
    'lgsp.pipeline': letter.pipeline,
    'lgsp.source.topic': letter.topic,
    'lgsp.source.partition': String(letter.partition),
    'lgsp.source.offset': letter.offset,
  };
}

/** Writes dead letters to the outbox inside the caller's transaction, each cut to fit a Kafka record. */
export async function enqueueDeadLetters(client: pg.ClientBase, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const fitted = letters.map((l) => ({ letter: l, fit: fitDeadLetter(l.key, l.value, `meta.rejected_records (${l.pipeline}, ${l.topic}, ${l.partition}, ${l.offset})`) }));
  await client.query(
    `INSERT INTO meta.dlq_outbox (pipeline, topic, message_key, message_value, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bytea[], $5::jsonb[])`,
    [
      fitted.map((f) => f.letter.pipeline),
      fitted.map((f) => dlqTopic(f.letter.topic)),
      fitted.map((f) => f.fit.key),
      fitted.map((f) => f.fit.value),
      fitted.map((f) => JSON.stringify({ ...deadLetterHeaders(f.letter), ...f.fit.headers })),
    ],
  );
}

/** Most bytes one produce request of dead letters carries: under the broker's 1 MiB per partition batch. */
const MAX_SEND_BYTES = 768 * 1024;

export interface FlushResult {
  readonly sent: number;
  /** Dead letters of the pipeline still in the outbox (the DLQ could not be written; they wait for the next flush). */
  readonly pending: number;
}

/**
 * Sends what the outbox holds for `pipeline` to Kafka, oldest first, and deletes what was sent.
 * Rows are locked with SKIP LOCKED, so processes of one consumer group can flush at the same time.
 * A send that fails is logged and left for the next flush; a database error is thrown.
 */
export async function flushDeadLetters(pool: pg.Pool, producer: Producer, options: { readonly pipeline: string; readonly logger: Logger; readonly batchSize?: number }): Promise<FlushResult> {
  let sent = 0;
  for (;;) {
    const outcome = await flushSome(pool, producer, options.pipeline, options.batchSize ?? 500);
    sent += outcome.sent;
    if (outcome.error !== undefined) {
      options.logger.warn({ pipeline: options.pipeline, err: describeError(outcome.error) }, 'could not write dead letters to the DLQ; they stay in the outbox for the next load');
      break;
    }
    if (outcome.sent === 0) break;
  }
  const left = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM meta.dlq_outbox WHERE pipeline = $1', [options.pipeline]);
  return { sent, pending: left.rows[0]?.n ?? 0 };
}

/** Sends up to `limit` of the pipeline's oldest dead letters in requests of at most MAX_SEND_BYTES. */
async function flushSome(pool: pg.Pool, producer: Producer, pipeline: string, limit: number): Promise<{ sent: number; error?: unknown }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const rows = await client.query<{ outbox_id: string; topic: string; message_key: Buffer | null; message_value: Buffer | null; headers: Record<string, string> }>(
      `SELECT outbox_id, topic, message_key, message_value, headers FROM meta.dlq_outbox WHERE pipeline = $1 ORDER BY outbox_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [pipeline, limit],
    );
    let sent: string[] = [];
    let error: unknown;
    try {
      for (const chunk of bySize(rows.rows)) {
        const byTopic = new Map<string, Message[]>();
        for (const row of chunk) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), { key: row.message_key, value: row.message_value, headers: row.headers }]);
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        sent = [...sent, ...chunk.map((r) => r.outbox_id)];
      }
    } catch (err) {
      error = err;
    }
    if (sent.length > 0) await client.query(`DELETE FROM meta.dlq_outbox WHERE outbox_id = ANY($1::bigint[])`, [sent]);
    await client.query('COMMIT');
    return error === undefined ? { sent: sent.length } : { sent: sent.length, error };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Rows in consecutive chunks of at most MAX_SEND_BYTES (a row alone always fits: dead letters are cut to fit). */
function* bySize<T extends { message_key: Buffer | null; message_value: Buffer | null; headers: Record<string, string> }>(rows: readonly T[]): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = messageBytes({ key: row.message_key, value: row.message_value, headers: row.headers });
    if (chunk.length > 0 && bytes + size > MAX_SEND_BYTES) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
