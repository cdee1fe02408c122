/**
 * SQL of the mart's indicator objects, composed from the shared column list so every view carries
 * the same counters and rates. `indicator_counts` is the one stored aggregate (a table the refresh
 * keeps up to date: warehouse/mart/refresh-counts.ts): counters by reporting window × level × agency ×
 * procedure × unit; the views above it only sum and divide.
 */
import { COUNTERS, indicatorColumnComments, rateSelect, sumCounters } from './indicator-columns.js';

type Event = Readonly<Record<string, string>>;

const HAS_RESULT = `(f.status = 'finished' AND f.result_is_document)`;
const DAY = `interval '86400 seconds'`;

const RECEIVED: Event = {
  received: '1',
  reused_766: 'f.any_component_reused::int',
  held_dossiers: '(f.held_components > 0)::int',
  spared_dossiers: '(f.held_components > 0 AND f.resupplied_components = 0)::int',
  missed_reuse_components: 'f.resupplied_components',
  flagged_but_resupplied: 'f.flagged_but_resupplied',
  taken_but_not_flagged: 'f.taken_but_not_flagged',
  online: `(f.channel = 'online')::int`,
  fee_bearing: 'f.fee_bearing::int',
  paid_online: '(f.fee_bearing AND f.paid_online)::int',
  complaint_or_dislike: `coalesce(f.rating IN ('dislike', 'complaint'), false)::int`,
  wait_minutes: 'coalesce(f.counter_wait_minutes, 0)',
  wait_visits: '(f.counter_wait_minutes IS NOT NULL)::int',
};

const DECIDED: Event = {
  decided: '1',
  decided_digitised: `(f.all_components_digitised AND (NOT ${HAS_RESULT} OR f.result_is_electronic))::int`,
  with_result: `${HAS_RESULT}::int`,
  result_digitised: `(${HAS_RESULT} AND f.result_digitised)::int`,
  result_electronic: `(${HAS_RESULT} AND f.result_is_electronic)::int`,
  on_time_denominator: '1',
  on_time: `(f.extra_document_requests <= 1 AND f.finished_at - f.extra_document_days * ${DAY} <= f.appointment_at)::int`,
};

const IN_PROGRESS: Event = {
  on_time_denominator: '1',
  on_time: `(f.extra_document_requests <= 1 AND w.window_end_at <= f.appointment_at + f.extra_document_days * ${DAY})::int`,
};

/** The key of mart.indicator_counts: window, then level, agency, procedure and units. */
export const INDICATOR_COUNTS_KEYS = ['window_type', 'window_start', 'level', 'agency_code', 'procedure_code', 'new_unit_code', 'old_commune_code', 'old_district_code'] as const;
const KEYS = INDICATOR_COUNTS_KEYS.map((k) => (k.startsWith('window_') ? `w.${k}` : `f.${k}`)).join(', ');
const GROUP = INDICATOR_COUNTS_KEYS.join(', ');

/** The events a dossier counts for in a window (countsSelect). */
export type CountedEvent = 'received' | 'decided' | 'in_progress';

/** Where events come from: dossier facts (`f`) against reporting windows (`w`), counted `sign` times. */
export interface CountsSource {
  readonly facts: string;
  readonly windows: string;
  readonly sign?: 1 | -1;
  /** The events counted; all three by default. */
  readonly events?: readonly CountedEvent[];
  /**
   * The column of `windows` holding the first day receipts and decisions count from (window_start
   * by default): a window extended by a night counts only its new days (refresh-counts.ts).
   */
  readonly countFrom?: string;
}

const eventSelect = (event: Event, join: string, source: CountsSource): string =>
  `SELECT ${KEYS},\n    ${COUNTERS.map((c) => `${source.sign === -1 ? '-' : ''}(${event[c.name] ?? '0'}) AS ${c.name}`).join(', ')}\n  FROM ${source.facts} f JOIN ${source.windows} w ON ${join}`;

/** One source's events, each a SELECT of keys and counters. */
function sourceEvents(source: CountsSource): string[] {
  const from = `w.${source.countFrom ?? 'window_start'}`;
  const joins: Record<CountedEvent, [Event, string]> = {
    received: [RECEIVED, `f.received_date BETWEEN ${from} AND w.window_end`],
    decided: [DECIDED, `f.decided_date BETWEEN ${from} AND w.window_end`],
    // `+ 0` keeps the planner from driving this join from the windows through the index on
    // received_date: for each window it read every dossier received before its end, in one
    // process (3.5 s of the count at scale 0.4); the facts scanned in parallel against the few
    // windows take a fraction of that (the whole count: 3.2 s → 2.2 s).
    in_progress: [IN_PROGRESS, `f.status <> 'withdrawn' AND f.received_date + 0 <= w.window_end AND (f.finished_date IS NULL OR f.finished_date > w.window_end)`],
  };
  return (source.events ?? (['received', 'decided', 'in_progress'] as const)).map((e) => eventSelect(joins[e][0], joins[e][1], source));
}

/**
 * The counters by window and key from the events of `sources`: a dossier counts in the window it
 * was received in, the window it was decided in, and every window at whose end it was in progress.
 * With a source of sign -1 the result is a difference (the incremental refresh subtracts the old
 * facts of the dossiers it rebuilt and adds their new ones).
 */
export function countsSelect(sources: readonly CountsSource[]): string {
  return `WITH ev AS (
  ${sources.flatMap(sourceEvents).join('\n  UNION ALL\n  ')}
)
SELECT ${GROUP},
  ${sumCounters()}
FROM ev
GROUP BY ${GROUP}`;
}

/** Columns of mart.indicator_counts, keys first. */
export const INDICATOR_COUNTS_COLUMNS = [...INDICATOR_COUNTS_KEYS, ...COUNTERS.map((c) => c.name)];

export const INDICATOR_COUNTS_SQL = `
CREATE TABLE mart.indicator_counts AS
${countsSelect([{ facts: 'mart.dossier_fact', windows: 'mart.reporting_window' }])}
WITH NO DATA;
CREATE UNIQUE INDEX indicator_counts_key ON mart.indicator_counts (${GROUP}) NULLS NOT DISTINCT;
COMMENT ON TABLE mart.indicator_counts IS 'Integer counters of every indicator by reporting window, level, agency, procedure and unit (new unit, old commune and district). Additive over everything but the window: sum them, then divide (see mart.indicator). Events: a dossier counts in the window it was received in (received-based counters), the window it was decided in (decision-based), and every window at whose end it was still in progress (2.1). Kept up to date by the mart refresh: a window that only grew at its end (a new as_of) gets the events of its new days, one that moved otherwise is recounted, and every window gets the differences of the dossiers rebuilt.';
COMMENT ON COLUMN mart.indicator_counts.window_type IS 'year | quarter | whole_period | before_reorganisation | after_reorganisation (mart.reporting_window).';
COMMENT ON COLUMN mart.indicator_counts.window_start IS 'First local day of the window.';
COMMENT ON COLUMN mart.indicator_counts.level IS 'Level of the receiving agency.';
COMMENT ON COLUMN mart.indicator_counts.agency_code IS 'Receiving agency.';
COMMENT ON COLUMN mart.indicator_counts.procedure_code IS 'Procedure (TTHC) code.';
COMMENT ON COLUMN mart.indicator_counts.new_unit_code IS 'New commune-level unit of the dossier (mapped for dossiers received before the reorganisation).';
COMMENT ON COLUMN mart.indicator_counts.old_commune_code IS 'Old commune of dossiers received before the reorganisation; NULL after.';
COMMENT ON COLUMN mart.indicator_counts.old_district_code IS 'Old district of dossiers received before the reorganisation; NULL after.';
${indicatorColumnComments('mart.indicator_counts', true)}
`;

const DIMENSION = `CASE WHEN grouping(c.agency_code) = 0 THEN 'agency' WHEN grouping(c.procedure_code) = 0 THEN 'procedure' WHEN grouping(c.level) = 0 THEN 'level' ELSE 'all' END`;

export const INDICATOR_SQL = `
CREATE VIEW mart.indicator AS
WITH s AS (
  SELECT c.window_type AS period_type, c.window_start AS period_start,
    ${DIMENSION} AS dimension,
    CASE WHEN grouping(c.level) = 0 THEN c.level ELSE 'all' END AS level,
    CASE WHEN grouping(c.agency_code) = 0 THEN c.agency_code END AS agency_code,
    CASE WHEN grouping(c.procedure_code) = 0 THEN c.procedure_code END AS procedure_code,
    ${sumCounters()}
  FROM mart.indicator_counts c
  GROUP BY GROUPING SETS ((c.window_type, c.window_start), (c.window_type, c.window_start, c.level),
                          (c.window_type, c.window_start, c.level, c.agency_code), (c.window_type, c.window_start, c.level, c.procedure_code))
)
SELECT s.period_type, s.period_start, w.window_end AS period_end, w.label AS period, s.dimension, s.level, s.agency_code, s.procedure_code,
  ${COUNTERS.map((c) => `s.${c.name}`).join(', ')},
  ${rateSelect()}
FROM s JOIN mart.reporting_window w ON w.window_type = s.period_type AND w.window_start = s.period_start;
COMMENT ON VIEW mart.indicator IS 'Every DOMAIN.md indicator by period (year, quarter, whole period, before / from the reorganisation) and level (province, district, commune, all), and by agency or procedure within a level. Electronic transfer between agencies (plan target >= 80%) is not here: the one-stop data has no field recording how a dossier moved between agencies. Dossiers per one-stop staff: mart.staff_productivity.';
COMMENT ON COLUMN mart.indicator.period_type IS 'year | quarter | whole_period | before_reorganisation | after_reorganisation.';
COMMENT ON COLUMN mart.indicator.period_start IS 'First local day of the period.';
COMMENT ON COLUMN mart.indicator.period_end IS 'Last local day of the period (cut at as_of).';
COMMENT ON COLUMN mart.indicator.period IS 'Display name of the period.';
COMMENT ON COLUMN mart.indicator.dimension IS 'all (whole province) | level | agency | procedure: which breakdown the row is.';
COMMENT ON COLUMN mart.indicator.level IS 'province | district | commune, or all.';
COMMENT ON COLUMN mart.indicator.agency_code IS 'Receiving agency (dimension agency), else NULL.';
COMMENT ON COLUMN mart.indicator.procedure_code IS 'Procedure code (dimension procedure), else NULL.';
${indicatorColumnComments('mart.indicator')}
`;

export const INDICATOR_BY_UNIT_SQL = `
CREATE VIEW mart.indicator_by_unit AS
WITH s AS (
  SELECT 'new' AS unit_scheme, c.window_type, c.window_start, 'commune' AS unit_level, c.new_unit_code AS unit_code, ${sumCounters()}
  FROM mart.indicator_counts c
  WHERE c.window_type IN ('after_reorganisation', 'whole_period') OR (c.window_type IN ('year', 'quarter') AND c.window_start >= (SELECT reorganisation_date FROM mart.reporting_period))
  GROUP BY c.window_type, c.window_start, c.new_unit_code
  UNION ALL
  SELECT 'old', c.window_type, c.window_start, CASE WHEN grouping(c.old_commune_code) = 0 THEN 'commune' ELSE 'district' END,
         coalesce(c.old_commune_code, c.old_district_code), ${sumCounters()}
  FROM mart.indicator_counts c JOIN mart.reporting_window w ON w.window_type = c.window_type AND w.window_start = c.window_start
  WHERE w.window_end < (SELECT reorganisation_date FROM mart.reporting_period) AND c.old_district_code IS NOT NULL
  GROUP BY GROUPING SETS ((c.window_type, c.window_start, c.old_district_code), (c.window_type, c.window_start, c.old_district_code, c.old_commune_code))
)
SELECT s.unit_scheme, s.window_type AS period_type, s.window_start AS period_start, w.window_end AS period_end, w.label AS period, s.unit_level, s.unit_code,
  (SELECT u.name FROM core.admin_unit u WHERE u.unit_code = s.unit_code AND u.level = s.unit_level
     AND (CASE WHEN s.unit_scheme = 'new' THEN u.valid_from >= (SELECT reorganisation_date FROM mart.reporting_period) ELSE u.valid_from < (SELECT reorganisation_date FROM mart.reporting_period) END)
   ORDER BY u.valid_from DESC LIMIT 1) AS unit_name,
  ${COUNTERS.map((c) => `s.${c.name}`).join(', ')},
  ${rateSelect()}
FROM s JOIN mart.reporting_window w ON w.window_type = s.window_type AND w.window_start = s.window_start;
COMMENT ON VIEW mart.indicator_by_unit IS 'Indicators by administrative unit across the 2025 reorganisation. unit_scheme old: the old districts and communes, for periods ending before 2025-07-01 (before_reorganisation, years and quarters before it). unit_scheme new: the new commune-level units, for after_reorganisation (what happened from 2025-07-01), whole_period (every dossier''s commune mapped old -> new through core.admin_unit_mapping) and the years and quarters from 2025-07-01.';
COMMENT ON COLUMN mart.indicator_by_unit.unit_scheme IS 'old (units before 2025-07-01) | new (commune-level units from 2025-07-01).';
COMMENT ON COLUMN mart.indicator_by_unit.period_type IS 'year | quarter | whole_period | before_reorganisation | after_reorganisation.';
COMMENT ON COLUMN mart.indicator_by_unit.period_start IS 'First local day of the period.';
COMMENT ON COLUMN mart.indicator_by_unit.period_end IS 'Last local day of the period (cut at as_of).';
COMMENT ON COLUMN mart.indicator_by_unit.period IS 'Display name of the period.';
COMMENT ON COLUMN mart.indicator_by_unit.unit_level IS 'district | commune (old scheme); commune (new scheme).';
COMMENT ON COLUMN mart.indicator_by_unit.unit_code IS 'GSO code of the unit (a new unit may re-use an absorbed commune''s code: read it with unit_scheme).';
COMMENT ON COLUMN mart.indicator_by_unit.unit_name IS 'Name of the unit in its scheme.';
${indicatorColumnComments('mart.indicator_by_unit')}
`;

export const MISSED_REUSE_SQL = `
CREATE VIEW mart.missed_reuse AS
SELECT extract(year FROM f.received_date)::int AS year, f.level, f.procedure_code, p.name AS procedure_name, f.agency_code, a.name AS agency_name,
  count(*)::bigint AS received,
  count(*) FILTER (WHERE f.held_components > 0)::bigint AS held_dossiers,
  sum(f.held_components)::bigint AS held_components,
  sum(f.resupplied_components)::bigint AS missed_components,
  count(*) FILTER (WHERE f.resupplied_components > 0)::bigint AS dossiers_with_missed,
  sum(f.flagged_but_resupplied)::bigint AS flagged_but_resupplied,
  round(100.0 * count(*) FILTER (WHERE f.any_component_reused) / count(*), 6) AS reuse_766_pct,
  round(100.0 * count(*) FILTER (WHERE f.held_components > 0 AND f.resupplied_components = 0) / nullif(count(*) FILTER (WHERE f.held_components > 0), 0), 6) AS plan_reuse_pct
FROM mart.dossier_fact f
LEFT JOIN core.procedure p ON p.procedure_code = f.procedure_code
LEFT JOIN core.agency a ON a.agency_code = f.agency_code
GROUP BY 1, 2, 3, 4, 5, 6;
COMMENT ON VIEW mart.missed_reuse IS 'Missed re-use opportunities by receipt year (local), procedure and agency: documents the state already held that applicants handed in again, next to what the one-stop flags claim (766 4.3) and the warehouse''s plan re-use. Sort by missed_components to find where to act.';
COMMENT ON COLUMN mart.missed_reuse.year IS 'Local year of receipt.';
COMMENT ON COLUMN mart.missed_reuse.level IS 'Level of the receiving agency.';
COMMENT ON COLUMN mart.missed_reuse.procedure_code IS 'Procedure (TTHC) code.';
COMMENT ON COLUMN mart.missed_reuse.procedure_name IS 'Procedure name.';
COMMENT ON COLUMN mart.missed_reuse.agency_code IS 'Receiving agency.';
COMMENT ON COLUMN mart.missed_reuse.agency_name IS 'Agency name.';
COMMENT ON COLUMN mart.missed_reuse.received IS 'Dossiers received.';
COMMENT ON COLUMN mart.missed_reuse.held_dossiers IS 'Received dossiers needing at least one document the state held.';
COMMENT ON COLUMN mart.missed_reuse.held_components IS 'Components the state held.';
COMMENT ON COLUMN mart.missed_reuse.missed_components IS 'Held components the applicant handed in again: the missed re-use opportunities.';
COMMENT ON COLUMN mart.missed_reuse.dossiers_with_missed IS 'Dossiers with at least one missed re-use.';
COMMENT ON COLUMN mart.missed_reuse.flagged_but_resupplied IS 'Missed re-uses the one-stop system flagged re-used anyway (over-flagging).';
COMMENT ON COLUMN mart.missed_reuse.reuse_766_pct IS '766 indicator 4.3 from the flags, % of received.';
COMMENT ON COLUMN mart.missed_reuse.plan_reuse_pct IS 'Plan re-use from the national data, % of held_dossiers.';
`;

export const STAFF_PRODUCTIVITY_SQL = `
CREATE VIEW mart.staff_productivity AS
WITH y AS (
  SELECT w.window_start AS year_start, w.window_end AS year_end, w.label AS year,
         ((w.window_start + interval '1 year')::date - w.window_start) AS year_days
  FROM mart.reporting_window w WHERE w.window_type = 'year'
), levels(level) AS (VALUES ('province'), ('district'), ('commune')),
staff AS (
  SELECT y.year, l.level,
    coalesce(sum(a.one_stop_staff * (least(y.year_end, coalesce(a.valid_to - 1, y.year_end)) - greatest(y.year_start, a.valid_from) + 1))
             FILTER (WHERE least(y.year_end, coalesce(a.valid_to - 1, y.year_end)) >= greatest(y.year_start, a.valid_from)), 0)::bigint AS staff_days
  FROM y CROSS JOIN levels l LEFT JOIN core.agency a ON a.level = l.level AND a.deleted_at IS NULL
  GROUP BY y.year, l.level
), received AS (
  SELECT w.label AS year, c.level, sum(c.received)::bigint AS received
  FROM mart.indicator_counts c JOIN mart.reporting_window w ON w.window_type = c.window_type AND w.window_start = c.window_start
  WHERE c.window_type = 'year' GROUP BY 1, 2
)
SELECT y.year::int AS year, s.level, coalesce(r.received, 0) AS received, s.staff_days, y.year_days,
       round(coalesce(r.received, 0) * y.year_days::numeric / nullif(s.staff_days, 0), 6) AS dossiers_per_staff_year
FROM staff s JOIN y ON y.year = s.year LEFT JOIN received r ON r.year = s.year AND r.level = s.level
WHERE s.staff_days > 0 OR coalesce(r.received, 0) > 0;
COMMENT ON VIEW mart.staff_productivity IS 'Dossiers received per one-stop staff member per year, by level (plan target >= 1600 / 1200 / 800 for province / district / commune). A staff-year is one staff member of an agency valid for a whole year; partial years count pro rata by day, up to as_of.';
COMMENT ON COLUMN mart.staff_productivity.year IS 'Local calendar year.';
COMMENT ON COLUMN mart.staff_productivity.level IS 'province | district | commune.';
COMMENT ON COLUMN mart.staff_productivity.received IS 'Dossiers received at agencies of that level in the year.';
COMMENT ON COLUMN mart.staff_productivity.staff_days IS 'Sum over agencies of one-stop staff x days the agency was valid in the year, up to as_of.';
COMMENT ON COLUMN mart.staff_productivity.year_days IS 'Days in the calendar year (365 or 366).';
COMMENT ON COLUMN mart.staff_productivity.dossiers_per_staff_year IS 'received x year_days / staff_days: dossiers per staff member per (full) year; NULL without staff.';
`;
