import avsc from 'avsc';
import type { Schema, Type } from 'avsc';
import { guardedBlockTypes } from './decode-guard.js';
import { LOGICAL_TYPES } from './logical-types.js';

/**
 * Parses an Avro schema the one way the platform does, everywhere:
 * - logical types from {@link LOGICAL_TYPES} (`date` → `'YYYY-MM-DD'`, `timestamp-millis` → `Date`,
 *   `decimal` → exact string); a malformed logical type (a decimal without precision) is an error,
 *   not a silent fallback to the underlying type;
 * - `wrapUnions: false`: unions hold plain values (`["null", "string"]` takes `null` or `'x'`), so
 *   ambiguous unions (two numeric branches, two records…) are rejected when parsed;
 * - arrays and maps read garbage safely (see `decode-guard.ts`).
 *
 * Takes the schema as parsed JSON (an object, an array for a union, or a type name).
 * Throws avsc's error for an invalid schema; callers wrap it with the file it came from.
 */
export function parseSchema(schema: Schema): Type {
  return avsc.Type.forSchema(schema, {
    logicalTypes: LOGICAL_TYPES,
    wrapUnions: false,
    assertLogicalTypes: true,
    typeHook: guardedBlockTypes,
  });
}
