import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import { storableText } from '../db/storable-text.js';
import { LgspError } from '../errors.js';
import { enqueueDeadLetters, type DeadLetter } from './dlq-outbox.js';
import { NOTHING_MERGED, mergeOrIsolate } from './merge-staged.js';
import { lockOffset, storeOffset, type Witness } from './offsets.js';
import type { RejectBudget } from './reject-budget.js';
import { stageMessage, type MessageDecoder, type StagedRecord } from './stage-message.js';
import type { LoadCounts, PipelineInput } from './types.js';
import type { WriterSchemas } from './writer-schemas.js';

export type { MessageDecoder } from './stage-message.js';

/** What one batch did to its messages. */
export type BatchResult = LoadCounts;

export interface BatchArgs {
  readonly pipeline: string;
  readonly input: PipelineInput;
  readonly topic: string;
  readonly partition: number;
  /** Partitions of the topic (a key lives in the one its hash names). */
  readonly partitions: number;
  readonly messages: readonly KafkaMessage[];
  /** Offset after the last record of the fetched batch, transaction markers included. */
  readonly nextOffset: bigint;
  readonly runId: number | null;
  readonly decode: MessageDecoder;
  /** The load's reject budget: checked before the commit, counted after. */
  readonly budget?: RejectBudget;
  /** Learns the writers of the batch the pipeline was not deployed with, or stops it (./writer-schemas.ts). */
  readonly writers?: WriterSchemas;
}

/**
 * Loads one fetched batch (one partition) in one transaction:
 *  1. lock the stored offset, and skip what is below it (loaded by an earlier run);
 *  2. make sure every writer schema of the rest is known ({@link WriterSchemas}: a writer the reader
 *     cannot read stops the pipeline here, SCHEMA_UNREADABLE, nothing loaded nor rejected); decode +
 *     transform + check the rest into COPY lines ({@link stageMessage}); a record that fails is rejected;
 *  3. COPY into staging and merge (plus history and child tables); a record the database refuses
 *     is rejected ({@link mergeOrIsolate});
 *  4. check the run's reject budget; record the rejects and their dead letters (outbox), and the
 *     schema versions seen;
 *  5. store the new offset (with the last record as the partition's witness) and the batch's
 *     counts (meta.load_counts), and commit.
 * Whatever goes wrong for one record is that record's; a database error that is not about a
 * record rolls everything back and is rethrown, so the offset never moves past rows that were not
 * written.
 */
export async function loadBatch(client: pg.ClientBase, args: BatchArgs): Promise<BatchResult> {
  const { pipeline, input, topic, partition } = args;
  await client.query('BEGIN');
  try {
    const stored = await lockOffset(client, pipeline, topic, partition);
    await args.writers?.prepare({ pipeline, topic, partition, readerSchema: input.readerSchema, messages: args.messages.filter((m) => BigInt(m.offset) >= stored) });
    const batch = stageMessages(args, stored);
    const merged = batch.staged.length === 0 ? NOTHING_MERGED : await mergeOrIsolate(client, input, batch.staged, args.runId, batch.reject);
    const consumed = args.messages.length - batch.skipped;
    args.budget?.check({ consumed, rejections: batch.rejections });
    await recordRejections(client, batch.rejections, args.runId);
    await enqueueDeadLetters(client, batch.rejections);
    await recordSchemasSeen(client, pipeline, topic, batch.schemasSeen);
    await storeOffset(client, pipeline, topic, partition, args.nextOffset, args.runId, witnessOf(args.messages));
    const changed = merged.inserted + merged.updated + merged.deleted;
    const counts: BatchResult = {
      consumed: args.messages.length,
      loaded: merged.inserted,
      updated: merged.updated,
      deleted: merged.deleted,
      unchanged: batch.staged.length - batch.rejectedAtMerge() - changed,
      rejected: batch.rejections.length,
      skipped: batch.skipped,
    };
    await recordCounts(client, args, counts);
    await client.query('COMMIT');
    args.budget?.add({ consumed, rejections: batch.rejections });
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A batch's messages after step 2: staged lines, rejects, and the writer schemas seen. */
interface StagedBatch {
  readonly staged: StagedRecord[];
  readonly rejections: DeadLetter[];
  readonly schemasSeen: Map<string, { schema: string; version: number }>;
  readonly skipped: number;
  /** Rejects a staged record later (the database refused it). */
  readonly reject: (record: StagedRecord, problem: { code: string; reason: string }) => void;
  /** Staged records the database refused. */
  readonly rejectedAtMerge: () => number;
}

/** Step 2: decode, transform and check every message at or above the stored offset; a record that fails is rejected. */
function stageMessages(args: BatchArgs, stored: bigint): StagedBatch {
  const { pipeline, topic, partition } = args;
  const staged: StagedRecord[] = [];
  const rejections: DeadLetter[] = [];
  const schemasSeen = new Map<string, { schema: string; version: number }>();
  const reject = (message: KafkaMessage, code: string, reason: string): void => {
    rejections.push({ topic, partition, offset: message.offset, key: message.key, value: message.value, code, reason, pipeline });
  };
  const context = { input: args.input, topic, partition, partitions: args.partitions, decode: args.decode };
  let skipped = 0;
  for (const message of args.messages) {
    if (BigInt(message.offset) < stored) {
      skipped += 1;
      continue;
    }
    try {
      const record = stageMessage(message, context);
      if (record.seen !== null) schemasSeen.set(record.seen.fingerprint, record.seen);
      staged.push(record.staged);
    } catch (err) {
      if (!(err instanceof LgspError)) throw err;
      reject(message, err.code, err.message);
    }
  }
  const atStaging = rejections.length;
  return {
    staged,
    rejections,
    schemasSeen,
    skipped,
    reject: (record, problem) => reject(record.message, problem.code, problem.reason),
    rejectedAtMerge: () => rejections.length - atStaging,
  };
}

/** The batch's last record, to know the partition again at the next load. */
export function witnessOf(messages: readonly KafkaMessage[]): Witness | undefined {
  const last = messages[messages.length - 1];
  if (last === undefined) return undefined;
  return { offset: last.offset, timestamp: last.timestamp, keyMd5: keyMd5(last.key) };
}

export function keyMd5(key: Buffer | null): string {
  return createHash('md5')
    .update(key ?? Buffer.alloc(0))
    .digest('hex');
}

async function recordSchemasSeen(client: pg.ClientBase, pipeline: string, topic: string, seen: ReadonlyMap<string, { schema: string; version: number }>): Promise<void> {
  for (const [fingerprint, { schema, version }] of seen) {
    await client.query(
      `INSERT INTO meta.schema_versions_seen (pipeline, topic, schema_name, version, fingerprint) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (pipeline, topic, fingerprint) DO UPDATE SET last_seen = now()`,
      [pipeline, topic, schema, version, fingerprint],
    );
  }
}

/** Step 5: the batch's counts, added to its run's in meta.load_counts — committed with the rows they count. */
async function recordCounts(client: pg.ClientBase, args: BatchArgs, c: BatchResult): Promise<void> {
  await client.query(
    `INSERT INTO meta.load_counts (run_id, pipeline, topic, partition, consumed, inserted, updated, deleted, unchanged, rejected, skipped)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (run_id, pipeline, topic, partition) DO UPDATE SET
       consumed = load_counts.consumed + EXCLUDED.consumed, inserted = load_counts.inserted + EXCLUDED.inserted,
       updated = load_counts.updated + EXCLUDED.updated, deleted = load_counts.deleted + EXCLUDED.deleted,
       unchanged = load_counts.unchanged + EXCLUDED.unchanged, rejected = load_counts.rejected + EXCLUDED.rejected,
       skipped = load_counts.skipped + EXCLUDED.skipped`,
    [args.runId ?? 0, args.pipeline, args.topic, args.partition, c.consumed, c.loaded, c.updated, c.deleted, c.unchanged, c.rejected, c.skipped],
  );
}

/** Step 4: the rejects, with their payload, into meta.rejected_records (once per record, however often replayed). */
async function recordRejections(client: pg.ClientBase, rejections: readonly DeadLetter[], runId: number | null): Promise<void> {
  const first = rejections[0];
  if (first === undefined) return;
  await client.query(
    `INSERT INTO meta.rejected_records (pipeline, topic, partition, "offset", record_key, error_code, reason, payload, run_id)
     SELECT $1, $2, $3, r.o, r.k, r.c, r.r, r.p, $9
     FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::bytea[]) AS r(o, k, c, r, p)
     ON CONFLICT (pipeline, topic, partition, "offset") DO NOTHING`,
    [
      first.pipeline,
      first.topic,
      first.partition,
      rejections.map((r) => r.offset),
      rejections.map((r) => (r.key === null ? null : storableText(r.key.toString('utf8')))),
      rejections.map((r) => r.code),
      rejections.map((r) => storableText(r.reason)),
      rejections.map((r) => r.value),
      runId,
    ],
  );
}
