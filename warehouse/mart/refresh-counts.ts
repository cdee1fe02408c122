import type pg from 'pg';
import { INDICATOR_COUNTS_COLUMNS, INDICATOR_COUNTS_KEYS, countsSelect, type CountsSource } from './indicator-views.js';
import { COUNTERS, sqlString } from './indicator-columns.js';
import { REFRESH_TABLES, createWorkTable } from './refresh-tables.js';

const {
  dirty: DIRTY, oldFacts: OLD_FACTS, oldWindows: OLD_WINDOWS, movedWindows: MOVED_WINDOWS,
  extendedWindows: EXTENDED_WINDOWS, extensionFacts: EXTENSION_FACTS, counted: COUNTED,
} = REFRESH_TABLES;

const INSERT = `INSERT INTO mart.indicator_counts (${INDICATOR_COUNTS_COLUMNS.join(', ')})`;

/** What a counts refresh did. */
export interface CountsRefresh {
  readonly counts: 'full' | 'incremental';
  /** Reporting windows recounted whole. */
  readonly windows: number;
  /** Windows that only grew at their end, counted on from their old end. */
  readonly extended: number;
}

/**
 * Brings `mart.indicator_counts` in line with the facts and windows of this refresh, inside its
 * transaction. After a full fact build, a full count. Otherwise every night's new `as_of` moves
 * the open windows (this year, this quarter, the whole period…), and a dossier's events in a
 * window depend on its bounds. A window that only grew at its end is counted on: the receipts and
 * decisions of its new days are added, and the dossiers in progress at its new end replace those
 * in progress at its old one. Any other window that moved (a new one, one that shrank) is
 * recounted whole. The dossiers rebuilt are counted out (their old facts, REFRESH_TABLES.oldFacts)
 * and in (their new ones) against the windows as the counters knew them, and a key left with no
 * event at all goes. Reads REFRESH_TABLES.oldWindows (the windows before the refresh) and, after
 * an incremental build, REFRESH_TABLES.dirty and REFRESH_TABLES.oldFacts (refresh.ts, refresh-facts.ts).
 */
export async function refreshCounts(db: pg.ClientBase, full: boolean): Promise<CountsRefresh> {
  if (full) {
    await db.query('TRUNCATE mart.indicator_counts');
    await insertCounted(db, countsSelect([{ facts: 'mart.dossier_fact', windows: 'mart.reporting_window' }]));
    return { counts: 'full', windows: await rowCount(db, 'mart.reporting_window'), extended: 0 };
  }
  await sortMovedWindows(db);
  const windows = await recountMovedWindows(db);
  const extended = await rowCount(db, EXTENDED_WINDOWS);
  const sources = [...rebuiltDossierSources(), ...(extended > 0 ? await extensionSources(db) : [])];
  await db.query(
    `${INSERT} ${countsSelect(sources)}
     ON CONFLICT (${INDICATOR_COUNTS_KEYS.join(', ')}) DO UPDATE SET ${COUNTERS.map((c) => `${c.name} = indicator_counts.${c.name} + excluded.${c.name}`).join(', ')}`,
  );
  // Every event adds to received (receipt) or on_time_denominator (decision, in progress).
  await db.query('DELETE FROM mart.indicator_counts WHERE received = 0 AND on_time_denominator = 0');
  return { counts: 'incremental', windows, extended };
}

/**
 * Splits the windows this refresh moved: those that kept their start and only grew at their end
 * (REFRESH_TABLES.extendedWindows, with the old end) and the rest (REFRESH_TABLES.movedWindows,
 * new, gone or changed otherwise).
 */
async function sortMovedWindows(db: pg.ClientBase): Promise<void> {
  await createWorkTable(
    db,
    EXTENDED_WINDOWS,
    `SELECT n.window_type, n.window_start, o.window_end AS old_end
     FROM mart.reporting_window n JOIN ${OLD_WINDOWS} o USING (window_type, window_start)
     WHERE n.window_end > o.window_end AND n.label = o.label`,
  );
  await createWorkTable(
    db,
    MOVED_WINDOWS,
    `SELECT DISTINCT window_type, window_start
     FROM ((TABLE mart.reporting_window EXCEPT TABLE ${OLD_WINDOWS}) UNION (TABLE ${OLD_WINDOWS} EXCEPT TABLE mart.reporting_window)) moved
     WHERE NOT EXISTS (SELECT 1 FROM ${EXTENDED_WINDOWS} e WHERE e.window_type = moved.window_type AND e.window_start = moved.window_start)`,
  );
}

/** Drops the counts of the windows that moved other than by growing, and counts those still there anew. */
async function recountMovedWindows(db: pg.ClientBase): Promise<number> {
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
  return rowCount(db, MOVED_WINDOWS);
}

/**
 * The rebuilt dossiers, counted out (old facts) and in (new facts) against the windows as the
 * counters knew them: the old bounds of every window not recounted (an extended window's new
 * days are counted by extensionSources, for every dossier alike).
 */
function rebuiltDossierSources(): CountsSource[] {
  const known = `(SELECT o.* FROM ${OLD_WINDOWS} o WHERE NOT EXISTS (
    SELECT 1 FROM ${MOVED_WINDOWS} m WHERE m.window_type = o.window_type AND m.window_start = o.window_start))`;
  return [
    { facts: `(SELECT f.* FROM mart.dossier_fact f JOIN ${DIRTY} USING (dossier_code))`, windows: known },
    { facts: OLD_FACTS, windows: known, sign: -1 },
  ];
}

/**
 * What the extended windows gained: receipts and decisions from the day after the old end, the
 * dossiers in progress at the new end in, those in progress at the old end out. Only dossiers
 * received or still open after the earliest old end can count there (REFRESH_TABLES.extensionFacts):
 * a night's receipts and the open dossiers, not the whole period's facts.
 */
async function extensionSources(db: pg.ClientBase): Promise<CountsSource[]> {
  await createWorkTable(
    db,
    EXTENSION_FACTS,
    `SELECT f.* FROM mart.dossier_fact f, (SELECT min(old_end) AS since FROM ${EXTENDED_WINDOWS}) e
     WHERE f.received_date > e.since OR f.finished_date IS NULL OR f.finished_date > e.since`,
  );
  await db.query(`ANALYZE ${EXTENSION_FACTS}`);
  return [
    {
      facts: EXTENSION_FACTS,
      windows: `(SELECT w.*, e.old_end + 1 AS count_from FROM mart.reporting_window w JOIN ${EXTENDED_WINDOWS} e USING (window_type, window_start))`,
      countFrom: 'count_from',
    },
    {
      facts: EXTENSION_FACTS,
      windows: `(SELECT o.* FROM ${OLD_WINDOWS} o JOIN ${EXTENDED_WINDOWS} e USING (window_type, window_start))`,
      events: ['in_progress'],
      sign: -1,
    },
  ];
}

async function rowCount(db: pg.ClientBase, table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r.rows[0]?.n ?? 0;
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
