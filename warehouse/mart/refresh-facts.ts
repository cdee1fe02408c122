import type pg from 'pg';
import { componentFactInsert, dossierFactInsert, type FactScope } from './fact-queries.js';
import { REFRESH_TABLES, createWorkTable } from './refresh-tables.js';
import { withoutIndexes } from './without-indexes.js';

/** Above this share of the facts, rebuilding everything is cheaper than deleting and re-inserting. */
const FULL_ABOVE = 0.3;

const { taken: TAKEN, dirty: DIRTY, oldFacts: OLD_FACTS } = REFRESH_TABLES;

/**
 * Takes the pending keys and rebuilds the facts of the dossiers they reach — or every fact, when
 * reference data changed, the mart is empty, or most dossiers are reached. A key reaches a dossier
 * through what the fact queries join on: the dossier itself, its applicant (earlier results, land
 * holdings, the business registry), the citizen applying or representing the applying business
 * (birth, insurance), the parcels held, the procedure. After an incremental rebuild, the rebuilt
 * dossiers' old facts are in REFRESH_TABLES.oldFacts.
 */
export async function rebuildFacts(db: pg.ClientBase): Promise<{ facts: 'full' | 'incremental'; dossiers: number }> {
  const state = await db.query<{ all: boolean; empty: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM mart_build.pending WHERE kind = 'all') AS all, NOT EXISTS (SELECT 1 FROM mart.dossier_fact) AS empty`,
  );
  if (state.rows[0]?.all === true || state.rows[0]?.empty === true) {
    // Everything is rebuilt: the keys need not be read (after a first load, hundreds of thousands).
    await db.query('DELETE FROM mart_build.pending');
    return rebuildAll(db);
  }
  const dirty = await takeDirtyDossiers(db);
  if (await mostFactsReached(db, dirty)) return rebuildAll(db);
  await db.query(`ALTER TABLE ${DIRTY} ADD PRIMARY KEY (dossier_code)`);
  // What the counts held for these dossiers, to take out of them (refresh-counts.ts).
  await createWorkTable(db, OLD_FACTS, `SELECT f.* FROM mart.dossier_fact f JOIN ${DIRTY} x USING (dossier_code)`);
  if (dirty > 0) await rebuildDirty(db);
  return { facts: 'incremental', dossiers: dirty };
}

/**
 * Rebuilds the facts of REFRESH_TABLES.dirty, planned for random reads: a night's few thousand
 * dossiers are reached through the indexes, but at the default random_page_cost (4, a spinning
 * disk's) the planner hashed the whole of component_fact and dossier_fact instead. At scale 1.0,
 * 8,625 dossiers, warm cache, with 1.1 (an SSD's, the warehouse's tables being cached): deleting
 * their components 0.83 → 0.18 s, their dossier facts built 3.2–3.4 → 1.1–1.7 s, their component
 * facts 2.2–3.3 → 1.5 s; whole refreshes of one night's state (a cloned database each) 4.26 and
 * 4.85 s with it, 7.31 and 6.86 s without. Set for these statements only; the counts after them
 * scan whole tables.
 */
async function rebuildDirty(db: pg.ClientBase): Promise<void> {
  const cost = await db.query<{ v: string }>(`SELECT current_setting('random_page_cost') AS v`);
  await db.query(`SET LOCAL random_page_cost = 1.1`);
  try {
    await db.query(`ANALYZE ${DIRTY}`);
    await db.query(`DELETE FROM mart.component_fact f USING ${DIRTY} x WHERE f.dossier_code = x.dossier_code`);
    await db.query(`DELETE FROM mart.dossier_fact f USING ${DIRTY} x WHERE f.dossier_code = x.dossier_code`);
    await insertFacts(db, 'dirty');
  } finally {
    // After a failed statement the transaction is aborted and this fails too; its rollback undoes the SET LOCAL anyway.
    await db.query(`SELECT set_config('random_page_cost', $1, true)`, [cost.rows[0]?.v ?? '4']).catch(() => undefined);
  }
}

/** Takes the pending keys into REFRESH_TABLES.taken and the dossiers they reach into REFRESH_TABLES.dirty; returns how many. */
async function takeDirtyDossiers(db: pg.ClientBase): Promise<number> {
  await createWorkTable(db, TAKEN, `WITH taken AS (DELETE FROM mart_build.pending RETURNING kind, key1, key2) SELECT DISTINCT kind, key1, key2 FROM taken`);
  await createWorkTable(
    db,
    DIRTY,
    `WITH citizens AS (
       SELECT key1 AS personal_id FROM ${TAKEN} WHERE kind = 'citizen'
       UNION SELECT i.personal_id::text FROM ${TAKEN} p JOIN core.insurance_participant i ON i.insurance_code = p.key1::char(10) WHERE p.kind = 'insurance'
     ), applicants AS (
       SELECT key1 AS kind, key2 AS id FROM ${TAKEN} WHERE kind = 'applicant'
       UNION SELECT 'citizen', personal_id FROM citizens
       UNION SELECT 'business', b.enterprise_code FROM core.business b WHERE b.legal_representative_id::text IN (SELECT personal_id FROM citizens)
       UNION SELECT o.holder_kind, o.holder_id FROM ${TAKEN} p JOIN core.land_ownership o ON o.parcel_id = p.key1 WHERE p.kind = 'parcel'
     )
     SELECT key1 AS dossier_code FROM ${TAKEN} WHERE kind = 'dossier'
     UNION SELECT d.dossier_code FROM core.dossier d JOIN applicants a ON d.applicant_kind = a.kind AND d.applicant_id = a.id
     UNION SELECT d.dossier_code FROM core.dossier d JOIN ${TAKEN} p ON p.kind = 'procedure' AND d.procedure_code = p.key1`,
  );
  const counted = await db.query<{ dirty: number }>(`SELECT count(*)::int AS dirty FROM ${DIRTY}`);
  return counted.rows[0]?.dirty ?? 0;
}

/**
 * Whether the dirty dossiers are more than FULL_ABOVE of the facts. The facts are counted only up
 * to the bound that decides it: counting all of them (972,843 at scale 1.0) took 0.26 s of every
 * night's refresh, for an answer a few thousand rows settle.
 */
async function mostFactsReached(db: pg.ClientBase, dirty: number): Promise<boolean> {
  const bound = Math.floor(dirty / FULL_ABOVE) + 1;
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM mart.dossier_fact LIMIT $1) f`, [bound]);
  return dirty > FULL_ABOVE * (rows[0]?.n ?? 0);
}

async function rebuildAll(db: pg.ClientBase): Promise<{ facts: 'full'; dossiers: number }> {
  await db.query('TRUNCATE mart.component_fact, mart.dossier_fact');
  await withoutIndexes(db, ['mart.component_fact', 'mart.dossier_fact'], () => insertFacts(db, 'all'));
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
