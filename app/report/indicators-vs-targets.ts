import type pg from 'pg';

/** A row of the short terminal table of the latest year's indicators against their targets. */
export interface IndicatorVsTargetLine {
  readonly indicator: string;
  readonly year: number;
  readonly level: string;
  readonly value: string;
  readonly target: string;
  readonly status: 'met' | 'not met' | 'no data';
}

const fmt = (v: number, unit: string): string => (unit === '%' ? `${v.toFixed(1)}%` : unit === 'minutes' ? `${v.toFixed(1)} min` : v.toFixed(0));

/**
 * The measurable targets of the latest year that has any, with the measured value: what `lgsp demo`
 * prints at its end. Render with `renderTable(['indicator', 'year', 'level', 'value', 'target', 'status'], …)`.
 */
export async function indicatorsVsTargetsTable(db: pg.ClientBase): Promise<IndicatorVsTargetLine[]> {
  const result = await db.query<{ indicator: string; year: number; level: string; value: string | null; comparison: string; target_value: string; unit: string; met: boolean | null }>(
    `SELECT indicator, year, level, value, comparison, target_value, unit, met FROM mart.indicator_vs_target
     WHERE measurable AND year = (SELECT max(year) FROM mart.indicator_vs_target WHERE value IS NOT NULL)
     ORDER BY indicator, CASE level WHEN 'all' THEN 0 WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END`,
  );
  return result.rows.map((r) => ({
    indicator: r.indicator,
    year: r.year,
    level: r.level,
    value: r.value === null ? '-' : fmt(Number(r.value), r.unit),
    target: `${r.comparison} ${fmt(Number(r.target_value), r.unit)}`,
    status: r.met === null ? 'no data' : r.met ? 'met' : 'not met',
  }));
}
