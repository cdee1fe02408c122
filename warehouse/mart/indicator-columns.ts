/**
 * The indicator columns every mart indicator view shares: integer counters (additive over levels,
 * agencies, procedures and units, never over periods) and the rates computed from their sums.
 * One list, so the views, their COMMENTs and the data dictionary cannot drift apart.
 * Interpretations follow DOMAIN.md and simulator/world/truth.ts (docs/indicators.md).
 */

export interface CounterColumn {
  readonly name: string;
  readonly comment: string;
}

export interface RateColumn {
  readonly name: string;
  /** SQL over the summed counters (no `?`: knex would read it as a binding). */
  readonly sql: string;
  readonly comment: string;
}

export const COUNTERS: readonly CounterColumn[] = [
  { name: 'received', comment: 'Dossiers received in the period.' },
  { name: 'reused_766', comment: '766 4.3 numerator: received dossiers with at least one component flagged re-used.' },
  { name: 'held_dossiers', comment: 'Plan re-use denominator: received dossiers needing at least one document the state already held.' },
  { name: 'spared_dossiers', comment: 'Plan re-use numerator: held_dossiers in which the applicant re-supplied none of the held documents.' },
  { name: 'missed_reuse_components', comment: 'Components of received dossiers that the state held yet the applicant handed in again.' },
  { name: 'flagged_but_resupplied', comment: 'Flag audit: held components handed in again yet flagged re-used.' },
  { name: 'taken_but_not_flagged', comment: 'Flag audit: held components not handed in yet not flagged re-used.' },
  { name: 'online', comment: '3.3 numerator: received dossiers with channel online.' },
  { name: 'fee_bearing', comment: '3.6 denominator: received dossiers with a fee > 0.' },
  { name: 'paid_online', comment: '3.6 numerator: fee-bearing received dossiers paid online.' },
  { name: 'complaint_or_dislike', comment: 'Received dossiers rated dislike or complaint.' },
  { name: 'wait_minutes', comment: 'Sum of counter wait minutes over received dossiers with a counter visit.' },
  { name: 'wait_visits', comment: 'Received dossiers with a counter visit (counter_wait_minutes not NULL).' },
  { name: 'decided', comment: 'Dossiers decided (finished or rejected) in the period; withdrawn ones are not decided by the agency.' },
  { name: 'decided_digitised', comment: '4.2 numerator: decided dossiers whose every component is digitised and, when a document result was issued, whose result is electronic.' },
  { name: 'with_result', comment: 'Finished dossiers of procedures whose result is a document, decided in the period (denominator of results digitised and 4.1).' },
  { name: 'result_digitised', comment: 'Plan numerator: with_result dossiers whose result was digitised.' },
  { name: 'result_electronic', comment: '4.1 numerator: with_result dossiers whose result has an electronic file.' },
  { name: 'on_time_denominator', comment: '2.1 denominator: dossiers decided in the period plus dossiers (not withdrawn) still in progress at its end.' },
  { name: 'on_time', comment: '2.1 numerator: decided with finish minus extra-document days <= appointment, or in progress and not past appointment plus extra-document days at the period end; more than one extra-document request is overdue either way.' },
];

const pct = (num: string, den: string): string => `round(100.0 * ${num} / nullif(${den}, 0), 6)`;

export const RATES: readonly RateColumn[] = [
  { name: 'reuse_766_pct', sql: pct('reused_766', 'received'), comment: '766 indicator 4.3, re-use of digitised data (what the one-stop flags say), % of received.' },
  { name: 'plan_reuse_pct', sql: pct('spared_dossiers', 'held_dossiers'), comment: 'Plan re-use computed by the warehouse: % of dossiers needing a document the state held in which the applicant re-supplied none.' },
  { name: 'dossier_digitisation_pct', sql: pct('decided_digitised', 'decided'), comment: '766 indicator 4.2, digitisation of dossiers, % of decided.' },
  { name: 'result_digitisation_pct', sql: pct('result_digitised', 'with_result'), comment: 'Plan: valid results digitised, % of finished dossiers with a document result.' },
  { name: 'electronic_results_pct', sql: pct('result_electronic', 'with_result'), comment: '766 indicator 4.1, electronic results, % of finished dossiers with a document result.' },
  { name: 'online_pct', sql: pct('online', 'received'), comment: '766 indicator 3.3, dossiers received online, % of received.' },
  { name: 'on_time_pct', sql: pct('on_time', 'on_time_denominator'), comment: '766 indicator 2.1, on time, % of decided plus in progress at the period end.' },
  { name: 'online_payment_pct', sql: pct('paid_online', 'fee_bearing'), comment: '766 indicator 3.6, online payment, % of fee-bearing received dossiers.' },
  { name: 'complaint_or_dislike_pct', sql: pct('complaint_or_dislike', 'received'), comment: 'Dossiers rated dislike or complaint, % of received.' },
  { name: 'counter_wait_avg_minutes', sql: 'round(wait_minutes::numeric / nullif(wait_visits, 0), 6)', comment: 'Average wait at a one-stop counter per visit, minutes.' },
  {
    name: 'satisfaction_pct',
    sql: `100 - ((100 - ${pct('on_time', 'on_time_denominator')}) + ${pct('complaint_or_dislike', 'received')})`,
    comment: '766 indicator 5.4, satisfaction: 100 - (overdue % + complaint/dislike %), overdue % = 100 - on_time_pct.',
  },
];

/** `sum(c)::bigint AS c, …` over the counters. */
export const sumCounters = (): string => COUNTERS.map((c) => `sum(${c.name})::bigint AS ${c.name}`).join(',\n  ');

/** `<rate sql> AS <name>, …` over summed counters. */
export const rateSelect = (): string => RATES.map((r) => `${r.sql} AS ${r.name}`).join(',\n  ');

/** COMMENT ON COLUMN statements of the counters (and the rates, unless `countersOnly`) of one view. */
export function indicatorColumnComments(view: string, countersOnly = false): string {
  return [...COUNTERS, ...(countersOnly ? [] : RATES)].map((c) => `COMMENT ON COLUMN ${view}.${c.name} IS ${sqlString(c.comment)};`).join('\n');
}

export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
