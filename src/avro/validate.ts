import type { Type } from 'avsc';
import { describeType } from './describe-type.js';

const MAX_VALUE_CHARS = 60;

/**
 * What is wrong with `value` for `type`, one line per problem, each naming the field path
 * (`address.communeCode: 123 is not a valid string`). Fields the schema does not declare count as
 * problems, since encoding would drop them silently.
 */
export function validateValue(type: Type, value: unknown): readonly string[] {
  // The common case in one pass without hooks; the two passes below only for a value that fails.
  if (type.isValid(value, { noUndeclaredFields: true })) return [];
  const problems: string[] = [];
  // First pass: every bad field. avsc stops at a record with undeclared fields, so those come
  // from a second pass that reports nothing else (its other findings repeat the first pass).
  type.isValid(value, {
    errorHook(path: string[], bad: unknown, badType: Type) {
      const where = fieldPath(path);
      if (bad === undefined) problems.push(`${where}: missing, expected ${describeType(badType)}`);
      else problems.push(`${where}: ${showValue(bad)} is not a valid ${describeType(badType)}`);
    },
  });
  type.isValid(value, {
    noUndeclaredFields: true,
    errorHook(path: string[], bad: unknown, badType: Type) {
      const extra = undeclaredFields(badType, bad);
      if (extra.length > 0) problems.push(`${fieldPath(path)}: field(s) not in the schema: ${extra.join(', ')}`);
    },
  });
  return problems;
}

function fieldPath(path: readonly string[]): string {
  return path.length === 0 ? '(value)' : path.join('.');
}

function undeclaredFields(type: Type, value: unknown): readonly string[] {
  const fields = (type as unknown as { fields?: readonly { name: string }[] }).fields;
  if (fields === undefined || typeof value !== 'object' || value === null) return [];
  const declared = new Set(fields.map((f) => f.name));
  return Object.keys(value).filter((key) => !declared.has(key));
}

function showValue(value: unknown): string {
  let text: string;
  if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date(${value.toISOString()})`;
  else if (typeof value === 'bigint') text = `${value}n`;
  else text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}
