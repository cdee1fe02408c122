import { quoteIdent } from '../db/postgres.js';
import type { TableTarget } from './types.js';

/** Lineage and control columns every staging table has after the business columns. */
const STAGING_TAIL = ['op', 'deleted_at', 'src_topic', 'src_partition', 'src_offset'] as const;

export function stagingTableName(target: TableTarget): string {
  return quoteIdent(`stg_${target.table.replace('.', '_')}`);
}

/**
 * A temporary staging table per session: business columns (all nullable, since delete rows carry
 * only the key), then op ('U' upsert, 'D' delete), deleted_at and the source coordinates.
 * ON COMMIT DELETE ROWS: each micro-batch starts empty.
 */
export function createStagingSql(target: TableTarget): string {
  const columns = target.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  return `CREATE TEMP TABLE IF NOT EXISTS ${stagingTableName(target)} (
    ${[...columns, 'op char(1) NOT NULL', 'deleted_at timestamptz', 'src_topic text NOT NULL', 'src_partition integer NOT NULL', 'src_offset bigint NOT NULL'].join(',\n    ')}
  ) ON COMMIT DELETE ROWS`;
}

export function copyStagingSql(target: TableTarget): string {
  const names = [...target.columns.map((c) => c.name), ...STAGING_TAIL].map(quoteIdent).join(', ');
  return `COPY ${stagingTableName(target)} (${names}) FROM STDIN`;
}

/**
 * Merges staging into the target in one statement: the latest message per key wins (one partition
 * holds every change of a key, so offset order is change order); upserts insert or update — only
 * when something changed, so a replay leaves rows, lineage included, as they were; deletes are
 * soft (deleted_at). Returns one row: inserted, updated, deleted.
 */
export function mergeSql(target: TableTarget): string {
  const key = target.key.map(quoteIdent);
  const cols = target.columns.map((c) => quoteIdent(c.name));
  const nonKey = target.columns.filter((c) => !target.key.includes(c.name)).map((c) => quoteIdent(c.name));
  const table = target.table
    .split('.')
    .map(quoteIdent)
    .join('.');
  const keyMatch = key.map((k) => `t.${k} = l.${k}`).join(' AND ');
  return `
    WITH latest AS (
      SELECT DISTINCT ON (${key.join(', ')}) * FROM ${stagingTableName(target)}
      ORDER BY ${key.join(', ')}, src_offset DESC
    ), upserted AS (
      INSERT INTO ${table} AS t (${cols.join(', ')}, deleted_at, run_id, src_topic, src_partition, src_offset, loaded_at)
      SELECT ${cols.join(', ')}, NULL, $1::bigint, src_topic, src_partition, src_offset, now() FROM latest WHERE op = 'U'
      ON CONFLICT (${key.join(', ')}) DO UPDATE SET
        ${[...nonKey.map((c) => `${c} = EXCLUDED.${c}`), 'deleted_at = NULL', 'run_id = EXCLUDED.run_id', 'src_topic = EXCLUDED.src_topic', 'src_partition = EXCLUDED.src_partition', 'src_offset = EXCLUDED.src_offset', 'loaded_at = now()'].join(',\n        ')}
      WHERE (${nonKey.map((c) => `t.${c}`).join(', ')}, t.deleted_at IS NULL) IS DISTINCT FROM (${nonKey.map((c) => `EXCLUDED.${c}`).join(', ')}, true)
      RETURNING (xmax = 0) AS inserted
    ), deleted AS (
      UPDATE ${table} AS t SET deleted_at = l.deleted_at, run_id = $1::bigint, src_topic = l.src_topic,
        src_partition = l.src_partition, src_offset = l.src_offset, loaded_at = now()
      FROM latest l WHERE l.op = 'D' AND ${keyMatch} AND t.deleted_at IS NULL
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted WHERE inserted)::int AS inserted,
           (SELECT count(*) FROM upserted WHERE NOT inserted)::int AS updated,
           (SELECT count(*) FROM deleted)::int AS deleted`;
}
