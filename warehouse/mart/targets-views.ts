/** SQL of `mart.target`, the long form of the indicators and `mart.indicator_vs_target`. */
import { sqlString } from './indicator-columns.js';
import { TARGETS } from './targets.js';

/** Indicator name in the long form → its column of mart.indicator and its counters. */
const LONG: readonly (readonly [string, string, string, string, string])[] = [
  ['reuse_766', 'reuse_766_pct', 'reused_766', 'received', '%'],
  ['plan_reuse', 'plan_reuse_pct', 'spared_dossiers', 'held_dossiers', '%'],
  ['dossier_digitisation', 'dossier_digitisation_pct', 'decided_digitised', 'decided', '%'],
  ['result_digitisation', 'result_digitisation_pct', 'result_digitised', 'with_result', '%'],
  ['electronic_results', 'electronic_results_pct', 'result_electronic', 'with_result', '%'],
  ['online', 'online_pct', 'online', 'received', '%'],
  ['on_time', 'on_time_pct', 'on_time', 'on_time_denominator', '%'],
  ['online_payment', 'online_payment_pct', 'paid_online', 'fee_bearing', '%'],
  ['satisfaction', 'satisfaction_pct', 'NULL::bigint', 'NULL::bigint', '%'],
  ['counter_wait', 'counter_wait_avg_minutes', 'wait_minutes', 'wait_visits', 'minutes'],
];

export const TARGET_SQL = `
CREATE TABLE mart.target (
  indicator     text NOT NULL,
  year          integer NOT NULL,
  level         text NOT NULL CONSTRAINT target_level_check CHECK (level IN ('all', 'province', 'district', 'commune')),
  comparison    text NOT NULL CONSTRAINT target_comparison_check CHECK (comparison IN ('>=', '<=')),
  target_value  numeric NOT NULL,
  unit          text NOT NULL,
  measurable    boolean NOT NULL,
  source_note   text NOT NULL,
  PRIMARY KEY (indicator, year, level)
);
INSERT INTO mart.target (indicator, year, level, comparison, target_value, unit, measurable, source_note) VALUES
${TARGETS.map((t) => `  (${sqlString(t.indicator)}, ${t.year}, ${sqlString(t.level)}, ${sqlString(t.comparison)}, ${t.value}, ${sqlString(t.unit)}, ${t.measurable}, ${sqlString(t.note)})`).join(',\n')};
COMMENT ON TABLE mart.target IS 'Targets of the administrative-reform plan 2021-2025 (DOMAIN.md) and Decision 766 full-marks thresholds, by indicator, year and level.';
COMMENT ON COLUMN mart.target.indicator IS 'Indicator name as in mart.indicator_long.';
COMMENT ON COLUMN mart.target.year IS 'Calendar year the target applies to.';
COMMENT ON COLUMN mart.target.level IS 'all | province | district | commune.';
COMMENT ON COLUMN mart.target.comparison IS '>= (at least) or <= (at most).';
COMMENT ON COLUMN mart.target.target_value IS 'Target value in unit.';
COMMENT ON COLUMN mart.target.unit IS '% | minutes | dossiers per staff-year.';
COMMENT ON COLUMN mart.target.measurable IS 'False when the warehouse has no data to measure the indicator (kept to document the target).';
COMMENT ON COLUMN mart.target.source_note IS 'Where the target comes from and how its wording was read.';

CREATE VIEW mart.indicator_long AS
SELECT i.period_type, i.period_start, i.period, i.level, v.indicator, v.numerator, v.denominator, v.value, v.unit
FROM mart.indicator i
CROSS JOIN LATERAL (VALUES
${LONG.map(([name, col, num, den, unit]) => `  (${sqlString(name)}, ${num.startsWith('NULL') ? num : `i.${num}`}, ${den.startsWith('NULL') ? den : `i.${den}`}, i.${col}, ${sqlString(unit)})`).join(',\n')}
) AS v(indicator, numerator, denominator, value, unit)
WHERE i.dimension IN ('all', 'level')
UNION ALL
SELECT 'year', make_date(s.year, 1, 1), s.year::text, s.level, 'dossiers_per_staff', s.received, s.staff_days, s.dossiers_per_staff_year, 'dossiers per staff-year'
FROM mart.staff_productivity s;
COMMENT ON VIEW mart.indicator_long IS 'One row per indicator, period and level (including all): the province-wide and per-level figures of mart.indicator and mart.staff_productivity in long form, for charts and for comparing with mart.target.';
COMMENT ON COLUMN mart.indicator_long.period_type IS 'year | quarter | whole_period | before_reorganisation | after_reorganisation.';
COMMENT ON COLUMN mart.indicator_long.period_start IS 'First local day of the period.';
COMMENT ON COLUMN mart.indicator_long.period IS 'Display name of the period (the year for period_type year).';
COMMENT ON COLUMN mart.indicator_long.level IS 'province | district | commune | all.';
COMMENT ON COLUMN mart.indicator_long.indicator IS 'reuse_766 | plan_reuse | dossier_digitisation | result_digitisation | electronic_results | online | on_time | online_payment | satisfaction | counter_wait | dossiers_per_staff.';
COMMENT ON COLUMN mart.indicator_long.numerator IS 'Numerator (counter_wait: total minutes; dossiers_per_staff: dossiers received; satisfaction: NULL, it is derived from two rates).';
COMMENT ON COLUMN mart.indicator_long.denominator IS 'Denominator (counter_wait: visits; dossiers_per_staff: staff-days; satisfaction: NULL).';
COMMENT ON COLUMN mart.indicator_long.value IS 'The indicator in unit.';
COMMENT ON COLUMN mart.indicator_long.unit IS '% | minutes | dossiers per staff-year.';

CREATE VIEW mart.indicator_vs_target AS
SELECT t.indicator, t.year, t.level, l.value, t.comparison, t.target_value, t.unit,
       l.value - t.target_value AS gap,
       CASE WHEN l.value IS NULL THEN NULL WHEN t.comparison = '>=' THEN l.value >= t.target_value ELSE l.value <= t.target_value END AS met,
       l.numerator, l.denominator, t.measurable, t.source_note
FROM mart.target t
LEFT JOIN mart.indicator_long l ON l.period_type = 'year' AND l.period = t.year::text AND l.level = t.level AND l.indicator = t.indicator;
COMMENT ON VIEW mart.indicator_vs_target IS 'Each plan target next to the measured value of its year and level: gap = value - target (for <= targets a negative gap is good), met = whether the target is reached. value is NULL where nothing was measured (no dossiers, or measurable = false).';
COMMENT ON COLUMN mart.indicator_vs_target.indicator IS 'Indicator name (mart.indicator_long).';
COMMENT ON COLUMN mart.indicator_vs_target.year IS 'Calendar year.';
COMMENT ON COLUMN mart.indicator_vs_target.level IS 'all | province | district | commune.';
COMMENT ON COLUMN mart.indicator_vs_target.value IS 'Measured value in unit.';
COMMENT ON COLUMN mart.indicator_vs_target.comparison IS '>= or <=.';
COMMENT ON COLUMN mart.indicator_vs_target.target_value IS 'Target in unit.';
COMMENT ON COLUMN mart.indicator_vs_target.unit IS '% | minutes | dossiers per staff-year.';
COMMENT ON COLUMN mart.indicator_vs_target.gap IS 'value - target_value.';
COMMENT ON COLUMN mart.indicator_vs_target.met IS 'True when value satisfies comparison target_value; NULL without a value.';
COMMENT ON COLUMN mart.indicator_vs_target.numerator IS 'Numerator of value (see mart.indicator_long).';
COMMENT ON COLUMN mart.indicator_vs_target.denominator IS 'Denominator of value (see mart.indicator_long).';
COMMENT ON COLUMN mart.indicator_vs_target.measurable IS 'False when the warehouse has no data for the indicator.';
COMMENT ON COLUMN mart.indicator_vs_target.source_note IS 'Source of the target.';
`;
