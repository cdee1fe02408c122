/**
 * The pipelines trust nothing on a topic: any producer can write to it. Every row a transform
 * returns is checked here against the bounds of its columns before it is staged — lengths short
 * enough for an index, numbers within their type and the domain, dates in a plausible window —
 * and a value out of bounds rejects the record, naming the column. A value is never cut to fit:
 * a cut value would change its meaning.
 */
import type { Column, ColumnBounds, Row } from './types.js';

/** Text columns hold codes, ids and names; 256 characters fit any B-tree index (at most 1 KiB in UTF-8). */
const DEFAULT_TEXT_LENGTH = 256;
/** JSON documents (jsonb columns): large enough for a procedure's document list, far below what a row should hold. */
const DEFAULT_JSON_LENGTH = 65_536;
const DEFAULT_WINDOW = { notBefore: '1900-01-01', notAfter: '2100-01-01' } as const;
/** A source's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 86_400_000;

const INT4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;
const SAFE = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

type Bounds = ColumnBounds & { readonly kind: 'text' | 'number' | 'time' | 'other' };

/** Bounds per column, worked out once: every value of every row is checked against them. */
const known = new WeakMap<Column, Bounds>();

/** The bounds a column's values must meet: its own, over its type's defaults. */
export function boundsOf(column: Column): Bounds {
  let bounds = known.get(column);
  if (bounds === undefined) {
    bounds = typeBounds(column);
    known.set(column, bounds);
  }
  return bounds;
}

function typeBounds(column: Column): Bounds {
  const type = column.type.toLowerCase();
  const own = column.bounds ?? {};
  const fixed = /^(?:char|character|varchar)\((\d+)\)$/.exec(type);
  if (fixed !== null) return { kind: 'text', maxLength: Number(fixed[1]), ...own };
  if (type === 'text') return { kind: 'text', maxLength: DEFAULT_TEXT_LENGTH, ...own };
  if (type === 'jsonb' || type === 'json') return { kind: 'text', maxLength: DEFAULT_JSON_LENGTH, ...own };
  if (type === 'integer' || type === 'int' || type === 'int4') return { kind: 'number', ...INT4, ...own };
  if (type === 'smallint') return { kind: 'number', min: -32_768, max: 32_767, ...own };
  if (type === 'bigint') return { kind: 'number', ...SAFE, ...own };
  const numeric = /^numeric\((\d+),\s*(\d+)\)$/.exec(type);
  if (numeric !== null) {
    const limit = 10 ** (Number(numeric[1]) - Number(numeric[2]));
    return { kind: 'number', min: -limit, max: limit, ...own };
  }
  if (type === 'date' || type === 'timestamptz' || type === 'timestamp') return { kind: 'time', ...DEFAULT_WINDOW, ...own };
  return { kind: 'other', ...own };
}

/** What is wrong with a value for its column; null when it is within bounds. */
export function valueProblem(column: Column, value: Row[number], now: number = Date.now()): string | null {
  // A missing value is the NOT NULL constraint's to refuse (nullable is the table's business).
  if (value === null) return null;
  const bounds = boundsOf(column);
  if (bounds.kind === 'text' && typeof value === 'string') {
    if (bounds.maxLength !== undefined && longerThan(value, bounds.maxLength)) return `longer than ${bounds.maxLength} characters (${value.length} UTF-16 units)`;
    return null;
  }
  if (bounds.kind === 'number') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) return `${String(value).slice(0, 40)} is not a finite number`;
    if (bounds.min !== undefined && n < bounds.min) return `${n} is below ${bounds.min}`;
    if (bounds.max !== undefined && n > bounds.max) return `${n} is above ${bounds.max}`;
    return null;
  }
  if (bounds.kind === 'time' && typeof value === 'string') return timeProblem(bounds, value, now);
  return null;
}

/** A date or timestamp as the transforms write them: 'YYYY-MM-DD' or toISOString()'s 'YYYY-MM-DDTHH:mm:ss.sssZ'. */
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}\.\d{3}Z)?$/;

/**
 * Dates and times against their window. ISO text of four-digit years sorts as the instants do,
 * so the common case is two string comparisons (this runs for every date of every row); anything
 * else (a year past 9999 is `+010000-…`) is parsed.
 */
function timeProblem(bounds: Bounds, value: string, now: number): string | null {
  const notAfter = bounds.notAfter === 'now' ? isoOf(now + CLOCK_SKEW_MS) : bounds.notAfter;
  let early: boolean;
  let late: boolean;
  if (ISO.test(value)) {
    early = bounds.notBefore !== undefined && value < bounds.notBefore;
    late = notAfter !== undefined && value > notAfter;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return `${value.slice(0, 40)} is not a date`;
    early = bounds.notBefore !== undefined && at < Date.parse(bounds.notBefore);
    late = notAfter !== undefined && at > Date.parse(notAfter);
  }
  if (early) return `${value} is before ${bounds.notBefore}`;
  if (late) return `${value} is ${bounds.notAfter === 'now' ? 'in the future' : `after ${bounds.notAfter}`}`;
  return null;
}

let isoCache = { minute: Number.NaN, iso: '' };

/** ISO text of an instant, to the minute (worked out once a minute, not per value). */
function isoOf(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== isoCache.minute) isoCache = { minute, iso: new Date(minute * 60_000).toISOString() };
  return isoCache.iso;
}

/** Whether `text` has more than `max` characters (code points, as PostgreSQL counts them), without counting past `max`. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count > max) return true;
  }
  return false;
}

/** The first value of a row out of its column's bounds, or null. `columns` and `row` are in the same order. */
export function rowProblem(columns: readonly Column[], row: Row, now: number = Date.now()): { readonly column: string; readonly problem: string } | null {
  for (let i = 0; i < columns.length; i += 1) {
    const column = columns[i];
    if (column === undefined) continue;
    const problem = valueProblem(column, row[i] ?? null, now);
    if (problem !== null) return { column: column.name, problem };
  }
  return null;
}
