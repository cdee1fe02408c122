import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/postgres.js';
import { refreshMart } from '../../warehouse/mart/refresh.js';
import { createWorld } from '../../simulator/world/index.js';
import { useDeployment } from '../harness/deployment.js';
import { factsAgainstFullBuild, NO_DIFFERENCES } from '../harness/mart-facts.js';
import { loadWorld } from '../harness/world-warehouse.js';

/**
 * A change to each table the mart's facts read, made the way a load makes it (an UPDATE, a soft
 * delete, a child row deleted), must reach exactly the facts that depend on it at the next
 * refresh, without a full rebuild: each change is picked so that it must alter one named dossier's
 * facts, and the facts afterwards must equal a build from scratch.
 */
interface Change {
  readonly name: string;
  /** Finds a dossier whose facts the change must alter, and the key the change is made on. */
  readonly target: string;
  /** The change; $1 = the target's key, $2 = its date. */
  readonly apply: string;
}

/** Components the state held, of `applicant` dossiers, with `key` (an expression over d) to change. */
const HELD = (holder: string, applicant: string, key: string): string =>
  `SELECT f.dossier_code, ${key} AS key, f.received_date::text AS day
   FROM mart.component_fact f JOIN core.dossier d USING (dossier_code)
   WHERE f.holder_kind = '${holder}' AND f.held_by_state AND d.applicant_kind = '${applicant}' AND d.deleted_at IS NULL`;

const CHANGES: readonly Change[] = [
  {
    name: 'citizen applicant deleted from the population database',
    target: HELD('national:population', 'citizen', 'd.applicant_id'),
    apply: `UPDATE core.citizen SET deleted_at = now() WHERE personal_id = $1`,
  },
  {
    name: "business's legal representative deleted (reached through core.business)",
    target: HELD('national:population', 'business', '(SELECT b.legal_representative_id::text FROM core.business b WHERE b.enterprise_code = d.applicant_id)'),
    apply: `UPDATE core.citizen SET deleted_at = now() WHERE personal_id = $1`,
  },
  {
    name: 'business registered only after the dossier',
    target: HELD('national:business', 'business', 'd.applicant_id'),
    apply: `UPDATE core.business SET registration_date = $2::date + 1, dissolution_date = NULL WHERE enterprise_code = $1`,
  },
  {
    name: "applicant's parcels deleted from the land database (reached through the ownerships)",
    target: HELD('national:land', 'citizen', 'd.applicant_id'),
    apply: `UPDATE core.land_parcel SET deleted_at = now() WHERE parcel_id IN (SELECT parcel_id FROM core.land_ownership WHERE holder_kind = 'citizen' AND holder_id = $1)`,
  },
  {
    name: "applicant's ownership rows removed (child table replaced by a load)",
    target: `${HELD('national:land', 'citizen', 'd.applicant_id')} ORDER BY f.dossier_code DESC`,
    apply: `DELETE FROM core.land_ownership WHERE holder_kind = 'citizen' AND holder_id = $1`,
  },
  {
    name: 'contributions start after the dossier (child table, reached through the participant)',
    target: HELD('national:insurance', 'citizen', 'd.applicant_id'),
    apply: `UPDATE core.insurance_contribution_period SET period_from = $2::date + 1, period_to = NULL
            WHERE insurance_code IN (SELECT insurance_code FROM core.insurance_participant WHERE personal_id = $1)`,
  },
  {
    name: "the earlier result finishes later (another dossier of the applicant changes)",
    target: HELD('earlier-result', 'citizen', 'd.applicant_id'),
    apply: `UPDATE core.dossier SET finished_at = $2::date + interval '2 days' WHERE applicant_kind = 'citizen' AND applicant_id = $1 AND status = 'finished' AND finished_at < $2::date + interval '2 days'`,
  },
  {
    name: 'a component handed in after all',
    target: `SELECT dossier_code, dossier_code AS key, received_date::text AS day FROM mart.component_fact WHERE held_by_state AND NOT supplied_by_applicant`,
    apply: `UPDATE core.dossier_component SET supplied_by_applicant = true WHERE dossier_code = $1`,
  },
  {
    name: 'a rating removed',
    target: `SELECT dossier_code, dossier_code AS key, received_date::text AS day FROM mart.dossier_fact WHERE rating IS NOT NULL`,
    apply: `DELETE FROM core.dossier_rating WHERE dossier_code = $1`,
  },
  {
    name: 'a dossier deleted at the source',
    target: `SELECT dossier_code, dossier_code AS key, received_date::text AS day FROM mart.dossier_fact ORDER BY dossier_code DESC`,
    apply: `UPDATE core.dossier SET deleted_at = now() WHERE dossier_code = $1`,
  },
  {
    name: "a procedure's result is no longer a document",
    target: `SELECT dossier_code, procedure_code AS key, received_date::text AS day FROM mart.dossier_fact WHERE result_is_document`,
    apply: `UPDATE core.procedure SET result_is_document = false WHERE procedure_code = $1`,
  },
];

describe('mart refresh after a delta: only the dossiers that depend on a change are rebuilt', () => {
  const deployment = useDeployment();
  beforeAll(() => loadWorld(deployment, createWorld({ seed: 21, scale: 0.003 })));

  /** A dossier's facts as text: its dossier_fact row and its component_fact rows. */
  async function factsOf(dossierCode: string): Promise<string> {
    const [r] = await deployment.query<{ facts: string }>(
      `SELECT coalesce((SELECT row_to_json(f)::text FROM mart.dossier_fact f WHERE f.dossier_code = $1), 'none') || ' / ' ||
              coalesce((SELECT json_agg(c ORDER BY c.seq)::text FROM mart.component_fact c WHERE c.dossier_code = $1), 'none') AS facts`,
      [dossierCode],
    );
    return r?.facts ?? '';
  }

  it('changes nothing when nothing was loaded', async () => {
    const db = await deployment.db();
    const before = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mart.dossier_fact`);
    const refresh = await refreshMart(db);
    expect(refresh).toMatchObject({ facts: 'incremental', dossiers: 0, counts: 'incremental', windows: 0 });
    const after = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mart.dossier_fact`);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    expect(before.rows[0]?.n).toBeGreaterThan(1000);
  });

  it('reaches every dossier a change of each kind alters, and equals a build from scratch', async () => {
    const db = await deployment.db();
    const targets: { name: string; dossier: string; facts: string }[] = [];
    for (const change of CHANGES) {
      // A dossier no earlier change has touched, so each change is seen on its own dossier.
      const found = await db.query<{ dossier_code: string; key: string; day: string }>(`${change.target} LIMIT 50`);
      const pick = found.rows.find((r) => !targets.some((t) => t.dossier === r.dossier_code));
      expect(pick, `a dossier for "${change.name}" in this world`).toBeDefined();
      if (pick === undefined) continue;
      targets.push({ name: change.name, dossier: pick.dossier_code, facts: await factsOf(pick.dossier_code) });
      const applied = await db.query(change.apply, change.apply.includes('$2') ? [pick.key, pick.day] : [pick.key]);
      expect(applied.rowCount, change.name).toBeGreaterThan(0);
    }
    const live = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mart.dossier_fact`);

    const refresh = await refreshMart(db);

    // The reporting period is fixed here (the world's asOf): no window moves, every count is adjusted.
    expect(refresh).toMatchObject({ facts: 'incremental', counts: 'incremental', windows: 0 });
    expect(refresh.dossiers).toBeGreaterThanOrEqual(targets.length);
    expect(refresh.dossiers).toBeLessThan(live.rows[0]?.n ?? 0);
    const unchanged: string[] = [];
    for (const t of targets) if ((await factsOf(t.dossier)) === t.facts) unchanged.push(`${t.name} (${t.dossier})`);
    expect(unchanged).toEqual([]);
    expect(await factsAgainstFullBuild(db)).toEqual(NO_DIFFERENCES);
  });

  it('counts on the windows a later receipt extends, recounts those it shrinks when moved back, and equals a build from scratch', async () => {
    const db = await deployment.db();
    // The windows follow the last receipt from here on (a change of the period rebuilds everything once).
    await db.query('UPDATE mart.reporting_period SET as_of = NULL');
    expect(await refreshMart(db)).toMatchObject({ facts: 'full', counts: 'full' });
    const [open] = (await db.query<{ dossier_code: string; received_at: string }>(
      `SELECT dossier_code, received_at::text FROM core.dossier WHERE deleted_at IS NULL AND finished_at IS NULL AND status <> 'withdrawn' ORDER BY received_at DESC LIMIT 1`,
    )).rows;
    expect(open).toBeDefined();
    const ends = async (): Promise<string> =>
      (await db.query<{ ends: string }>(`SELECT string_agg(window_type || ' ' || window_end, ', ' ORDER BY window_type, window_start) AS ends FROM mart.reporting_window`)).rows[0]?.ends ?? '';
    const before = await ends();

    // Received two days after the last receipt: the open windows grow by two days.
    await db.query(`UPDATE core.dossier SET received_at = (SELECT max(received_at) FROM core.dossier) + interval '2 days' WHERE dossier_code = $1`, [open?.dossier_code]);
    const grown = await refreshMart(db);
    expect(grown).toMatchObject({ facts: 'incremental', counts: 'incremental' });
    expect(grown.extended).toBeGreaterThan(0);
    expect(await ends()).not.toBe(before);
    expect(await factsAgainstFullBuild(db)).toEqual(NO_DIFFERENCES);

    // Back where it was: the windows shrink, and a shrunk window is recounted whole.
    await db.query('UPDATE core.dossier SET received_at = $2 WHERE dossier_code = $1', [open?.dossier_code, open?.received_at]);
    const shrunk = await refreshMart(db);
    expect(shrunk).toMatchObject({ facts: 'incremental', counts: 'incremental', extended: 0 });
    expect(shrunk.windows).toBeGreaterThan(0);
    expect(await ends()).toBe(before);
    expect(await factsAgainstFullBuild(db)).toEqual(NO_DIFFERENCES);
  });

  it('rebuilds only the dossiers reached while they are under 30 % of the facts, and every fact above', async () => {
    const db = await deployment.db();
    const live = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mart.dossier_fact`)).rows[0]?.n ?? 0;
    // Rewriting a dossier's row as it is fires the change log as a load's merge does.
    const touch = (share: number): Promise<unknown> =>
      db.query(`UPDATE core.dossier SET status = status WHERE dossier_code IN (SELECT dossier_code FROM mart.dossier_fact ORDER BY dossier_code LIMIT $1)`, [Math.floor(share * live)]);
    // A tenth of the dossiers, and their applicants' other dossiers (earlier results): under 30 %.
    await touch(0.1);
    const some = await refreshMart(db);
    expect(some.facts).toBe('incremental');
    expect(some.dossiers).toBeGreaterThanOrEqual(Math.floor(0.1 * live));
    expect(some.dossiers).toBeLessThan(0.3 * live);
    await touch(0.35);
    expect(await refreshMart(db)).toMatchObject({ facts: 'full', dossiers: live });
    expect(await factsAgainstFullBuild(db)).toEqual(NO_DIFFERENCES);
  });

  it('records one `all` per statement while a full rebuild is pending, and one a refresh taking `all` meanwhile cannot see', async () => {
    const db = await deployment.db();
    const pending = async (): Promise<{ all: number; keys: number }> =>
      (await db.query<{ all: number; keys: number }>(
        `SELECT count(*) FILTER (WHERE kind = 'all')::int AS all, count(*) FILTER (WHERE kind <> 'all')::int AS keys FROM mart_build.pending`,
      )).rows[0] ?? { all: -1, keys: -1 };
    const touch = `UPDATE core.dossier SET status = status WHERE dossier_code IN (SELECT dossier_code FROM mart.dossier_fact ORDER BY dossier_code LIMIT 200)`;
    await db.query(touch);
    const logged = await pending();
    expect(logged.all).toBe(0);
    expect(logged.keys).toBeGreaterThanOrEqual(200);
    await refreshMart(db);

    // Reference data changed: a full rebuild is pending, and a load's keys are not written beside it.
    await db.query(`UPDATE core.admin_unit_mapping SET new_code = new_code WHERE old_code = (SELECT min(old_code) FROM core.admin_unit_mapping)`);
    await db.query(touch);
    const waiting = await pending();
    expect(waiting.keys).toBe(0);
    expect(waiting.all).toBeGreaterThan(1);

    // A refresh whose snapshot predates a load takes the `all` rows it sees; the load's own `all` stays.
    const refresh = await connect(deployment.settings.DATABASE_URL);
    try {
      await refresh.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await refresh.query('SELECT count(*) FROM mart_build.pending');
      await db.query(touch);
      await refresh.query('DELETE FROM mart_build.pending');
      await refresh.query('COMMIT');
    } finally {
      await refresh.end();
    }
    expect(await pending()).toEqual({ all: 1, keys: 0 });
    const live = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier WHERE deleted_at IS NULL`);
    expect(await refreshMart(db)).toMatchObject({ facts: 'full', dossiers: live.rows[0]?.n });
    expect(await pending()).toEqual({ all: 0, keys: 0 });
  });

  it('rebuilds every fact when reference data changes', async () => {
    const db = await deployment.db();
    await db.query(`UPDATE core.admin_unit_mapping SET new_code = new_code WHERE old_code = (SELECT min(old_code) FROM core.admin_unit_mapping)`);
    const refresh = await refreshMart(db);
    const live = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier WHERE deleted_at IS NULL`);
    expect(refresh).toMatchObject({ facts: 'full', dossiers: live.rows[0]?.n, counts: 'full' });
  });
});
