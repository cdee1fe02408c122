import type { ChildTarget, Column, TableTarget } from '../src/sink/types.js';
import { PIPELINES } from './index.js';

/**
 * The canonical Avro schemas (`schemas/canonical/`) document and validate the rows the pipelines
 * load: one record per warehouse table, one field per business column, with the column's doc.
 * They are generated from the pipelines' table targets, so they cannot drift from them
 * (`canonical-schemas.test.ts` fails when a file is stale). Regenerate with
 *   npx tsx pipelines/canonical-schemas.ts
 */

type AvroType = string | Record<string, unknown> | readonly unknown[];

function avroType(column: Column): AvroType {
  const base: AvroType = (() => {
    if (column.type === 'date') return { type: 'int', logicalType: 'date' };
    if (column.type === 'timestamptz') return { type: 'long', logicalType: 'timestamp-millis' };
    if (column.type === 'integer') return 'int';
    if (column.type === 'bigint') return 'long';
    if (column.type === 'boolean') return 'boolean';
    const decimal = /^numeric\((\d+),\s*(\d+)\)$/.exec(column.type);
    if (decimal !== null) return { type: 'bytes', logicalType: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
    return 'string';
  })();
  return column.nullable === true ? ['null', base] : base;
}

/** `core.land_parcel` → `LandParcel`. */
export function recordName(table: string): string {
  const bare = table.slice(table.indexOf('.') + 1);
  return bare
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function canonicalSchema(target: Pick<TableTarget, 'table' | 'columns' | 'doc'>, note = ''): Record<string, unknown> {
  return {
    type: 'record',
    name: recordName(target.table),
    namespace: 'vn.lgsp.canonical',
    doc: `${target.doc ?? ''} Warehouse table ${target.table}.${note}`.trim(),
    fields: target.columns.map((c) => ({
      name: c.name,
      type: avroType(c),
      ...(c.nullable === true ? { default: null } : {}),
      doc: c.doc ?? c.name,
    })),
  };
}

/** Every canonical schema, by file name under `schemas/canonical/`. */
export function canonicalSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (target: Pick<TableTarget, 'table' | 'columns' | 'doc'>, note?: string): void => {
    files.set(`${recordName(target.table)}.v1.avsc`, `${JSON.stringify(canonicalSchema(target, note), null, 2)}\n`);
  };
  for (const pipeline of Object.values(PIPELINES)) {
    for (const input of pipeline.inputs) {
      const children = input.target.children ?? [];
      const notes = [
        ...(input.target.history === undefined ? [] : [` SCD2 history of ${input.target.history.tracked.join(', ')} in ${input.target.history.table}.`]),
        ...children.map((c: ChildTarget) => ` Child rows in ${c.table}.`),
      ];
      add(input.target, notes.join(''));
      for (const child of children) add({ table: child.table, columns: child.columns, ...(child.doc === undefined ? {} : { doc: child.doc }) }, ` Replaced as a set when the parent ${input.target.table} row changes.`);
    }
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const dir = new URL('../schemas/canonical/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of canonicalSchemaFiles()) writeFileSync(new URL(name, dir), text);
  process.stdout.write(`${canonicalSchemaFiles().size} canonical schemas written\n`);
}
