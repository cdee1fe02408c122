import type pg from 'pg';
import { INDICATOR_COUNTS_COLUMNS, INDICATOR_COUNTS_KEYS, countsSelect } from './indicator-views.js';
import { COUNTERS, sqlString } from './indicator-columns.js';
import { REFRESH_TABLES, createWorkTable } from './refresh-tables.js';

const { dirty: DIRTY, oldFacts: OLD_FACTS, oldWindows: OLD_WINDOWS, movedWindows: MOVED_WINDOWS, counted: COUNTED } = REFRESH_TABLES;

const INSERT = `INSERT INTO mart.indicator_counts (${INDICATOR_COUNTS_COLUMNS.join(', ')})`;

/**
 * Brings `mart.indicator_counts` in line with the facts and windows of this refresh, inside its
 * transaction. After a full fact build, a full count. Otherwise every night's new `as_of` moves
 * the open windows (this year, this quarter, the whole period…), and a dossier's events in a
 * window depend on its bounds: those windows are recounted whole; in every other window the old
 * facts of the dossiers rebuilt (REFRESH_TABLES.oldFacts) are counted out and their new ones
 * counted in, and a key left with no event at all goes. Reads REFRESH_TABLES.oldWindows (the
 * windows before the refresh) and, after an incremental build, REFRESH_TABLES.dirty and
 * REFRESH_TABLES.oldFacts (refresh.ts, refresh-facts.ts).
 */
export async function refreshCounts(db: pg.ClientBase, full: boolean): Promise<{ counts: 'full' | 'incremental'; windows: number }> {
  if (full) {
    await db.query('TRUNCATE mart.indicator_counts');
    await insertCounted(db, countsSelect([{ facts: 'mart.dossier_fact', windows: 'mart.reporting_window' }]));
    const windows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mart.reporting_window');
    return { counts: 'full', windows: windows.rows[0]?.n ?? 0 };
  }
  await createWorkTable(
    db,
    MOVED_WINDOWS,
    `SELECT DISTINCT window_type, window_start
     FROM ((TABLE mart.reporting_window EXCEPT TABLE ${OLD_WINDOWS}) UNION (TABLE ${OLD_WINDOWS} EXCEPT TABLE mart.reporting_window)) moved`,
  );
  const kept = `(SELECT w.* FROM mart.reporting_window w WHERE NOT EXISTS (
    SELECT 1 FROM ${MOVED_WINDOWS} m WHERE m.window_type = w.window_type AND m.window_start = w.window_start))`;
  await db.query(`DELETE FROM mart.indicator_counts c USING ${MOVED_WINDOWS} m WHERE c.window_type = m.window_type AND c.window_start = m.window_start`);
  const movedKeys = await db.query<{ window_type: string; window_start: string }>(
    `SELECT window_type, to_char(window_start, 'YYYY-MM-DD') AS window_start FROM ${MOVED_WINDOWS} m WHERE EXISTS (
       SELECT 1 FROM mart.reporting_window w WHERE w.window_type = m.window_type AND w.window_start = m.window_start)`,
  );
  if (movedKeys.rows.length > 0) {
    // The windows as literals, not a join: when this list was a temp table, the join kept the count out of parallel workers.
    const list = movedKeys.rows.map((r) => `(${sqlString(r.window_type)}, DATE ${sqlString(r.window_start)})`).join(', ');
    await insertCounted(db, countsSelect([{ facts: 'mart.dossier_fact', windows: `(SELECT w.* FROM mart.reporting_window w WHERE (w.window_type, w.window_start) IN (VALUES ${list}))` }]));
  }
  await db.query(
    `${INSERT} ${countsSelect([
      { facts: `(SELECT f.* FROM mart.dossier_fact f JOIN ${DIRTY} USING (dossier_code))`, windows: kept },
      { facts: OLD_FACTS, windows: kept, sign: -1 },
    ])}
     ON CONFLICT (${INDICATOR_COUNTS_KEYS.join(', ')}) DO UPDATE SET ${COUNTERS.map((c) => `${c.name} = indicator_counts.${c.name} + excluded.${c.name}`).join(', ')}`,
  );
  // Every event adds to received (receipt) or on_time_denominator (decision, in progress).
  await db.query('DELETE FROM mart.indicator_counts WHERE received = 0 AND on_time_denominator = 0');
  const windows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${MOVED_WINDOWS}`);
  return { counts: 'incremental', windows: windows.rows[0]?.n ?? 0 };
}

/**
 * Inserts what `select` counts. Through a table of its own: CREATE TABLE AS may run in parallel
 * workers, INSERT … SELECT may not (PostgreSQL up to 16) — a whole count took 6.1 s instead of
 * 11.6 s at scale 0.4 on two cores.
 */
async function insertCounted(db: pg.ClientBase, select: string): Promise<void> {
  await createWorkTable(db, COUNTED, select);
  await db.query(`${INSERT} SELECT ${INDICATOR_COUNTS_COLUMNS.join(', ')} FROM ${COUNTED}`);
}
