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

/**
 * Characters no source field may carry: C0 and C1 controls (tab, LF and CR aside), bidirectional
 * embeddings, overrides and isolates (they make a name display as something else), and U+FFFD,
 * which a decoder puts where the source's bytes were not UTF-8 — the real character is lost.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD]/u;
/** A UTF-16 surrogate without its other half: encoding would turn it into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a text's characters, or null. */
export function textProblem(value: string): string | null {
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate !== null) return `lone surrogate ${codePoint(surrogate[0])} at ${surrogate.index} (broken UTF-16)`;
  const forbidden = FORBIDDEN_CHARACTER.exec(value);
  if (forbidden === null) return null;
  const what = forbidden[0] === '\uFFFD' ? 'replacement character (the source sent bytes that are not UTF-8)' : /[\u202A-\u202E\u2066-\u2069]/u.test(forbidden[0]) ? 'bidirectional control' : 'control character';
  return `${what} ${codePoint(forbidden[0])} at ${forbidden.index}`;
}

/** A string's characters must pass {@link textProblem}. */
export function checkText(problems: Problems, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const problem = textProblem(value);
  if (problem !== null) problems.push(`${field}: ${problem}`);
}

/** {@link checkText} on every string of a record, nested records and arrays too (`owners.0.holderId`). */
export function checkAllText(problems: Problems, value: unknown, path = ''): void {
  if (typeof value === 'string') checkText(problems, path === '' ? '(value)' : path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => checkAllText(problems, item, path === '' ? String(i) : `${path}.${i}`));
  else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) checkAllText(problems, item, path === '' ? key : `${path}.${key}`);
  }
}

function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
