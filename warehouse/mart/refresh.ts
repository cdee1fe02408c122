import type pg from 'pg';
import { refreshCounts } from './refresh-counts.js';
import { rebuildFacts } from './refresh-facts.js';
import { REFRESH_TABLES, createWorkTable } from './refresh-tables.js';

/** What a refresh did: the fact rebuild and the materialised views refreshed after it. */
export interface MartRefresh {
  /** full = every fact rebuilt; incremental = the dossiers whose inputs changed; none = no mart yet. */
  readonly facts: 'full' | 'incremental' | 'none';
  /** Dossiers whose facts were rebuilt (all live dossiers for full). */
  readonly dossiers: number;
  /** mart.indicator_counts: full = recounted; incremental = adjusted (refresh-counts.ts). */
  readonly counts: 'full' | 'incremental' | 'none';
  /** Reporting windows recounted whole. */
  readonly windows: number;
  /** Reporting windows that only grew at their end (a new as_of), counted on from their old end. */
  readonly extended: number;
  readonly refreshed: readonly string[];
}

/** Serialises refreshes across processes (a nightly run and `lgsp report` may refresh at once). */
const REFRESH_LOCK = "hashtext('lgsp.mart-refresh')";

/**
 * Brings the mart up to date in one transaction: analysts see the old mart or the new one, never
 * facts of one load beside indicators of another. The steps, each reading what the one before
 * wrote into the working tables of refresh-tables.ts:
 *  1. analyse the core tables that changed (the planner must know the new rows);
 *  2. keep the reporting windows as the counters know them;
 *  3. rebuild the facts of the dossiers that depend on what loads changed since the last refresh
 *     (`mart_build.pending`, recorded by triggers: change-log.ts), or all of them (refresh-facts.ts);
 *  4. refresh the materialised views of `mart` (the reporting windows), each after those it reads;
 *  5. bring the counters in line with both (refresh-counts.ts).
 */
export async function refreshMart(db: pg.ClientBase): Promise<MartRefresh> {
  await analyseChangedInputs(db);
  const hasFacts = await db.query<{ ok: boolean }>(`SELECT to_regclass('mart_build.pending') IS NOT NULL AND to_regclass('mart.dossier_fact') IS NOT NULL AS ok`);
  const views = await db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, matviewname) AS name FROM pg_matviews WHERE schemaname = 'mart' ORDER BY matviewname`,
  );
  await db.query(`SELECT pg_advisory_lock(${REFRESH_LOCK})`);
  try {
    // Repeatable read: the pending keys taken and the core rows read come from one snapshot, so a
    // load committing meanwhile is neither half-seen nor lost (its keys stay for the next refresh).
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    try {
      // JIT off: the planner's cost estimates switch it on for these queries, and compiling them
      // took ~1.2 s of each view's 3–5 s at scale 0.1 for nothing gained. work_mem 128 MB: with
      // 64 MB the planner sorted the counts' ~3 M window events and spilled ~190 MB per worker to
      // disk (scale 0.4); with 128 MB it hashes their ~63,000 groups in ~60 MB (7.1 s → 3.2 s).
      await db.query("SET LOCAL jit = off; SET LOCAL work_mem = '128MB'");
      const ready = hasFacts.rows[0]?.ok === true;
      if (ready) await createWorkTable(db, REFRESH_TABLES.oldWindows, 'TABLE mart.reporting_window');
      const facts = ready ? await rebuildFacts(db) : { facts: 'none' as const, dossiers: 0 };
      const refreshed = await refreshViews(db, views.rows.map((r) => r.name));
      const counts = ready ? await refreshCounts(db, facts.facts === 'full') : { counts: 'none' as const, windows: 0, extended: 0 };
      await db.query('COMMIT');
      await vacuumPending(db);
      return { ...facts, ...counts, refreshed };
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${REFRESH_LOCK})`).catch(() => undefined);
  }
}

/**
 * Statistics first: right after a bulk load autovacuum has not analysed the new rows yet, and the
 * planner, believing the core tables nearly empty, picks nested loops that turn a one-second
 * refresh into minutes (seen: 82 s → 1.1 s at scale 0.01). Only the tables that changed enough
 * since their last analysis (~2.5 s for all at scale 0.1). Activity counters reach pg_stat a moment
 * after a commit, so a table is also analysed when its size on disk moved away from what the last
 * analysis saw.
 *
 * Besides core, the facts read mart.reporting_period: one row, which autovacuum never analyses
 * (its threshold is 50 changed rows). Unanalysed, the planner took it for 1,180 rows, multiplied
 * every estimate of the incremental dossier facts by that, and hashed all of core.citizen: at
 * scale 1.0, 8,000 dossiers, 0.89 s against 0.30 s once analysed (EXPLAIN ANALYZE, jit off).
 */
async function analyseChangedInputs(db: pg.ClientBase): Promise<void> {
  const core = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE (n.nspname = 'core' OR (n.nspname = 'mart' AND c.relname = 'reporting_period')) AND c.relkind = 'r' AND (
       (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)
       OR coalesce(s.n_mod_since_analyze, 0) > greatest(100, 0.05 * greatest(c.reltuples, 0))
       OR abs(pg_relation_size(c.oid) / current_setting('block_size')::int - c.relpages) > greatest(8, 0.1 * c.relpages))`,
  );
  if (core.rows.length > 0) await db.query(`ANALYZE ${core.rows.map((r) => r.name).join(', ')}`);
}

/**
 * The keys a refresh took are dead rows of mart_build.pending, and every refresh reads the whole
 * table. After the first load of the province (scale 1.0) it held 8.5 M dead rows in 506 MB that
 * autovacuum had not reached 40 minutes later, and a delta night's refresh spent ~0.6 s scanning
 * them. Vacuumed here, after the commit (VACUUM cannot run in a transaction). A failure is left
 * to autovacuum and the next refresh: the refresh itself has committed.
 */
async function vacuumPending(db: pg.ClientBase): Promise<void> {
  await db.query('VACUUM mart_build.pending').catch(() => undefined);
}

/** Refreshes the materialised views, each after every mart view it reads. */
async function refreshViews(db: pg.ClientBase, names: readonly string[]): Promise<string[]> {
  const pending = [...names];
  const done: string[] = [];
  const deps = await db.query<{ view: string; dep: string }>(
    `SELECT DISTINCT format('%I.%I', vn.nspname, v.relname) AS view, format('%I.%I', dn.nspname, d.relname) AS dep
     FROM pg_depend x
     JOIN pg_rewrite r ON r.oid = x.objid
     JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
     JOIN pg_class d ON d.oid = x.refobjid JOIN pg_namespace dn ON dn.oid = d.relnamespace
     WHERE v.relkind = 'm' AND d.relkind = 'm' AND vn.nspname = 'mart' AND v.oid <> d.oid`,
  );
  while (pending.length > 0) {
    const next = pending.find((v) => deps.rows.every((d) => d.view !== v || done.includes(d.dep) || !pending.includes(d.dep))) ?? pending[0];
    if (next === undefined) break;
    await db.query(`REFRESH MATERIALIZED VIEW ${next}`);
    done.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return done;
}
