import { textProblem } from '../../src/domain/field-checks.js';
import { TransformError } from '../../src/sink/errors.js';
import type { Row } from '../../src/sink/types.js';

/**
 * Field readers for transforms: each returns the decoded value in its canonical form or throws a
 * {@link TransformError} naming the field. Pure.
 */

/** Unicode NFC, trimmed, inner whitespace collapsed: one spelling per name. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/**
 * A string whose characters pass `textProblem` (no control characters, bidi controls, U+FFFD or
 * lone surrogates): PostgreSQL refuses NUL without naming the column, and the others would load.
 */
export function requireString(value: Record<string, unknown>, field: string): string {
  const v = value[field];
  if (typeof v !== 'string') throw new TransformError(field, v === undefined || v === null ? 'is missing' : 'is not a string');
  return checkedText(field, v);
}

export function optionalString(value: Record<string, unknown>, field: string): string | null {
  const v = value[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new TransformError(field, 'is not a string');
  const trimmed = checkedText(field, v).trim();
  return trimmed.length === 0 ? null : trimmed;
}

/** Throws naming the field when the text carries characters no field may hold. */
export function checkedText(field: string, text: string): string {
  const problem = textProblem(text);
  if (problem !== null) throw new TransformError(field, problem);
  return text;
}

/** A name: NFC, trimmed, non-empty. */
export function requireName(value: Record<string, unknown>, field: string): string {
  const name = normaliseName(requireString(value, field));
  if (name.length === 0) throw new TransformError(field, 'is empty');
  return name;
}

/** One of a closed list of codes. */
export function requireCode<T extends string>(value: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const v = requireString(value, field).trim();
  if (!(allowed as readonly string[]).includes(v)) throw new TransformError(field, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(v)}`);
  return v as T;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date 'YYYY-MM-DD' (the Avro date logical type decodes to this); impossible dates are refused. */
export function requireDate(value: Record<string, unknown>, field: string): string {
  const v = requireString(value, field);
  const m = DATE.exec(v);
  if (m === null) throw new TransformError(field, `${JSON.stringify(v)} is not a date YYYY-MM-DD`);
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new TransformError(field, `${v} is not a calendar date`);
  return v;
}

export function optionalDate(value: Record<string, unknown>, field: string): string | null {
  const v = value[field];
  return v === undefined || v === null ? null : requireDate(value, field);
}

/** The day after a date, for turning a source's inclusive last day into an exclusive bound. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A timestamp (Avro timestamp-millis decodes to a Date) as ISO-8601 UTC. */
export function requireTimestamp(value: Record<string, unknown>, field: string): string {
  const v = value[field];
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw new TransformError(field, v === undefined || v === null ? 'is missing' : 'is not a timestamp');
  return v.toISOString();
}

export function optionalTimestamp(value: Record<string, unknown>, field: string): string | null {
  const v = value[field];
  return v === undefined || v === null ? null : requireTimestamp(value, field);
}

export function requireInt(value: Record<string, unknown>, field: string, min = Number.MIN_SAFE_INTEGER): number {
  const v = value[field];
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TransformError(field, v === undefined || v === null ? 'is missing' : 'is not an integer');
  if (n < min) throw new TransformError(field, `${n} is below ${min}`);
  return n;
}

export function optionalInt(value: Record<string, unknown>, field: string, min?: number): number | null {
  const v = value[field];
  return v === undefined || v === null ? null : requireInt(value, field, min);
}

export function requireBoolean(value: Record<string, unknown>, field: string): boolean {
  const v = value[field];
  if (typeof v !== 'boolean') throw new TransformError(field, v === undefined || v === null ? 'is missing' : 'is not a boolean');
  return v;
}

/** Throws naming the field when an identifier check (src/domain/identifiers.ts) finds a problem. */
export function checked(field: string, id: string, problem: (id: string) => string | null): string {
  const p = problem(id);
  if (p !== null) throw new TransformError(field, p);
  return id;
}

/**
 * A JSON document held as text, parsed, within bounds checked before parsing: no longer than
 * `maxLength` characters, nested no deeper than `maxDepth` — a document nested thousands deep
 * would overflow the stack of whatever walks it next (JSON.stringify, PostgreSQL's jsonb).
 */
export function requireJson(value: Record<string, unknown>, field: string, bounds: { readonly maxDepth: number; readonly maxLength: number }): unknown {
  const text = requireString(value, field);
  if (text.length > bounds.maxLength) throw new TransformError(field, `longer than ${bounds.maxLength} characters (${text.length})`);
  const depth = jsonDepth(text);
  if (depth > bounds.maxDepth) throw new TransformError(field, `nested ${depth} levels deep, more than ${bounds.maxDepth}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new TransformError(field, 'is not JSON');
  }
}

/** The deepest nesting of arrays and objects in a JSON text, counted without parsing it (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/**
 * The key columns of a tombstone, or of any message, from its Kafka key: the key must be a valid
 * id of the entity (a tombstone keyed with garbage deletes nothing, and says a producer is broken).
 */
export function keyed(messageKey: string, problem: (id: string) => string | null = () => null): Row {
  const text = textProblem(messageKey);
  if (text !== null) throw new TransformError('key', text);
  if (messageKey.trim() !== messageKey || messageKey.length === 0) throw new TransformError('key', `${JSON.stringify(messageKey.slice(0, 100))} is not an id`);
  const p = problem(messageKey);
  if (p !== null) throw new TransformError('key', p);
  return [messageKey];
}

/** An array of records, for child rows. */
export function requireRecords(value: Record<string, unknown>, field: string): readonly Record<string, unknown>[] {
  const v = value[field];
  if (!Array.isArray(v)) throw new TransformError(field, v === undefined || v === null ? 'is missing' : 'is not an array');
  return v.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new TransformError(`${field}[${i}]`, 'is not a record');
    return item as Record<string, unknown>;
  });
}

/** Prefixes errors from a child record's fields with its path, e.g. `owners[2].holderId`. */
export function inChild<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TransformError) throw new TransformError(`${path}.${err.field}`, err.message.slice(err.field.length + 2));
    throw err;
  }
}
