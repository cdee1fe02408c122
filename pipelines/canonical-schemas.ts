import type { ChildTarget, Column, TableTarget } from '../src/sink/types.js';
import { PIPELINES } from './index.js';

/**
 * The canonical Avro schemas (`schemas/canonical/`) document and validate the rows the pipelines
 * load: one record per warehouse table, one field per business column, with the column's doc.
 * They are generated from the pipelines' table targets, so they cannot drift from them
 * (`canonical-schemas.test.ts` fails when a file is stale). Regenerate with
 *   npx tsx pipelines/canonical-schemas.ts
 *
 * A released version never changes (schemas/README.md): a column added to a target becomes a new
 * version, listed in {@link ADDED_COLUMNS}, and every earlier version is generated without it.
 */

/**
 * The columns each later version of a table's canonical schema added, oldest first: entry 0 is
 * what v2 added, entry 1 what v3 added… A table not listed has only v1. Added columns must be
 * nullable (their field then has a default, so every version reads every other).
 */
export const ADDED_COLUMNS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  // The population DB's e-identification level (raw vn.lgsp.raw.population.Citizen v2).
  'core.citizen': [['vneid_level']],
};

type AvroType = string | Record<string, unknown> | readonly unknown[];

function avroType(column: Column): AvroType {
  const base: AvroType = (() => {
    if (column.type === 'date') return { type: 'int', logicalType: 'date' };
    if (column.type === 'timestamptz') return { type: 'long', logicalType: 'timestamp-millis' };
    if (column.type === 'integer' || column.type === 'smallint') return 'int';
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

type Target = Pick<TableTarget, 'table' | 'columns' | 'doc'>;

/** How many versions a table's canonical schema has (1 + the versions that added columns). */
export function canonicalVersions(table: string): number {
  return 1 + (ADDED_COLUMNS[table]?.length ?? 0);
}

/** Version `version` (default: the newest) of a target's canonical schema. */
export function canonicalSchema(target: Target, note = '', version = canonicalVersions(target.table)): Record<string, unknown> {
  const added = ADDED_COLUMNS[target.table] ?? [];
  for (const name of added.flat()) {
    const column = target.columns.find((c) => c.name === name);
    if (column?.nullable !== true) throw new Error(`${target.table}.${name}: a column added by a later canonical version must be a nullable column of the target`);
  }
  const later = new Set(added.slice(version - 1).flat());
  const history = added.slice(0, version - 1).map((names, i) => ` v${i + 2} adds ${names.join(', ')}.`).join('');
  return {
    type: 'record',
    name: recordName(target.table),
    namespace: 'vn.lgsp.canonical',
    doc: `${target.doc ?? ''} Warehouse table ${target.table}.${note}${history}`.trim(),
    fields: target.columns.filter((c) => !later.has(c.name)).map((c) => ({
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
  const add = (target: Target, note?: string): void => {
    for (let version = 1; version <= canonicalVersions(target.table); version++) {
      files.set(`${recordName(target.table)}.v${version}.avsc`, `${JSON.stringify(canonicalSchema(target, note, version), null, 2)}\n`);
    }
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
