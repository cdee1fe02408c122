import type { Message, Producer } from 'kafkajs';
import type pg from 'pg';
import { storableText } from '../db/storable-text.js';
import { dlqTopic } from '../kafka/topics.js';

/**
 * Dead letters of a pipeline go through a transactional outbox: `meta.dlq_outbox` is written in
 * the batch's PostgreSQL transaction (with the reject and the offset), and flushed to
 * `<topic>.dlq` after the commit. A crash between the commit and the flush loses nothing — the
 * next flush (every run starts with one) sends what is left. A crash between the send and the
 * delete sends a dead letter twice: the DLQ is at-least-once, and its consumers dedupe on the
 * `lgsp.source.*` headers (topic, partition, offset identify the record).
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

/** Writes dead letters to the outbox inside the caller's transaction. */
export async function enqueueDeadLetters(client: pg.ClientBase, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await client.query(
    `INSERT INTO meta.dlq_outbox (topic, message_key, message_value, headers)
     SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::jsonb[])`,
    [
      letters.map((l) => dlqTopic(l.topic)),
      letters.map((l) => l.key),
      letters.map((l) => l.value),
      letters.map((l) => JSON.stringify(deadLetterHeaders(l))),
    ],
  );
}

/**
 * Sends what the outbox holds to Kafka, oldest first, and deletes what was sent. Rows are locked
 * with SKIP LOCKED, so processes of one consumer group can flush at the same time. Returns the
 * number of dead letters sent.
 */
export async function flushDeadLetters(pool: pg.Pool, producer: Producer, batchSize = 500): Promise<number> {
  let sent = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const rows = await client.query<{ outbox_id: string; topic: string; message_key: Buffer | null; message_value: Buffer | null; headers: Record<string, string> }>(
        `SELECT outbox_id, topic, message_key, message_value, headers FROM meta.dlq_outbox ORDER BY outbox_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.rows.length === 0) {
        await client.query('COMMIT');
        return sent;
      }
      const byTopic = new Map<string, Message[]>();
      for (const row of rows.rows) {
        const messages = byTopic.get(row.topic) ?? [];
        messages.push({ key: row.message_key, value: row.message_value, headers: row.headers });
        byTopic.set(row.topic, messages);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      await client.query(`DELETE FROM meta.dlq_outbox WHERE outbox_id = ANY($1::bigint[])`, [rows.rows.map((r) => r.outbox_id)]);
      await client.query('COMMIT');
      sent += rows.rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
