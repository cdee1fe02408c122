import type pg from 'pg';

/**
 * Analyses the core tables that changed, then refreshes every materialised view of the `mart` schema in one
 * transaction, in dependency order (views that read other materialised views come after them). Returns the names refreshed; none while the
 * warehouse has no mart yet.
 */
export async function refreshMart(db: pg.ClientBase): Promise<string[]> {
  // Statistics first: right after a bulk load autovacuum has not analysed the new rows yet, and the
  // planner, believing the core tables nearly empty, picks nested loops that turn a one-second
  // refresh into minutes (seen: 82 s → 1.1 s at scale 0.01).
  // Only the tables that changed enough since their last analysis (~2.5 s for all at scale 0.1, most
  // of a delta night's refresh otherwise). Activity counters reach pg_stat a moment after a commit,
  // so a table is also analysed when its size on disk moved away from what the last analysis saw.
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
  const views = await db.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, matviewname) AS name FROM pg_matviews WHERE schemaname = 'mart' ORDER BY matviewname`,
  );
  const pending = views.rows.map((r) => r.name);
  const done: string[] = [];
  // Dependencies: refresh a view only after every mart matview it reads is refreshed.
  const deps = await db.query<{ view: string; dep: string }>(
    `SELECT DISTINCT format('%I.%I', vn.nspname, v.relname) AS view, format('%I.%I', dn.nspname, d.relname) AS dep
     FROM pg_depend x
     JOIN pg_rewrite r ON r.oid = x.objid
     JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
     JOIN pg_class d ON d.oid = x.refobjid JOIN pg_namespace dn ON dn.oid = d.relnamespace
     WHERE v.relkind = 'm' AND d.relkind = 'm' AND vn.nspname = 'mart' AND v.oid <> d.oid`,
  );
  // One transaction: analysts see the old mart or the new one, never facts of one load beside
  // indicators of another. JIT off: the planner's cost estimates switch it on for these queries,
  // and compiling them took ~1.2 s of each view's 3–5 s at scale 0.1 for nothing gained (15.3 s →
  // 8.7 s for the three large views, with the hash joins and aggregates in memory as well).
  await db.query('BEGIN');
  try {
    await db.query("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'");
    while (pending.length > 0) {
      const ready = pending.find((v) => deps.rows.every((d) => d.view !== v || done.includes(d.dep) || !pending.includes(d.dep)));
      const next = ready ?? pending[0];
      if (next === undefined) break;
      await db.query(`REFRESH MATERIALIZED VIEW ${next}`);
      done.push(next);
      pending.splice(pending.indexOf(next), 1);
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return done;
}
