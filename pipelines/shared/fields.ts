import { textProblem } from '../../src/domain/field-checks.js';
import { TransformError } from '../../src/sink/errors.js';

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
