/**
 * The administrative-reform plan's targets (DOMAIN.md § Plan targets, Decision 384/QĐ-UBND) and the
 * Decision 766 full-marks thresholds, as rows of `mart.target`. Where the plan's wording leaves a
 * year open, the row's note says how it was read.
 */
export interface Target {
  readonly indicator: string;
  readonly year: number;
  readonly level: 'all' | 'province' | 'district' | 'commune';
  readonly comparison: '>=' | '<=';
  readonly value: number;
  readonly unit: '%' | 'minutes' | 'dossiers per staff-year';
  /** False when the warehouse has no data to measure it (the row documents the target anyway). */
  readonly measurable: boolean;
  readonly note: string;
}

const PLAN = 'Plan 2021-2025 (Decision 384/QĐ-UBND), section I.2';
const rows: Target[] = [];
const add = (indicator: string, years: readonly number[], level: Target['level'], comparison: Target['comparison'], value: number, unit: Target['unit'], note: string, measurable = true): void => {
  for (const year of years) rows.push({ indicator, year, level, comparison, value, unit, measurable, note });
};

add('plan_reuse', [2022], 'all', '>=', 30, '%', `${PLAN}: applicants who need not re-supply already-accepted documents >= 30% in 2022.`);
add('plan_reuse', [2023, 2024, 2025], 'all', '>=', 80, '%', `${PLAN}: applicants who need not re-supply already-accepted documents >= 80% 2023-2025.`);
add('reuse_766', [2022, 2023, 2024, 2025], 'all', '>=', 80, '%', 'Decision 766/QĐ-TTg indicator 4.3: full marks at >= 80%.');
// Valid results digitised: 2021 30/20/15; 2022 province 100, others +20; then +20 a year per level, capped at 100.
const resultTargets: Readonly<Record<'province' | 'district' | 'commune', readonly number[]>> = {
  province: [30, 100, 100, 100, 100],
  district: [20, 40, 60, 80, 100],
  commune: [15, 35, 55, 75, 95],
};
for (const [level, values] of Object.entries(resultTargets) as ['province' | 'district' | 'commune', readonly number[]][]) {
  values.forEach((value, i) => add('result_digitisation', [2021 + i], level, '>=', value, '%', `${PLAN}: valid results digitised, ${level} (2021 >= 30/20/15%, 2022 province 100% and others +20 pts, then +20 pts a year to 100%).`));
}
add('online', [2023, 2024, 2025], 'all', '>=', 50, '%', `${PLAN}: dossiers submitted online or electronically >= 50% of received (the e-government section asks >= 60% online); 766 indicator 3.3 full marks at >= 50%.`);
add('dossier_digitisation', [2023, 2024, 2025], 'all', '>=', 100, '%', `${PLAN}: resolved dossiers digitised and re-usable 100% (766 indicator 4.2 full marks at >= 80%).`);
add('counter_wait', [2022, 2023, 2024], 'all', '<=', 30, 'minutes', `${PLAN}: average wait at a one-stop counter <= 30 min from 2022 (read as holding until the 2025 target).`);
add('counter_wait', [2025], 'all', '<=', 15, 'minutes', `${PLAN}: average wait at a one-stop counter <= 15 min in 2025.`);
for (const [level, value] of [['province', 1600], ['district', 1200], ['commune', 800]] as const) {
  add('dossiers_per_staff', [2023, 2024, 2025], level, '>=', value, 'dossiers per staff-year', `${PLAN}: dossiers received per one-stop staff per year >= 1600 / 1200 / 800 (province / district / commune), unless fewer were received in total.`);
}
add('satisfaction', [2025], 'all', '>=', 95, '%', `${PLAN}: satisfaction with public-service delivery >= 95% in 2025 (766 indicator 5.4 formula).`);
add('electronic_transfer', [2023, 2024, 2025], 'all', '>=', 80, '%', `${PLAN}: dossiers moved between agencies electronically >= 80%. Not measurable: the one-stop data has no field for how a dossier moved between agencies.`, false);
add('counter_digitisation', [2022], 'district', '>=', 50, '%', `${PLAN}: one-stop counters running digitisation, district 50% in 2022 (+30 pts a year to 100%). Not measurable: no data on counters.`, false);
add('counter_digitisation', [2022], 'commune', '>=', 30, '%', `${PLAN}: one-stop counters running digitisation, commune 30% in 2022 (+30 pts a year to 100%). Not measurable: no data on counters.`, false);

export const TARGETS: readonly Target[] = rows;
