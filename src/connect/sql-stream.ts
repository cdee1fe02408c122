import { LgspError } from '../errors.js';
import type { SourceOffset, SourceRecord, Stream } from './types.js';

/**
 * Where a SQL stream runs its queries: a `pg.Pool`, or one wrapped by its connector (which turns
 * "cannot connect" into an error naming the connector's setting).
 */
export interface SqlQueryable {
  query<R>(text: string, values: unknown[]): Promise<{ readonly rows: R[] }>;
}

/** A table read incrementally, as Kafka Connect's JDBC source connector does in `timestamp+incrementing` mode. */
export interface SqlStreamDefinition {
  readonly name: string;
  readonly entity: string;
  readonly valueSchema: string;
  /** Schema-qualified table, e.g. `onestop.dossier` (configuration, never user input). */
  readonly table: string;
  /** The primary-key columns, in key order: the cursor's tie-breaker and the Kafka message key. */
  readonly keyColumns: readonly string[];
  /** The value's fields that hold those columns, in the same order. */
  readonly keyFields: readonly string[];
  /** The update-time column (timestamptz): the cursor. */
  readonly cursorColumn: string;
  /** A soft-delete column (timestamptz): a row with it set becomes a tombstone. */
  readonly deletedColumn?: string;
  readonly pageSize: number;
  /** Turns a row (snake_case columns) into the raw schema's JS shape. */
  readonly toValue: (row: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  readonly check: (value: Record<string, unknown>) => readonly string[];
}

type KeyValue = string | number;

/**
 * A key as one string, for the message key and the source offset's id: a one-column key is its
 * value; a composite key is the JSON array of its values, so it decodes back with its types.
 */
export function encodeKey(values: readonly KeyValue[]): string {
  const [only] = values;
  if (values.length === 1 && typeof only === 'string' && !only.startsWith('[')) return only;
  return JSON.stringify(values);
}

/** The key values an offset id stands for; throws SOURCE_OFFSET_INVALID when the id does not fit the key's arity. */
export function decodeKey(id: string, arity: number): KeyValue[] {
  if (arity === 1 && !id.startsWith('[')) return [id];
  let values: unknown;
  try {
    values = JSON.parse(id);
  } catch {
    throw invalidOffset(id, 'is not JSON');
  }
  if (!Array.isArray(values) || values.length !== arity) throw invalidOffset(id, `is not a key of ${arity} column(s)`);
  return values.map((v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') return v;
    throw invalidOffset(id, 'holds a key value that is not a string or number');
  });
}

/** A committed source offset the stream cannot resume from: its offsets topic holds something it did not write. */
function invalidOffset(id: string, problem: string): LgspError {
  return new LgspError('SOURCE_OFFSET_INVALID', `source offset id ${id.slice(0, 200)} ${problem}`, {
    hint: 'the connector offsets topic (lgsp.connect.offsets.<connector>) holds a record this connector did not write',
  });
}

/**
 * The keyset query for the page after `from`: `(cursor, key…) > (…)` in (cursor, key…) order.
 * The cursor is compared at full (microsecond) precision: the offset keeps it as text.
 */
export function keysetQuery(definition: Pick<SqlStreamDefinition, 'table' | 'keyColumns' | 'cursorColumn' | 'pageSize'>, from: SourceOffset | null): { text: string; values: unknown[] } {
  const order = [definition.cursorColumn, ...definition.keyColumns].join(', ');
  const cursorText = `to_char(${definition.cursorColumn} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS lgsp_cursor`;
  const select = `SELECT *, ${cursorText} FROM ${definition.table}`;
  if (from === null) return { text: `${select} ORDER BY ${order} LIMIT $1`, values: [definition.pageSize] };
  const key = decodeKey(from.id, definition.keyColumns.length);
  const params = key.map((_, i) => `$${i + 2}`).join(', ');
  return {
    text: `${select} WHERE (${order}) > ($1::timestamptz, ${params}) ORDER BY ${order} LIMIT $${key.length + 2}`,
    values: [from.updatedAt, ...key, definition.pageSize],
  };
}

/**
 * A stream over a relational table: keyset pagination by (update time, key), each page starting
 * after the last row of the one before, so rows changing mid-read are neither skipped nor repeated
 * within a run (a changed row moves past the cursor and is read again, as its new version).
 * Rows committed late with an update time behind the cursor are missed, as with any
 * timestamp-based JDBC source; the one-stop system stamps rows in the writing transaction.
 */
export function createSqlStream(definition: SqlStreamDefinition, pool: SqlQueryable): Stream {
  return {
    name: definition.name,
    entity: definition.entity,
    valueSchema: definition.valueSchema,
    primaryKey: definition.keyColumns.join(','),
    cursorField: definition.cursorColumn,
    check: definition.check,
    keyOf: (value) => encodeKey(definition.keyFields.map((f) => keyValue(value[f], f))),
    async *read(from: SourceOffset | null, signal: AbortSignal): AsyncIterable<readonly SourceRecord[]> {
      let after = from;
      for (;;) {
        signal.throwIfAborted();
        const query = keysetQuery(definition, after);
        const result = await pool.query<Record<string, unknown>>(query.text, query.values);
        const records = result.rows.map((row) => toRecord(definition, row));
        yield records;
        const last = records[records.length - 1];
        if (last === undefined || result.rows.length < definition.pageSize) return;
        after = last.sourceOffset;
      }
    },
  };
}

function toRecord(definition: SqlStreamDefinition, row: Readonly<Record<string, unknown>>): SourceRecord {
  const key = encodeKey(definition.keyColumns.map((c) => keyValue(row[c], c)));
  const sourceOffset: SourceOffset = { updatedAt: String(row['lgsp_cursor']), id: key };
  const deleted = definition.deletedColumn === undefined ? null : row[definition.deletedColumn];
  if (deleted !== null && deleted !== undefined) return { key, value: null, sourceOffset };
  return { key, value: definition.toValue(row), sourceOffset };
}

function keyValue(value: unknown, column: string): KeyValue {
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`key column ${column} holds ${value === null ? 'null' : typeof value}, not a string or number`);
}
