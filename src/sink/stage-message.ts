import type { KafkaMessage } from 'kafkajs';
import { copyText } from '../db/copy-text.js';
import { LgspError, describeError } from '../errors.js';
import { partitionOfKey } from '../kafka/partitioner.js';
import { TransformError } from './errors.js';
import { rowProblem } from './row-bounds.js';
import type { Column, PipelineInput, Row, TableTarget } from './types.js';

/** Decodes a message value with the reader schema; throws an LgspError (with a code) for bad bytes. */
export type MessageDecoder = (value: Buffer, readerSchema: string) => { value: Record<string, unknown>; schema: string; version: number; fingerprint: string };

/** One message turned into COPY lines: the target's, and each child table's. */
export interface StagedRecord {
  readonly message: KafkaMessage;
  readonly line: string;
  readonly childLines: ReadonlyMap<string, readonly string[]>;
}

/** Shared by every record without child rows (most of them): nothing is ever added to it. */
const NO_CHILD_LINES: ReadonlyMap<string, readonly string[]> = new Map();

/** Where a batch's messages come from, and how to read them. */
export interface StagingContext {
  readonly input: PipelineInput;
  readonly topic: string;
  readonly partition: number;
  /** Partitions of the topic: a key lives in the one its hash names. */
  readonly partitions: number;
  readonly decode: MessageDecoder;
}

/** A message staged, with the writer schema it was decoded with (null for a tombstone). */
export interface Staged {
  readonly staged: StagedRecord;
  readonly seen: { readonly fingerprint: string; readonly schema: string; readonly version: number } | null;
}

/**
 * Decode → transform → check, for one message; throws an {@link LgspError} (a TransformError
 * naming the field, an Avro error naming the decode problem) when the record cannot be loaded.
 * Nothing on a topic is trusted — any producer can write to it:
 *  - the message must be keyed by its entity's id, in the partition that key hashes to (every
 *    change of a key in one partition is what orders them), and a tombstone's key must be a valid id;
 *  - the row must be within its columns' bounds (src/sink/row-bounds.ts);
 *  - the key must name the entity the value describes (a message keyed A holding B would
 *    overwrite B from A's partition, where no offset order protects it).
 * Anything else a transform throws on one record (a RangeError, a TypeError) is that record's
 * failure too, never the batch's; the reject budget (reject-budget.ts) stops a pipeline whose
 * transform fails on every record.
 */
export function stageMessage(message: KafkaMessage, ctx: StagingContext): Staged {
  try {
    return stageChecked(message, ctx);
  } catch (err) {
    if (err instanceof LgspError) throw err;
    throw new TransformError('record', `the transform to ${ctx.input.target.table} failed: ${describeError(err).slice(0, 500)}`, { cause: err });
  }
}

function stageChecked(message: KafkaMessage, ctx: StagingContext): Staged {
  const { input, topic, partition } = ctx;
  const target = input.target;
  const key = keyOfMessage(message, ctx);
  if (message.value === null) {
    const keyRow = keyRowOf(input, key);
    const deletedAt = message.headers?.['lgsp.deleted-at']?.toString() ?? new Date(Number(message.timestamp)).toISOString();
    const row = target.columns.map((c) => {
      const i = target.key.indexOf(c.name);
      return i >= 0 ? (keyRow[i] ?? null) : null;
    });
    return { staged: { message, line: copyText(row, ['D', deletedAt, topic, partition, message.offset]), childLines: NO_CHILD_LINES }, seen: null };
  }
  const decoded = ctx.decode(message.value, input.readerSchema);
  const output = input.transform(decoded.value);
  const row: Row = 'row' in output ? output.row : output;
  const problem = rowProblem(target.columns, row);
  if (problem !== null) throw new TransformError(problem.column, problem.problem);
  // The value first, so that a record wrong in its value and its key is named by its value's field.
  requireKeyAgreement(target, key, keyRowOf(input, key), row);
  const children = 'row' in output ? (target.children ?? []) : [];
  let childLines = NO_CHILD_LINES;
  if (children.length > 0 && 'row' in output) {
    const lines = new Map<string, readonly string[]>();
    for (const child of children) {
      const rows = output.children[child.name] ?? [];
      const childLinesOf: string[] = [];
      for (let i = 0; i < rows.length; i += 1) {
        const r = rows[i] ?? [];
        const childProblem = rowProblem(child.columns, r);
        if (childProblem !== null) throw new TransformError(`${child.name}[${i}].${childProblem.column}`, childProblem.problem);
        childLinesOf.push(copyText(r, [topic, partition, message.offset]));
      }
      lines.set(child.name, childLinesOf);
    }
    childLines = lines;
  }
  return {
    staged: { message, line: copyText(row, ['U', null, topic, partition, message.offset]), childLines },
    seen: { fingerprint: decoded.fingerprint, schema: decoded.schema, version: decoded.version },
  };
}

/** The message's key as text, checked to be there and in the partition it hashes to. */
function keyOfMessage(message: KafkaMessage, ctx: StagingContext): string {
  if (message.key === null || message.key === undefined) {
    throw new TransformError('key', message.value === null ? 'a tombstone without a key names nothing to delete' : 'is missing: a record is keyed by the id of its entity');
  }
  const expected = partitionOfKey(message.key, ctx.partitions);
  if (expected !== ctx.partition) {
    throw new TransformError('key', `belongs in partition ${expected} of ${ctx.partitions}, not ${ctx.partition}: every change of an entity must be in one partition, which orders them`);
  }
  return message.key.toString('utf8');
}

/** The key columns a message's key names: a valid id of the entity, within the key columns' bounds. */
function keyRowOf(input: PipelineInput, key: string): Row {
  const keyRow = input.keyOf(key);
  const problem = rowProblem(keyLayout(input.target).columns, keyRow);
  if (problem !== null) throw new TransformError('key', `${problem.column} ${problem.problem}`);
  return keyRow;
}

/** A target's key columns and where each stands in its row: found once per target, used per record. */
interface KeyLayout {
  readonly columns: Column[];
  readonly indexes: number[];
}

const keyLayouts = new WeakMap<TableTarget, KeyLayout>();

function keyLayout(target: TableTarget): KeyLayout {
  let layout = keyLayouts.get(target);
  if (layout === undefined) {
    layout = {
      columns: target.key.map((k) => target.columns.find((c) => c.name === k) ?? { name: k, type: 'text' }),
      indexes: target.key.map((k) => target.columns.findIndex((c) => c.name === k)),
    };
    keyLayouts.set(target, layout);
  }
  return layout;
}

/** The key columns of the row must be the entity the message's key names. */
function requireKeyAgreement(target: TableTarget, key: string, keyRow: Row, row: Row): void {
  const at = keyLayout(target).indexes;
  for (let i = 0; i < at.length; i += 1) {
    const fromValue = row[at[i] ?? -1];
    if (String(fromValue) !== String(keyRow[i])) {
      const name = target.key[i] ?? '?';
      throw new TransformError('key', `${JSON.stringify(key.slice(0, 100))} does not name the entity of the value (${name} ${JSON.stringify(String(fromValue).slice(0, 100))})`);
    }
  }
}
