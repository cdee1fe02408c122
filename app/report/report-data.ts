import type pg from 'pg';

/** One measured value of an indicator (mart.indicator_long, yearly). */
export interface IndicatorPoint {
  readonly indicator: string;
  readonly year: number;
  readonly level: string;
  readonly value: number | null;
  readonly unit: string;
}

/** One target with its measured value (mart.indicator_vs_target). */
export interface TargetRow {
  readonly indicator: string;
  readonly year: number;
  readonly level: string;
  readonly value: number | null;
  readonly comparison: string;
  readonly targetValue: number;
  readonly unit: string;
  readonly gap: number | null;
  readonly met: boolean | null;
  readonly measurable: boolean;
  readonly sourceNote: string;
}

/** A missed re-use opportunity: a procedure at an agency (mart.missed_reuse over the whole period). */
export interface MissedReuseRow {
  readonly procedureCode: string;
  readonly procedureName: string;
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly level: string;
  readonly heldDossiers: number;
  readonly missedComponents: number;
  readonly dossiersWithMissed: number;
  readonly reuse766Pct: number | null;
  readonly planReusePct: number | null;
}

export interface ReportData {
  readonly asOf: string;
  readonly points: readonly IndicatorPoint[];
  readonly targets: readonly TargetRow[];
  readonly missed: readonly MissedReuseRow[];
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Reads what the report shows from the mart (any role that can read the mart will do). */
export async function readReportData(db: pg.ClientBase, topMissed = 15): Promise<ReportData> {
  const asOf = await db.query<{ as_of: string | null }>(`SELECT max(window_end)::text AS as_of FROM mart.reporting_window WHERE window_type = 'whole_period'`);
  const points = await db.query<Record<string, unknown>>(
    `SELECT indicator, period::int AS year, level, value, unit FROM mart.indicator_long WHERE period_type = 'year' ORDER BY indicator, year, level`,
  );
  const targets = await db.query<Record<string, unknown>>(`SELECT * FROM mart.indicator_vs_target ORDER BY indicator, year, level`);
  const missed = await db.query<Record<string, unknown>>(
    `SELECT procedure_code, max(procedure_name) AS procedure_name, agency_code, max(agency_name) AS agency_name, max(level) AS level,
            sum(held_dossiers) AS held_dossiers, sum(missed_components) AS missed_components, sum(dossiers_with_missed) AS dossiers_with_missed,
            round(100.0 * sum(reuse_766_pct * received / 100) / nullif(sum(received), 0), 2) AS reuse_766_pct,
            round(100.0 * sum(plan_reuse_pct * held_dossiers / 100) / nullif(sum(held_dossiers), 0), 2) AS plan_reuse_pct
     FROM mart.missed_reuse GROUP BY procedure_code, agency_code HAVING sum(missed_components) > 0
     ORDER BY sum(missed_components) DESC, procedure_code, agency_code LIMIT $1`,
    [topMissed],
  );
  return {
    asOf: asOf.rows[0]?.as_of ?? 'no data',
    points: points.rows.map((r) => ({ indicator: String(r['indicator']), year: Number(r['year']), level: String(r['level']), value: n(r['value']), unit: String(r['unit']) })),
    targets: targets.rows.map((r) => ({
      indicator: String(r['indicator']),
      year: Number(r['year']),
      level: String(r['level']),
      value: n(r['value']),
      comparison: String(r['comparison']),
      targetValue: Number(r['target_value']),
      unit: String(r['unit']),
      gap: n(r['gap']),
      met: r['met'] === null ? null : r['met'] === true,
      measurable: r['measurable'] === true,
      sourceNote: String(r['source_note']),
    })),
    missed: missed.rows.map((r) => ({
      procedureCode: String(r['procedure_code']),
      procedureName: typeof r['procedure_name'] === 'string' ? r['procedure_name'] : '',
      agencyCode: String(r['agency_code']),
      agencyName: typeof r['agency_name'] === 'string' ? r['agency_name'] : '',
      level: String(r['level']),
      heldDossiers: Number(r['held_dossiers']),
      missedComponents: Number(r['missed_components']),
      dossiersWithMissed: Number(r['dossiers_with_missed']),
      reuse766Pct: n(r['reuse_766_pct']),
      planReusePct: n(r['plan_reuse_pct']),
    })),
  };
}
