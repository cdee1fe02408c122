import { beforeAll, describe, expect, it } from 'vitest';
import { computeTruth, type GroundTruth } from '../../simulator/world/truth.js';
import type { Indicators, Ratio } from '../../simulator/world/indicator-counters.js';
import { createWorld } from '../../simulator/world/index.js';
import { useDeployment } from '../harness/deployment.js';
import { loadWorld } from '../harness/world-warehouse.js';

/** A mart row: bigint counters arrive as strings, numerics as strings, NULL as null. */
type MartRow = Readonly<Record<string, string | number | null>>;

/**
 * Every mart indicator against the world's own ground truth (simulator/world/truth.ts): counts
 * exactly, rates to 0.01 percentage points, by year and level, on the new units (from the
 * reorganisation and over the whole period), missed re-use by procedure and agency, and dossiers
 * per one-stop staff. Differences are collected, not asserted one by one, so a failure lists them all.
 */
// Another world: LGSP_MART_TEST_SEED=7 LGSP_MART_TEST_SCALE=0.01 npx vitest run test/e2e/mart-truth.test.ts
const SEED = Number(process.env['LGSP_MART_TEST_SEED'] ?? 21);
const SCALE = Number(process.env['LGSP_MART_TEST_SCALE'] ?? 0.003);

describe(`mart = ground truth (seed ${SEED}, scale ${SCALE})`, () => {
  const deployment = useDeployment();
  let truth: GroundTruth;
  let comparisons = 0;
  const differences: string[] = [];

  const num = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
  function same(label: string, actual: number | null, expected: number | null, tolerance = 0): void {
    comparisons++;
    const ok = actual === null || expected === null ? actual === expected : Math.abs(actual - expected) <= tolerance;
    if (!ok) differences.push(`${label}: mart ${actual} truth ${expected}`);
  }
  const pct = (rate: number | null): number | null => (rate === null ? null : rate * 100);
  function ratio(label: string, row: MartRow, numCol: string, denCol: string | null, rateCol: string, expected: Ratio): void {
    same(`${label} ${numCol}`, num(row[numCol]), expected.numerator);
    if (denCol !== null) same(`${label} ${denCol}`, num(row[denCol]), expected.denominator);
    same(`${label} ${rateCol}`, num(row[rateCol]), pct(expected.rate), 0.01);
  }
  function indicators(label: string, row: MartRow | undefined, t: Indicators): void {
    if (row === undefined) {
      comparisons++;
      differences.push(`${label}: no mart row`);
      return;
    }
    same(`${label} received`, num(row['received']), t.received);
    ratio(label, row, 'reused_766', 'received', 'reuse_766_pct', t.reuse766);
    ratio(label, row, 'spared_dossiers', 'held_dossiers', 'plan_reuse_pct', t.planReuse);
    ratio(label, row, 'decided_digitised', 'decided', 'dossier_digitisation_pct', t.dossierDigitisation);
    ratio(label, row, 'result_digitised', 'with_result', 'result_digitisation_pct', t.resultDigitisation);
    ratio(label, row, 'result_electronic', null, 'electronic_results_pct', t.electronicResults);
    ratio(label, row, 'online', null, 'online_pct', t.online);
    ratio(label, row, 'on_time', 'on_time_denominator', 'on_time_pct', t.onTime);
    ratio(label, row, 'paid_online', 'fee_bearing', 'online_payment_pct', t.onlinePayment);
    ratio(label, row, 'complaint_or_dislike', null, 'complaint_or_dislike_pct', t.complaintOrDislike);
    same(`${label} wait_minutes`, num(row['wait_minutes']), t.counterWait.totalMinutes);
    same(`${label} wait_visits`, num(row['wait_visits']), t.counterWait.visits);
    same(`${label} counter_wait_avg_minutes`, num(row['counter_wait_avg_minutes']), t.counterWait.averageMinutes, 0.0001);
    same(`${label} satisfaction_pct`, num(row['satisfaction_pct']), pct(t.satisfaction), 0.01);
    same(`${label} missed_reuse_components`, num(row['missed_reuse_components']), t.missedReuseComponents);
    same(`${label} flagged_but_resupplied`, num(row['flagged_but_resupplied']), t.flagAudit.flaggedButResupplied);
    same(`${label} taken_but_not_flagged`, num(row['taken_but_not_flagged']), t.flagAudit.takenButNotFlagged);
  }
  function rows(sql: string, params: unknown[] = []): Promise<MartRow[]> {
    return deployment.query<MartRow>(sql, params);
  }

  beforeAll(async () => {
    const world = createWorld({ seed: SEED, scale: SCALE });
    truth = computeTruth(world);
    await loadWorld(deployment, world);
  });

  it('by year and level (province, district, commune, all)', async () => {
    const mart = await rows(`SELECT * FROM mart.indicator WHERE period_type = 'year' AND dimension IN ('all', 'level')`);
    const years = Object.keys(truth.byYear);
    expect(years.length).toBeGreaterThanOrEqual(5);
    for (const year of years) {
      for (const [level, t] of Object.entries(truth.byYear[year] ?? {})) {
        indicators(`${year}/${level}`, mart.find((r) => r['period'] === year && r['level'] === level), t);
      }
    }
    const extra = mart.filter((r) => truth.byYear[String(r['period'])]?.[String(r['level'])] === undefined);
    expect(extra.map((r) => `${r['period']}/${r['level']}`)).toEqual([]);
  });

  it('on the new units: from the reorganisation, and over the whole period through the mapping', async () => {
    const mart = await rows(`SELECT * FROM mart.indicator_by_unit WHERE unit_scheme = 'new' AND period_type IN ('after_reorganisation', 'whole_period')`);
    for (const [scope, periodType] of [['afterReorganisation', 'after_reorganisation'], ['wholePeriod', 'whole_period']] as const) {
      const units = truth.byNewUnit[scope];
      expect(Object.keys(units).length).toBeGreaterThan(10);
      for (const [unit, t] of Object.entries(units)) indicators(`${scope}/${unit}`, mart.find((r) => r['period_type'] === periodType && r['unit_code'] === unit), t);
      expect(mart.filter((r) => r['period_type'] === periodType && units[String(r['unit_code'])] === undefined).map((r) => r['unit_code'])).toEqual([]);
    }
  });

  it('missed re-use by procedure and by agency', async () => {
    const byProcedure = await rows(`SELECT procedure_code AS k, sum(missed_components)::int AS n FROM mart.missed_reuse GROUP BY 1 HAVING sum(missed_components) > 0`);
    const byAgency = await rows(`SELECT agency_code AS k, sum(missed_components)::int AS n FROM mart.missed_reuse GROUP BY 1 HAVING sum(missed_components) > 0`);
    for (const [label, actual, expected] of [['procedure', byProcedure, truth.missedReuse.byProcedure], ['agency', byAgency, truth.missedReuse.byAgency]] as const) {
      const keys = new Set([...Object.keys(expected), ...actual.map((r) => String(r['k']))]);
      for (const k of keys) same(`missed by ${label} ${k}`, num(actual.find((r) => r['k'] === k)?.['n']) ?? 0, expected[k] ?? 0);
    }
    const total = await rows(`SELECT sum(missed_components)::int AS n FROM mart.missed_reuse`);
    same('missed total', num(total[0]?.['n']), truth.missedReuse.total);
    expect(truth.missedReuse.total).toBeGreaterThan(0);
  });

  it('dossiers per one-stop staff per year, by level', async () => {
    const mart = await rows(`SELECT * FROM mart.staff_productivity`);
    for (const [year, levels] of Object.entries(truth.staffProductivity)) {
      for (const [level, t] of Object.entries(levels)) {
        const row = mart.find((r) => String(r['year']) === year && r['level'] === level);
        same(`staff ${year}/${level} received`, num(row?.['received']), t.dossiers);
        same(`staff ${year}/${level} staff_days`, num(row?.['staff_days']), t.staffDays);
        same(`staff ${year}/${level} per staff-year`, num(row?.['dossiers_per_staff_year']), t.perStaffPerYear, 0.0001);
      }
    }
    expect(mart.length).toBe(Object.values(truth.staffProductivity).reduce((n, l) => n + Object.keys(l).length, 0));
  });

  it('breakdowns add up: agencies and procedures to their level, quarters to their year (received-based counters)', async () => {
    const sums = await rows(
      `SELECT i.period_type, i.period_start, i.level, i.dimension, sum(i.received)::int AS received, sum(i.missed_reuse_components)::int AS missed, sum(i.decided)::int AS decided
       FROM mart.indicator i WHERE i.period_type = 'year' GROUP BY 1, 2, 3, 4`,
    );
    for (const level of sums.filter((r) => r['dimension'] === 'level')) {
      for (const dimension of ['agency', 'procedure']) {
        const part = sums.find((r) => r['dimension'] === dimension && r['level'] === level['level'] && String(r['period_start']) === String(level['period_start']));
        for (const k of ['received', 'missed', 'decided']) same(`${dimension} sum ${String(level['level'])} ${k}`, num(part?.[k]), num(level[k]));
      }
    }
    const quarters = await rows(
      `SELECT extract(year FROM period_start)::text AS year, sum(received)::int AS received, sum(decided)::int AS decided FROM mart.indicator
       WHERE period_type = 'quarter' AND dimension = 'all' GROUP BY 1`,
    );
    for (const q of quarters) {
      const t = truth.byYear[String(q['year'])]?.['all'];
      same(`quarters of ${String(q['year'])} received`, num(q['received']), t?.received ?? null);
      same(`quarters of ${String(q['year'])} decided`, num(q['decided']), t?.dossierDigitisation.denominator ?? null);
    }
    expect(quarters.length).toBe(Object.keys(truth.byYear).length);
  });

  it('lgsp_analyst reads every mart object and nothing in core or meta', async () => {
    const relations = await rows(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name, n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname IN ('core', 'meta', 'mart') AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1`,
    );
    const outcome: Record<string, string> = {};
    const db = await deployment.db();
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL ROLE lgsp_analyst');
      for (const r of relations) {
        await db.query('SAVEPOINT probe');
        try {
          await db.query(`SELECT 1 FROM ${String(r['name'])} LIMIT 1`);
          outcome[String(r['name'])] = 'read';
        } catch (err) {
          outcome[String(r['name'])] = (err as { code?: string }).code === '42501' ? 'denied' : `error ${(err as Error).message}`;
        }
        await db.query('ROLLBACK TO SAVEPOINT probe');
      }
    } finally {
      await db.query('ROLLBACK');
    }
    const expected = Object.fromEntries(relations.map((r) => [String(r['name']), r['schema'] === 'mart' ? 'read' : 'denied']));
    expect(relations.filter((r) => r['schema'] === 'core').length).toBeGreaterThan(10);
    expect(relations.filter((r) => r['schema'] === 'mart').length).toBeGreaterThanOrEqual(12);
    expect(outcome).toEqual(expected);
  });

  it('no mart text column holds a 12-digit personal ID', async () => {
    const columns = await rows(
      `SELECT format('%I.%I', c.table_schema, c.table_name) AS rel, c.column_name AS col FROM information_schema.columns c
       WHERE c.table_schema = 'mart' AND c.data_type IN ('text', 'character', 'character varying')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const c of columns) {
      const hit = await rows(`SELECT count(*)::int AS n FROM ${String(c['rel'])} WHERE ${String(c['col'])} ~ '(^|[^0-9])[0-9]{12}([^0-9]|$)'`);
      if (num(hit[0]?.['n']) !== 0) found.push(`${String(c['rel'])}.${String(c['col'])}`);
    }
    expect(found).toEqual([]);
    // The scan would see them: core holds such IDs, e.g. the applicants of citizen dossiers.
    const core = await rows(`SELECT count(*)::int AS n FROM core.dossier WHERE applicant_id ~ '^[0-9]{12}$'`);
    expect(num(core[0]?.['n'])).toBeGreaterThan(0);
  });

  it('every mart object and column carries a comment (the data dictionary reads them)', async () => {
    const missing = await rows(
      `SELECT c.relname || coalesce('.' || a.attname, '') AS what FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
       WHERE n.nspname = 'mart' AND c.relkind IN ('r', 'v', 'm') AND (a.attname IS NOT NULL OR obj_description(c.oid, 'pg_class') IS NULL)`,
    );
    expect(missing.map((r) => r['what'])).toEqual([]);
  });

  it('agrees everywhere (all comparisons above)', () => {
    console.info(`mart vs truth: ${comparisons} comparisons, ${differences.length} differences`);
    expect(comparisons).toBeGreaterThan(1000);
    expect(differences.slice(0, 60)).toEqual([]);
  });
});
