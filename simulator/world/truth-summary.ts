import type { GroundTruth } from './truth.js';
import type { Indicators, Ratio } from './indicator-counters.js';

/** The main rates of the ground truth, year × level, as rows for a terminal table. */
export const TRUTH_SUMMARY_HEADERS = ['year', 'level', 'received', 'online', 'on time', 'reuse (plan)', 'reuse (766)', 'results digitised', 'wait min', 'satisfaction'] as const;

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
const rate = (r: Ratio): string => percent(r.rate);
const LEVEL_ORDER = ['all', 'province', 'district', 'commune'];

export function truthSummaryRows(truth: GroundTruth): (readonly (string | number)[])[] {
  const rows: (readonly (string | number)[])[] = [];
  for (const year of Object.keys(truth.byYear).sort()) {
    const levels = truth.byYear[year] ?? {};
    const names = Object.keys(levels).sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b));
    for (const level of names) {
      const i: Indicators | undefined = levels[level];
      if (i === undefined) continue;
      rows.push([
        year, level, i.received, rate(i.online), rate(i.onTime), rate(i.planReuse), rate(i.reuse766), rate(i.resultDigitisation),
        i.counterWait.averageMinutes === null ? '–' : i.counterWait.averageMinutes.toFixed(1), percent(i.satisfaction),
      ]);
    }
  }
  return rows;
}
