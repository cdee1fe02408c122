import { quoteIdent } from '../db/postgres.js';
import type { ChildTarget, TableTarget } from './types.js';

/** Lineage and control columns every staging table has after the business columns. */
const STAGING_TAIL = ['op', 'deleted_at', 'src_topic', 'src_partition', 'src_offset'] as const;

export function stagingTableName(target: Pick<TableTarget, 'table'>): string {
  return quoteIdent(`stg_${target.table.replace('.', '_')}`);
}

/** `schema.table` with each part quoted. */
export function qualifiedName(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

/** Staging of a child table: its columns, then the source coordinates of the parent's message. */
export function createChildStagingSql(child: ChildTarget): string {
  const columns = child.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  return `CREATE TEMP TABLE IF NOT EXISTS ${stagingTableName(child)} (
    ${[...columns, 'src_topic text NOT NULL', 'src_partition integer NOT NULL', 'src_offset bigint NOT NULL'].join(',\n    ')}
  ) ON COMMIT DELETE ROWS`;
}

export function copyChildStagingSql(child: ChildTarget): string {
  const names = [...child.columns.map((c) => c.name), 'src_topic', 'src_partition', 'src_offset'].map(quoteIdent).join(', ');
  return `COPY ${stagingTableName(child)} (${names}) FROM STDIN`;
}

/**
 * Replaces a child table's rows for every parent this batch changed: delete the old set, insert
 * the set staged with the parent's winning message. Two statements (a delete and an insert in one
 * statement would race on the child's primary key).
 */
export function childMergeSql(target: TableTarget, child: ChildTarget): readonly [string, string] {
  const key = target.key.map(quoteIdent);
  const cols = child.columns.map((c) => quoteIdent(c.name));
  const table = qualifiedName(child.table);
  const changed = changedTableName(target);
  const remove = `DELETE FROM ${table} c USING ${changed} ch WHERE ${key.map((k) => `c.${k} = ch.${k}`).join(' AND ')}`;
  const insert = `INSERT INTO ${table} (${cols.join(', ')}, run_id, src_topic, src_partition, src_offset, loaded_at)
    SELECT ${cols.map((c) => `s.${c}`).join(', ')}, $1::bigint, s.src_topic, s.src_partition, s.src_offset, now()
    FROM ${stagingTableName(child)} s JOIN ${changed} ch ON ${key.map((k) => `s.${k} = ch.${k}`).join(' AND ')} AND s.src_offset = ch.src_offset`;
  return [remove, insert];
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

/**
 * Keys whose target row the merge wrote in this transaction (with the winning message's offset):
 * the parents whose child tables must be replaced.
 */
export function changedTableName(target: Pick<TableTarget, 'table'>): string {
  return quoteIdent(`chg_${target.table.replace('.', '_')}`);
}

export function createChangedSql(target: TableTarget): string {
  const columns = target.key.map((k) => {
    const column = target.columns.find((c) => c.name === k);
    return `${quoteIdent(k)} ${column?.type ?? 'text'}`;
  });
  return `CREATE TEMP TABLE IF NOT EXISTS ${changedTableName(target)} (${[...columns, 'src_offset bigint NOT NULL'].join(', ')}) ON COMMIT DELETE ROWS`;
}

export function copyStagingSql(target: TableTarget): string {
  const names = [...target.columns.map((c) => c.name), ...STAGING_TAIL].map(quoteIdent).join(', ');
  return `COPY ${stagingTableName(target)} (${names}) FROM STDIN`;
}

/**
 * The row was set by this message or a later one of the same partition (a key always lives in one
 * partition, so offsets order its changes): a replay — even after the stored offsets were reset —
 * must not move the row back.
 */
function setByLaterOrSame(row: string, message: string): string {
  return `(${row}.src_topic = ${message}.src_topic AND ${row}.src_partition = ${message}.src_partition AND ${row}.src_offset >= ${message}.src_offset)`;
}

/**
 * Merges staging into the target in one statement: the latest message per key wins (one partition
 * holds every change of a key, so offset order is change order); upserts insert or update — only
 * when something changed, so a replay leaves rows, lineage included, as they were; deletes are
 * soft (deleted_at); a message older than the one that set the row changes nothing. Returns one row: inserted, updated, deleted.
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
        AND NOT ${setByLaterOrSame('t', 'EXCLUDED')}
      RETURNING (xmax = 0) AS inserted, ${key.map((k) => `t.${k}`).join(', ')}, t.src_offset
    ), changed AS (
      INSERT INTO ${changedTableName(target)} (${key.join(', ')}, src_offset) SELECT ${key.join(', ')}, src_offset FROM upserted
    ), deleted AS (
      UPDATE ${table} AS t SET deleted_at = l.deleted_at, run_id = $1::bigint, src_topic = l.src_topic,
        src_partition = l.src_partition, src_offset = l.src_offset, loaded_at = now()
      FROM latest l WHERE l.op = 'D' AND ${keyMatch} AND t.deleted_at IS NULL AND NOT ${setByLaterOrSame('t', 'l')}
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted WHERE inserted)::int AS inserted,
           (SELECT count(*) FROM upserted WHERE NOT inserted)::int AS updated,
           (SELECT count(*) FROM deleted)::int AS deleted`;
}
