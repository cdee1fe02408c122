import type pg from 'pg';

/**
 * The working tables of a mart refresh, named in one place with who writes and who reads each.
 * They live in `mart_build` (never granted to analysts), unlogged (scratch: nothing to recover
 * after a crash), and are made anew by each refresh inside its transaction — so a refresh that
 * fails leaves the previous ones — and kept after it, for a look at what the last refresh did.
 * Unlike temp tables, parallel workers can scan them.
 */
export const REFRESH_TABLES = {
  /** The pending keys this refresh took from `mart_build.pending` (refresh-facts.ts). */
  taken: 'mart_build.refresh_taken',
  /** The dossiers whose facts this refresh rebuilds (refresh-facts.ts; read by fact-queries.ts in scope dirty, and refresh-counts.ts). */
  dirty: 'mart_build.refresh_dirty',
  /** Those dossiers' facts before the rebuild, to count out of the counters (refresh-facts.ts → refresh-counts.ts). */
  oldFacts: 'mart_build.refresh_old_fact',
  /** The reporting windows before this refresh moved them (refresh.ts → refresh-counts.ts). */
  oldWindows: 'mart_build.refresh_old_window',
  /** Windows whose bounds this refresh moved other than by growing at their end: recounted whole (refresh-counts.ts). */
  movedWindows: 'mart_build.refresh_moved_window',
  /** Moved windows that only grew at their end, with their old end: counted on from it, not recounted (refresh-counts.ts). */
  extendedWindows: 'mart_build.refresh_extended_window',
  /** The facts that can count in the days an extended window gained (refresh-counts.ts). */
  extensionFacts: 'mart_build.refresh_extension_fact',
  /** A count, before it is inserted into the counters (refresh-counts.ts). */
  counted: 'mart_build.refresh_counted',
} as const;

/** (Re)creates a working table from a query, inside the caller's transaction. */
export async function createWorkTable(db: pg.ClientBase, table: string, select: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`CREATE UNLOGGED TABLE ${table} AS ${select}`);
}
