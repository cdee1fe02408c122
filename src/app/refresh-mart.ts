import type pg from 'pg';

/**
 * Refreshes every materialised view of the `mart` schema, in dependency order (views that read
 * other materialised views come after them). Returns the names refreshed; none while the
 * warehouse has no mart yet.
 */
export async function refreshMart(db: pg.ClientBase): Promise<string[]> {
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
  while (pending.length > 0) {
    const ready = pending.find((v) => deps.rows.every((d) => d.view !== v || done.includes(d.dep) || !pending.includes(d.dep)));
    const next = ready ?? pending[0];
    if (next === undefined) break;
    await db.query(`REFRESH MATERIALIZED VIEW ${next}`);
    done.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return done;
}
