import avsc, { type Type } from 'avsc';
import { logicalName } from './logical-types.js';

/**
 * Turns a value that went through JSON (a dead letter's body) back into the JS shape the Avro
 * schema expects: timestamps, written as ISO strings, become Dates again. Dates and decimals are
 * strings in both shapes. Anything that does not fit is left as it is, for validation to report.
 */
export function reviveJson(type: Type, value: unknown): unknown {
  if (logicalName(type) === 'timestamp-millis') {
    return typeof value === 'string' ? new Date(value) : value;
  }
  if (type instanceof avsc.types.RecordType) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = { ...source };
    for (const field of type.fields) {
      if (field.name in source) out[field.name] = reviveJson(field.type, source[field.name]);
    }
    return out;
  }
  if (type instanceof avsc.types.ArrayType) {
    return Array.isArray(value) ? value.map((item) => reviveJson(type.itemsType, item)) : value;
  }
  if (type instanceof avsc.types.UnwrappedUnionType) {
    if (value === null) return value;
    // The first non-null branch that accepts the revived value.
    for (const branch of type.types) {
      if (branch.typeName === 'null') continue;
      const revived = reviveJson(branch, value);
      if (branch.isValid(revived)) return revived;
    }
    return value;
  }
  return value;
}
