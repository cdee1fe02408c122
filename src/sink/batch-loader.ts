import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import type { KafkaMessage } from 'kafkajs';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../db/copy-text.js';
import { storableText } from '../db/storable-text.js';
import { LgspError } from '../errors.js';
import { enqueueDeadLetters, type DeadLetter } from './dlq-outbox.js';
import { historySql } from './history.js';
import { lockOffset, storeOffset } from './offsets.js';
import { recordProblem } from './record-errors.js';
import {
  changedTableName,
  childMergeSql,
  copyChildStagingSql,
  copyStagingSql,
  createChangedSql,
  createChildStagingSql,
  createStagingSql,
  mergeSql,
  stagingTableName,
} from './table-target.js';
import { type LoadCounts, type PipelineInput, type Row } from './types.js';
import { TransformError } from './errors.js';

/** Decodes a message value with the reader schema; throws an LgspError (with a code) for bad bytes. */
export type MessageDecoder = (value: Buffer, readerSchema: string) => { value: Record<string, unknown>; schema: string; version: number; fingerprint: string };

/** What one batch did to its messages. */
export type BatchResult = LoadCounts;

/** One message turned into COPY lines: the target's, and each child table's. */
interface StagedRecord {
  readonly message: KafkaMessage;
  readonly line: string;
  readonly childLines: ReadonlyMap<string, readonly string[]>;
}

interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface BatchArgs {
  readonly pipeline: string;
  readonly input: PipelineInput;
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /** Offset after the last record of the fetched batch, transaction markers included. */
  readonly nextOffset: bigint;
  readonly runId: number | null;
  readonly decode: MessageDecoder;
}

/**
 * Loads one fetched batch (one partition) in one transaction:
 *  1. lock the stored offset, and skip what is below it (loaded by an earlier run);
 *  2. decode + transform the rest into COPY lines ({@link stageMessages}); a record that fails is rejected;
 *  3. COPY into staging and merge (plus history and child tables); a record the database refuses
 *     is rejected ({@link mergeOrIsolate});
 *  4. record the rejects and their dead letters (outbox), and the schema versions seen;
 *  5. store the new offset and commit.
 * A database error that is not about one record rolls everything back and is rethrown, so the
 * offset never moves past rows that were not written and the pipeline stops.
 */
export async function loadBatch(client: pg.ClientBase, args: BatchArgs): Promise<BatchResult> {
  const { pipeline, input, topic, partition } = args;
  await client.query('BEGIN');
  try {
    const stored = await lockOffset(client, pipeline, topic, partition);
    const batch = stageMessages(args, stored);
    const merged = batch.staged.length === 0 ? NOTHING_MERGED : await mergeOrIsolate(client, input, batch.staged, args.runId, batch.reject);
    await recordRejections(client, batch.rejections, args.runId);
    await enqueueDeadLetters(client, batch.rejections);
    await recordSchemasSeen(client, pipeline, batch.schemasSeen);
    await storeOffset(client, pipeline, topic, partition, args.nextOffset, args.runId);
    await client.query('COMMIT');
    return {
      consumed: args.messages.length,
      loaded: merged.inserted,
      updated: merged.updated,
      deleted: merged.deleted,
      rejected: batch.rejections.length,
      skipped: batch.skipped,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

const NOTHING_MERGED: MergeCounts = { inserted: 0, updated: 0, deleted: 0 };

/** A batch's messages after step 2: staged lines, rejects, and the writer schemas seen. */
interface StagedBatch {
  readonly staged: StagedRecord[];
  readonly rejections: DeadLetter[];
  readonly schemasSeen: Map<string, { schema: string; version: number }>;
  readonly skipped: number;
  /** Rejects a staged record later (the database refused it). */
  readonly reject: (record: StagedRecord, problem: { code: string; reason: string }) => void;
}

/** Step 2: decode and transform every message at or above the stored offset; a record that fails is rejected. */
function stageMessages(args: BatchArgs, stored: bigint): StagedBatch {
  const { pipeline, input, topic, partition } = args;
  const staged: StagedRecord[] = [];
  const rejections: DeadLetter[] = [];
  const schemasSeen = new Map<string, { schema: string; version: number }>();
  const reject = (message: KafkaMessage, code: string, reason: string): void => {
    rejections.push({ topic, partition, offset: message.offset, key: message.key, value: message.value, code, reason, pipeline });
  };
  let skipped = 0;
  for (const message of args.messages) {
    if (BigInt(message.offset) < stored) {
      skipped += 1;
      continue;
    }
    try {
      const record = stageMessage(message, input, topic, partition, args.decode);
      if (record.seen !== null) schemasSeen.set(record.seen.fingerprint, record.seen);
      staged.push(record.staged);
    } catch (err) {
      if (!(err instanceof LgspError)) throw err;
      reject(message, err.code, err.message);
    }
  }
  return { staged, rejections, schemasSeen, skipped, reject: (record, problem) => reject(record.message, problem.code, problem.reason) };
}

async function recordSchemasSeen(client: pg.ClientBase, pipeline: string, seen: ReadonlyMap<string, { schema: string; version: number }>): Promise<void> {
  for (const [fingerprint, { schema, version }] of seen) {
    await client.query(
      `INSERT INTO meta.schema_versions_seen (pipeline, schema_name, version, fingerprint) VALUES ($1, $2, $3, $4)
       ON CONFLICT (pipeline, fingerprint) DO UPDATE SET last_seen = now()`,
      [pipeline, schema, version, fingerprint],
    );
  }
}

function stageMessage(
  message: KafkaMessage,
  input: PipelineInput,
  topic: string,
  partition: number,
  decode: MessageDecoder,
): { staged: StagedRecord; seen: { fingerprint: string; schema: string; version: number } | null } {
  const tail = (op: 'U' | 'D', deletedAt: string | null): (string | number | null)[] => [op, deletedAt, topic, partition, message.offset];
  const key = message.key?.toString('utf8') ?? null;
  if (message.value === null) {
    if (key === null) throw new TransformError('key', 'a tombstone without a key names nothing to delete');
    const deletedAt = message.headers?.['lgsp.deleted-at']?.toString() ?? new Date(Number(message.timestamp)).toISOString();
    const keyRow = input.keyOf(key);
    const row = input.target.columns.map((c) => {
      const i = input.target.key.indexOf(c.name);
      return i >= 0 ? (keyRow[i] ?? null) : null;
    });
    return { staged: { message, line: copyText([...row, ...tail('D', deletedAt)]), childLines: new Map() }, seen: null };
  }
  const decoded = decode(message.value, input.readerSchema);
  const output = input.transform(decoded.value);
  const row: Row = 'row' in output ? output.row : output;
  const childLines = new Map<string, string[]>();
  if ('row' in output) {
    for (const child of input.target.children ?? []) {
      const rows = output.children[child.name] ?? [];
      childLines.set(child.name, rows.map((r) => copyText([...r, topic, partition, message.offset])));
    }
  }
  return {
    staged: { message, line: copyText([...row, ...tail('U', null)]), childLines },
    seen: { fingerprint: decoded.fingerprint, schema: decoded.schema, version: decoded.version },
  };
}

/**
 * The bulk merge under a savepoint; when the database refuses a record, the same records one by
 * one, each under its own savepoint, rejecting the ones it refuses.
 */
async function mergeOrIsolate(
  client: pg.ClientBase,
  input: PipelineInput,
  staged: readonly StagedRecord[],
  runId: number | null,
  onRefused: (record: StagedRecord, problem: { code: string; reason: string }) => void,
): Promise<MergeCounts> {
  await client.query('SAVEPOINT bulk_merge');
  try {
    const counts = await mergeStaged(client, input, staged, runId, false);
    await client.query('RELEASE SAVEPOINT bulk_merge');
    return counts;
  } catch (err) {
    if (recordProblem(err) === null) throw err;
    await client.query('ROLLBACK TO SAVEPOINT bulk_merge');
  }
  const total: MergeCounts = { inserted: 0, updated: 0, deleted: 0 };
  for (const record of staged) {
    await client.query('SAVEPOINT one_record');
    try {
      const counts = await mergeStaged(client, input, [record], runId, true);
      await client.query('RELEASE SAVEPOINT one_record');
      total.inserted += counts.inserted;
      total.updated += counts.updated;
      total.deleted += counts.deleted;
    } catch (err) {
      const problem = recordProblem(err);
      if (problem === null) throw err;
      await client.query('ROLLBACK TO SAVEPOINT one_record');
      onRefused(record, problem);
    }
  }
  return total;
}

/** COPY staged records into staging, merge into the target, then its history and child tables. */
async function mergeStaged(client: pg.ClientBase, input: PipelineInput, staged: readonly StagedRecord[], runId: number | null, clear: boolean): Promise<MergeCounts> {
  const target = input.target;
  const children = target.children ?? [];
  await client.query(createStagingSql(target));
  await client.query(createChangedSql(target));
  for (const child of children) await client.query(createChildStagingSql(child));
  if (clear) await client.query(`TRUNCATE ${[...[target, ...children].map((t) => stagingTableName(t)), changedTableName(target)].join(', ')}`);
  await copyLines(client, copyStagingSql(target), staged.map((s) => s.line));
  for (const child of children) await copyLines(client, copyChildStagingSql(child), staged.flatMap((s) => s.childLines.get(child.name) ?? []));

  const merged = await client.query<MergeCounts>(mergeSql(target), [runId]);
  if (target.history !== undefined) await client.query(historySql(target, target.history), [runId]);
  for (const child of children) {
    const [remove, insert] = childMergeSql(target, child);
    await client.query(remove);
    await client.query(insert, [runId]);
  }
  return merged.rows[0] ?? { inserted: 0, updated: 0, deleted: 0 };
}

/** Lines per chunk written to COPY: the whole batch is never one string (nor one buffer) in memory. */
const COPY_CHUNK_LINES = 1000;

async function copyLines(client: pg.ClientBase, sql: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  function* chunks(): Generator<string> {
    for (let i = 0; i < lines.length; i += COPY_CHUNK_LINES) yield lines.slice(i, i + COPY_CHUNK_LINES).join('');
  }
  await streamPipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
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
