/**
 * Small domain checks shared by the connectors' streams. Each appends problems that name the
 * field (`name: length 3200 is outside 1..255`) and ignores values of the wrong type, which the
 * Avro validation reports already.
 */
export type Problems = string[];

/** A string's length must lie in min..max. */
export function checkLength(problems: Problems, field: string, value: unknown, max: number, min = 1): void {
  if (typeof value !== 'string') return;
  const length = [...value].length;
  if (length < min || length > max || value.trim().length < min) problems.push(`${field}: length ${length} is outside ${min}..${max}`);
}

/** An identifier checked by one of `identifiers.ts`'s `…Problem` functions. */
export function checkIdentifier(problems: Problems, field: string, value: unknown, problemOf: (value: string) => string | null): void {
  if (typeof value !== 'string') return;
  const problem = problemOf(value);
  if (problem !== null) problems.push(`${field}: ${problem}`);
}

/** `earlier` must not come after `later` (both 'YYYY-MM-DD' dates or Dates); a null bound is open. */
export function checkOrder(problems: Problems, earlierField: string, earlier: unknown, laterField: string, later: unknown, strict = false): void {
  const a = comparable(earlier);
  const b = comparable(later);
  if (a === null || b === null) return;
  if (strict ? a >= b : a > b) problems.push(`${laterField}: ${show(later)} is ${strict ? 'not after' : 'before'} ${earlierField} ${show(earlier)}`);
}

/** A value must be one of a set of codes. */
export function checkOneOf(problems: Problems, field: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value === 'string' && !allowed.includes(value)) problems.push(`${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

/** A number must lie in min..max. */
export function checkRange(problems: Problems, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value === 'number' && (value < min || value > max || Number.isNaN(value))) problems.push(`${field}: ${value} is outside ${min}..${max}`);
}

function comparable(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value;
  return null;
}

function show(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
