import { quoteIdent } from '../db/postgres.js';
import { qualifiedName, stagingTableName } from './table-target.js';
import type { HistorySpec, TableTarget } from './types.js';

/**
 * SCD type 2 step of a target's merge (see {@link HistorySpec}), one statement run after the
 * current-state merge in the same transaction. The open version of each staged key is lined up
 * with every staged change of that key in offset order; consecutive entries with equal tracked
 * values (and delete flag) collapse; each remaining entry is a version whose `valid_to` is the
 * next entry's `valid_from`. The open version is closed when something follows it; new versions
 * are inserted (deletes only close). Returns one row: closed, opened.
 */
export function historySql(target: TableTarget, history: HistorySpec): string {
  const key = target.key.map(quoteIdent);
  const tracked = history.tracked.map(quoteIdent);
  const both = [...key, ...tracked];
  const table = qualifiedName(history.table);
  const partition = `PARTITION BY ${key.join(', ')} ORDER BY src_offset`;
  const changed = ['lag(del) OVER w IS DISTINCT FROM del', ...tracked.map((c) => `lag(${c}) OVER w IS DISTINCT FROM ${c}`)].join(' OR ');
  return `
    WITH seq AS (
      SELECT ${both.map((c) => `h.${c}`).join(', ')}, false AS del, h.valid_from AS vf, -1::bigint AS src_offset, true AS is_open,
             NULL::text AS src_topic, NULL::integer AS src_partition
      FROM ${table} h
      WHERE h.valid_to IS NULL AND (${key.map((k) => `h.${k}`).join(', ')}) IN (SELECT ${key.join(', ')} FROM ${stagingTableName(target)})
      UNION ALL
      SELECT ${both.map((c) => `s.${c}`).join(', ')}, s.op = 'D', CASE WHEN s.op = 'D' THEN s.deleted_at ELSE s.${quoteIdent(history.validFrom)} END,
             s.src_offset, false, s.src_topic, s.src_partition
      FROM ${stagingTableName(target)} s
      -- History moves forward in source time: a change not newer than the latest version known
      -- for its key (a replay, or a late message) is already reflected, and is ignored.
      WHERE NOT EXISTS (
        SELECT 1 FROM ${table} h WHERE ${key.map((k) => `h.${k} = s.${k}`).join(' AND ')}
          AND CASE WHEN s.op = 'D'
                -- a delete may share its time with the last change: it still closes that version
                THEN h.valid_from > s.deleted_at OR h.valid_to >= s.deleted_at
                ELSE coalesce(h.valid_to, h.valid_from) >= s.${quoteIdent(history.validFrom)} END
      )
    ), marked AS (
      SELECT *, (${changed}) AS changed FROM seq WINDOW w AS (${partition})
    ), versions AS (
      SELECT *, lead(vf) OVER (${partition}) AS next_vf FROM marked WHERE changed
    ), closed AS (
      UPDATE ${table} h SET valid_to = v.next_vf
      FROM versions v WHERE v.is_open AND ${key.map((k) => `h.${k} = v.${k}`).join(' AND ')} AND h.valid_to IS NULL AND v.next_vf IS NOT NULL
      RETURNING 1
    ), opened AS (
      INSERT INTO ${table} (${both.join(', ')}, valid_from, valid_to, run_id, src_topic, src_partition, src_offset, loaded_at)
      SELECT ${both.join(', ')}, vf, next_vf, $1::bigint, src_topic, src_partition, src_offset, now()
      FROM versions WHERE NOT is_open AND NOT del
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM closed)::int AS closed, (SELECT count(*) FROM opened)::int AS opened`;
}
