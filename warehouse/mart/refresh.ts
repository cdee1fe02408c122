import type pg from 'pg';
import { DIRTY_TABLE, componentFactInsert, dossierFactInsert, type FactScope } from './fact-queries.js';
import { refreshCounts } from './refresh-counts.js';

/** What a refresh did: the fact rebuild and the materialised views refreshed after it. */
export interface MartRefresh {
  /** full = every fact rebuilt; incremental = the dossiers whose inputs changed; none = no mart yet. */
  readonly facts: 'full' | 'incremental' | 'none';
  /** Dossiers whose facts were rebuilt (all live dossiers for full). */
  readonly dossiers: number;
  /** mart.indicator_counts: full = recounted; incremental = windows whose bounds moved recounted, the rest adjusted. */
  readonly counts: 'full' | 'incremental' | 'none';
  /** Reporting windows recounted whole. */
  readonly windows: number;
  readonly refreshed: readonly string[];
}

/** Above this share of the facts, rebuilding everything is cheaper than deleting and re-inserting. */
const FULL_ABOVE = 0.3;

/** Serialises refreshes across processes (a nightly run and `lgsp report` may refresh at once). */
const REFRESH_LOCK = "hashtext('lgsp.mart-refresh')";

/**
 * Brings the mart up to date in one transaction: analysts see the old mart or the new one, never
 * facts of one load beside indicators of another.
 *
 * The fact tables are rebuilt for the dossiers that depend on what loads changed since the last
 * refresh (`mart_build.pending`, recorded by triggers: warehouse/mart/change-log.ts), or whole
 * when reference data changed or most dossiers did; then the materialised views of `mart` (the
 * reporting windows) are refreshed, and the counters brought in line with both.
 */
export async function refreshMart(db: pg.ClientBase): Promise<MartRefresh> {
  await analyseChangedCore(db);
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
      // The windows as the counts know them, to see which ones this refresh moves.
      if (ready) await db.query('CREATE TEMP TABLE mart_old_window ON COMMIT DROP AS TABLE mart.reporting_window');
      const facts = ready ? await rebuildFacts(db) : { facts: 'none' as const, dossiers: 0 };
      const refreshed = await refreshViews(db, views.rows.map((r) => r.name));
      const counts = ready ? await refreshCounts(db, facts.facts === 'full') : { counts: 'none' as const, windows: 0 };
      await db.query('COMMIT');
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
 */
async function analyseChangedCore(db: pg.ClientBase): Promise<void> {
  const core = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE n.nspname = 'core' AND c.relkind = 'r' AND (
       (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)
       OR coalesce(s.n_mod_since_analyze, 0) > greatest(100, 0.05 * greatest(c.reltuples, 0))
       OR abs(pg_relation_size(c.oid) / current_setting('block_size')::int - c.relpages) > greatest(8, 0.1 * c.relpages))`,
  );
  if (core.rows.length > 0) await db.query(`ANALYZE ${core.rows.map((r) => r.name).join(', ')}`);
}

/**
 * Takes the pending keys and rebuilds the facts of the dossiers they reach. A key reaches a
 * dossier through what the fact queries join on: the dossier itself, its applicant (earlier
 * results, land holdings, the business registry), the citizen applying or representing the
 * applying business (birth, insurance), the parcels held, the procedure.
 */
async function rebuildFacts(db: pg.ClientBase): Promise<{ facts: 'full' | 'incremental'; dossiers: number }> {
  const state = await db.query<{ all: boolean; empty: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM mart_build.pending WHERE kind = 'all') AS all, NOT EXISTS (SELECT 1 FROM mart.dossier_fact) AS empty`,
  );
  if (state.rows[0]?.all !== true && state.rows[0]?.empty !== true) {
    await db.query(
      `CREATE TEMP TABLE mart_pending ON COMMIT DROP AS
       WITH taken AS (DELETE FROM mart_build.pending RETURNING kind, key1, key2) SELECT DISTINCT kind, key1, key2 FROM taken`,
    );
    await db.query(
      `CREATE TEMP TABLE ${DIRTY_TABLE} ON COMMIT DROP AS
       WITH citizens AS (
         SELECT key1 AS personal_id FROM mart_pending WHERE kind = 'citizen'
         UNION SELECT i.personal_id::text FROM mart_pending p JOIN core.insurance_participant i ON i.insurance_code = p.key1::char(10) WHERE p.kind = 'insurance'
       ), applicants AS (
         SELECT key1 AS kind, key2 AS id FROM mart_pending WHERE kind = 'applicant'
         UNION SELECT 'citizen', personal_id FROM citizens
         UNION SELECT 'business', b.enterprise_code FROM core.business b WHERE b.legal_representative_id::text IN (SELECT personal_id FROM citizens)
         UNION SELECT o.holder_kind, o.holder_id FROM mart_pending p JOIN core.land_ownership o ON o.parcel_id = p.key1 WHERE p.kind = 'parcel'
       )
       SELECT key1 AS dossier_code FROM mart_pending WHERE kind = 'dossier'
       UNION SELECT d.dossier_code FROM core.dossier d JOIN applicants a ON d.applicant_kind = a.kind AND d.applicant_id = a.id
       UNION SELECT d.dossier_code FROM core.dossier d JOIN mart_pending p ON p.kind = 'procedure' AND d.procedure_code = p.key1`,
    );
    const counts = await db.query<{ dirty: number; facts: number }>(
      `SELECT (SELECT count(*) FROM ${DIRTY_TABLE})::int AS dirty, (SELECT count(*) FROM mart.dossier_fact)::int AS facts`,
    );
    const { dirty, facts } = counts.rows[0] ?? { dirty: 0, facts: 0 };
    if (dirty <= FULL_ABOVE * facts) {
      await db.query(`ALTER TABLE ${DIRTY_TABLE} ADD PRIMARY KEY (dossier_code)`);
      // What the counts held for these dossiers, to take out of them (refresh-counts.ts).
      await db.query(`CREATE TEMP TABLE mart_old_fact ON COMMIT DROP AS SELECT f.* FROM mart.dossier_fact f JOIN ${DIRTY_TABLE} x USING (dossier_code)`);
      if (dirty > 0) {
        await db.query(`ANALYZE ${DIRTY_TABLE}`);
        await db.query(`DELETE FROM mart.component_fact f USING ${DIRTY_TABLE} x WHERE f.dossier_code = x.dossier_code`);
        await db.query(`DELETE FROM mart.dossier_fact f USING ${DIRTY_TABLE} x WHERE f.dossier_code = x.dossier_code`);
        await insertFacts(db, 'dirty');
      }
      return { facts: 'incremental', dossiers: dirty };
    }
  } else {
    // Everything is rebuilt: the keys need not be read (after a first load, hundreds of thousands).
    await db.query('DELETE FROM mart_build.pending');
  }
  await db.query('TRUNCATE mart.component_fact, mart.dossier_fact');
  await insertFacts(db, 'all');
  const built = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mart.dossier_fact');
  return { facts: 'full', dossiers: built.rows[0]?.n ?? 0 };
}

async function insertFacts(db: pg.ClientBase, scope: FactScope): Promise<void> {
  await db.query(componentFactInsert(scope));
  // The dossier facts aggregate the component facts just written: fresh statistics first.
  if (scope === 'all') await db.query('ANALYZE mart.component_fact');
  await db.query(dossierFactInsert(scope));
  if (scope === 'all') await db.query('ANALYZE mart.dossier_fact');
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
