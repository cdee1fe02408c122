import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import type { KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../db/copy-text.js';
import { LgspError } from '../errors.js';
import { lockOffset, storeOffset } from './offsets.js';
import { copyStagingSql, createStagingSql, mergeSql } from './table-target.js';
import { TransformError, type PipelineInput } from './types.js';

/** Decodes a message value with the reader schema; throws an LgspError (with a code) for bad bytes. */
export type MessageDecoder = (value: Buffer, readerSchema: string) => { value: Record<string, unknown>; schema: string; version: number; fingerprint: string };

export interface BatchResult {
  consumed: number;
  loaded: number;
  updated: number;
  deleted: number;
  rejected: number;
  /** Messages below the stored offset: already loaded by an earlier run (a replay). */
  skipped: number;
}

interface Rejection {
  readonly offset: string;
  readonly key: string | null;
  readonly code: string;
  readonly reason: string;
  readonly payload: Buffer | null;
}

/**
 * Loads one fetched batch (one partition) in one transaction: lock the stored offset, skip what
 * is below it, decode + transform the rest, COPY into staging, merge, record rejects and schema
 * versions, store the new offset. Any database error rolls everything back and is rethrown, so
 * the offset never moves past rows that were not written.
 */
export async function loadBatch(
  client: pg.Client,
  args: {
    readonly pipeline: string;
    readonly input: PipelineInput;
    readonly topic: string;
    readonly partition: number;
    readonly messages: readonly KafkaMessage[];
    /** Offset after the last record of the fetched batch, transaction markers included. */
    readonly nextOffset: bigint;
    readonly runId: number | null;
    readonly decode: MessageDecoder;
  },
): Promise<BatchResult> {
  const { pipeline, input, topic, partition } = args;
  const result: BatchResult = { consumed: args.messages.length, loaded: 0, updated: 0, deleted: 0, rejected: 0, skipped: 0 };
  await client.query('BEGIN');
  try {
    const stored = await lockOffset(client, pipeline, topic, partition);
    const lines: string[] = [];
    const rejections: Rejection[] = [];
    const schemasSeen = new Map<string, { schema: string; version: number }>();
    for (const message of args.messages) {
      if (BigInt(message.offset) < stored) {
        result.skipped += 1;
        continue;
      }
      const tail = (op: 'U' | 'D', deletedAt: string | null): (string | number | null)[] => [op, deletedAt, topic, partition, message.offset];
      const key = message.key?.toString('utf8') ?? null;
      try {
        if (message.value === null) {
          if (key === null) throw new TransformError('key', 'a tombstone without a key names nothing to delete');
          const deletedAt = message.headers?.['lgsp.deleted-at']?.toString() ?? new Date(Number(message.timestamp)).toISOString();
          const keyRow = input.keyOf(key);
          const row = input.target.columns.map((c) => {
            const i = input.target.key.indexOf(c.name);
            return i >= 0 ? (keyRow[i] ?? null) : null;
          });
          lines.push(copyText([...row, ...tail('D', deletedAt)]));
        } else {
          const decoded = args.decode(message.value, input.readerSchema);
          schemasSeen.set(decoded.fingerprint, { schema: decoded.schema, version: decoded.version });
          lines.push(copyText([...input.transform(decoded.value), ...tail('U', null)]));
        }
      } catch (err) {
        if (!(err instanceof TransformError) && !(err instanceof LgspError)) throw err;
        rejections.push({
          offset: message.offset,
          key,
          code: err instanceof LgspError ? err.code : 'TRANSFORM_FAILED',
          reason: err.message,
          payload: message.value,
        });
      }
    }

    if (lines.length > 0) {
      await client.query(createStagingSql(input.target));
      await streamPipeline(Readable.from([lines.join('')]), client.query(copyFrom(copyStagingSql(input.target))));
      const merged = await client.query<{ inserted: number; updated: number; deleted: number }>(mergeSql(input.target), [args.runId]);
      const counts = merged.rows[0];
      result.loaded = counts?.inserted ?? 0;
      result.updated = counts?.updated ?? 0;
      result.deleted = counts?.deleted ?? 0;
    }
    if (rejections.length > 0) {
      await client.query(
        `INSERT INTO meta.rejected_records (pipeline, topic, partition, "offset", record_key, error_code, reason, payload, run_id)
         SELECT $1, $2, $3, r.o, r.k, r.c, r.r, r.p, $9
         FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::bytea[]) AS r(o, k, c, r, p)
         ON CONFLICT (pipeline, topic, partition, "offset") DO NOTHING`,
        [
          pipeline,
          topic,
          partition,
          rejections.map((r) => r.offset),
          rejections.map((r) => r.key),
          rejections.map((r) => r.code),
          rejections.map((r) => r.reason),
          rejections.map((r) => r.payload),
          args.runId,
        ],
      );
      result.rejected = rejections.length;
    }
    for (const [fingerprint, seen] of schemasSeen) {
      await client.query(
        `INSERT INTO meta.schema_versions_seen (pipeline, schema_name, version, fingerprint) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pipeline, fingerprint) DO UPDATE SET last_seen = now()`,
        [pipeline, seen.schema, seen.version, fingerprint],
      );
    }
    await storeOffset(client, pipeline, topic, partition, args.nextOffset, args.runId);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return result;
}
