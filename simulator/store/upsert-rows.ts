import type pg from 'pg';
import { copyRows } from './copy-rows.js';

type Row = readonly (string | number | boolean | null)[];

/** What an upsert did to a table. */
export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  /** Rows written with deleted_at set (tables without deleted_at: 0). */
  readonly deleted: number;
}

/**
 * Streams rows into a table as an upsert: COPY into a temporary copy of the table (dropped at
 * commit), then one `INSERT … ON CONFLICT (key) DO UPDATE`. Must run inside a transaction.
 */
export async function upsertRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  key: readonly string[],
  rows: Iterable<Row>,
): Promise<UpsertCounts> {
  const staging = `staging_${table.replace(/\W/g, '_')}`;
  await client.query(`CREATE TEMP TABLE ${staging} (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
  const copied = await copyRows(client, staging, columns, rows);
  if (copied === 0) return { inserted: 0, updated: 0, deleted: 0 };
  const list = columns.join(', ');
  const set = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  const deleted = columns.includes('deleted_at') ? 'deleted_at IS NOT NULL' : 'false';
  const result = await client.query<{ inserted: string; updated: string; deleted: string }>(
    `WITH written AS (
       INSERT INTO ${table} (${list}) SELECT ${list} FROM ${staging}
       ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set}
       RETURNING (xmax = 0) AS inserted, ${deleted} AS deleted
     )
     SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
            count(*) FILTER (WHERE deleted) AS deleted
     FROM written`,
  );
  const row = result.rows[0];
  return { inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0), deleted: Number(row?.deleted ?? 0) };
}
