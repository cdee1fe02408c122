/**
 * Ground truth: the expected value of every DOMAIN.md indicator, computed in one streaming pass
 * over the world's own records (never from a database), so the warehouse can be tested against it.
 *
 * Interpretations (DOMAIN.md § Official indicator formulas, § Plan targets):
 *  - Periods are local (UTC+7) calendar years; a dossier's year is its receipt year for
 *    received-based indicators and its decision year for decision-based ones.
 *  - 4.3 re-use (766): dossiers with ≥1 component flagged `reused` / dossiers received.
 *  - Plan re-use: of received dossiers with ≥1 component the state held (national DB or earlier
 *    result), the share in which none of those was re-supplied (truth, not flags).
 *  - Missed re-use: components held by the state yet re-supplied, by procedure and agency.
 *  - 4.2 dossier digitisation: of dossiers decided (finished or rejected; withdrawn are not
 *    decided by the agency), those whose every component is digitised and, when a document
 *    result was issued, whose result is electronic.
 *  - Result digitisation (plan) and 4.1 electronic results: of finished dossiers of procedures
 *    whose result is a document, those with a digitised / electronic result.
 *  - 3.3 online: channel online / received. 3.6 online payment: paid online / received with fee > 0.
 *  - 2.1 on time: denominator = dossiers decided in the period + dossiers still in progress at the
 *    period's end (min(year end, asOf)); numerator = decided with finish − extra-document days ≤
 *    appointment, or in progress and not yet past appointment + extra-document days; more than one
 *    extra-document request is overdue either way. (Extra requests are assumed to precede the end.)
 *  - Counter wait: mean of counterWaitMinutes over direct dossiers received.
 *  - 5.4 satisfaction = 1 − (overdue rate + complaint/dislike rate), overdue rate = 1 − on-time
 *    rate, complaint/dislike rate = dossiers rated dislike or complaint / dossiers received.
 *  - Dossiers per one-stop staff per year, by level: dossiers received / staff-years, a staff-year
 *    being one staff member of an agency valid for a whole year (partial years pro rata, to asOf).
 *  - From 2025-07-01 the district level is gone; by-unit figures use the new commune-level units:
 *    "afterReorganisation" counts what happened from 2025-07-01 on, "wholePeriod" maps every
 *    dossier's commune through the old→new mapping.
 */
import type { World } from './index.js';
import type { AdminLevel } from './types.js';
import { IndicatorCounters, type Indicators } from './indicator-counters.js';
import { dayOf, localDayOf, MS_PER_DAY, VN_OFFSET_MS, yearOf, yearStart } from './dates.js';
import { newUnitOf, REORGANISATION_DATE } from './admin-units.js';

export interface StaffProductivity {
  readonly dossiers: number;
  /** Σ staff × days valid within the year and up to asOf. */
  readonly staffDays: number;
  readonly perStaffPerYear: number | null;
}

export interface GroundTruth {
  readonly options: { readonly seed: number; readonly scale: number; readonly asOf: string };
  /** year → 'all' | level → indicators. */
  readonly byYear: Readonly<Record<string, Readonly<Record<string, Indicators>>>>;
  readonly byNewUnit: {
    readonly afterReorganisation: Readonly<Record<string, Indicators>>;
    readonly wholePeriod: Readonly<Record<string, Indicators>>;
  };
  readonly missedReuse: { readonly byProcedure: Readonly<Record<string, number>>; readonly byAgency: Readonly<Record<string, number>>; readonly total: number };
  /** year → level → productivity. */
  readonly staffProductivity: Readonly<Record<string, Readonly<Record<string, StaffProductivity>>>>;
}

const REORG_DAY = dayOf(REORGANISATION_DATE);

function bucket(map: Map<string, IndicatorCounters>, key: string): IndicatorCounters {
  let counters = map.get(key);
  if (counters === undefined) map.set(key, (counters = new IndicatorCounters()));
  return counters;
}

const toRecord = (map: Map<string, IndicatorCounters>): Record<string, Indicators> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.toIndicators()]));

const localYear = (ms: number): number => yearOf(localDayOf(ms));

export function computeTruth(world: World): GroundTruth {
  const { asOf } = world.options;
  const asOfDay = dayOf(asOf);
  const asOfEndMs = (asOfDay + 1) * MS_PER_DAY - VN_OFFSET_MS - 1;
  const resultIsDocument = new Map([...world.procedures()].map((p) => [p.code, p.resultIsDocument]));
  const byYearLevel = new Map<string, IndicatorCounters>();
  const after = new Map<string, IndicatorCounters>();
  const whole = new Map<string, IndicatorCounters>();
  const missedByProcedure = new Map<string, number>();
  const missedByAgency = new Map<string, number>();
  const receivedByYearLevel = new Map<string, number>();
  let missedTotal = 0;

  const yearBuckets = (year: number, level: AdminLevel): IndicatorCounters[] => [bucket(byYearLevel, `${year}|all`), bucket(byYearLevel, `${year}|${level}`)];

  for (const record of world.dossiers()) {
    const { dossier, components } = record;
    const receivedMs = Date.parse(dossier.receivedAt);
    const receivedDay = localDayOf(receivedMs);
    const receivedYear = yearOf(receivedDay);
    // After the reorganisation the dossier already carries the new unit; before, map the old one.
    const newUnit = receivedDay >= REORG_DAY ? dossier.communeCode : newUnitOf(dossier.communeCode);
    const isDocument = resultIsDocument.get(dossier.procedureCode) ?? false;

    for (const c of yearBuckets(receivedYear, dossier.level)) c.addReceived(record);
    bucket(whole, newUnit).addReceived(record);
    if (receivedDay >= REORG_DAY) bucket(after, newUnit).addReceived(record);
    const key = `${receivedYear}|${dossier.level}`;
    receivedByYearLevel.set(key, (receivedByYearLevel.get(key) ?? 0) + 1);

    for (const c of components) {
      if (!c.heldByState || !c.resupplied) continue;
      missedTotal++;
      missedByProcedure.set(dossier.procedureCode, (missedByProcedure.get(dossier.procedureCode) ?? 0) + 1);
      missedByAgency.set(dossier.agencyCode, (missedByAgency.get(dossier.agencyCode) ?? 0) + 1);
    }

    const decided = dossier.status === 'finished' || dossier.status === 'rejected';
    const finishedMs = dossier.finishedAt === null ? null : Date.parse(dossier.finishedAt);
    if (decided && finishedMs !== null) {
      for (const c of yearBuckets(localYear(finishedMs), dossier.level)) c.addDecided(record, isDocument);
      bucket(whole, newUnit).addDecided(record, isDocument);
      if (localDayOf(finishedMs) >= REORG_DAY) bucket(after, newUnit).addDecided(record, isDocument);
    }
    if (dossier.status === 'withdrawn') continue;
    // In progress at the end of each year it spans (and at asOf if still unfinished).
    const lastYear = finishedMs === null ? yearOf(asOfDay) : localYear(finishedMs) - 1;
    for (let year = receivedYear; year <= lastYear; year++) {
      const end = Math.min(asOfEndMs, yearStart(year + 1) * MS_PER_DAY - VN_OFFSET_MS - 1);
      for (const c of yearBuckets(year, dossier.level)) c.addInProgress(record, end);
    }
    if (finishedMs === null) {
      bucket(whole, newUnit).addInProgress(record, asOfEndMs);
      if (asOfDay >= REORG_DAY) bucket(after, newUnit).addInProgress(record, asOfEndMs);
    }
  }

  const byYear: Record<string, Record<string, Indicators>> = {};
  for (const [key, counters] of [...byYearLevel.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [year = '', level = ''] = key.split('|');
    (byYear[year] ??= {})[level] = counters.toIndicators();
  }

  return {
    options: { seed: world.options.seed, scale: world.options.scale, asOf },
    byYear,
    byNewUnit: { afterReorganisation: toRecord(after), wholePeriod: toRecord(whole) },
    missedReuse: {
      byProcedure: Object.fromEntries([...missedByProcedure.entries()].sort(([a], [b]) => a.localeCompare(b))),
      byAgency: Object.fromEntries([...missedByAgency.entries()].sort(([a], [b]) => a.localeCompare(b))),
      total: missedTotal,
    },
    staffProductivity: staffProductivity(world, asOfDay, receivedByYearLevel),
  };
}

function staffProductivity(world: World, asOfDay: number, received: ReadonlyMap<string, number>): Record<string, Record<string, StaffProductivity>> {
  const out: Record<string, Record<string, StaffProductivity>> = {};
  const agencies = [...world.agencies()];
  for (let year = 2021; year <= yearOf(asOfDay); year++) {
    const from = yearStart(year);
    const to = Math.min(yearStart(year + 1) - 1, asOfDay);
    const yearDays = yearStart(year + 1) - from;
    const levels: Record<string, StaffProductivity> = {};
    for (const level of ['province', 'district', 'commune'] as const) {
      let staffDays = 0;
      for (const a of agencies) {
        if (a.level !== level) continue;
        const start = Math.max(from, dayOf(a.validFrom));
        const end = Math.min(to, a.validTo === null ? to : dayOf(a.validTo));
        if (end >= start) staffDays += a.oneStopStaff * (end - start + 1);
      }
      const dossiers = received.get(`${year}|${level}`) ?? 0;
      if (staffDays > 0 || dossiers > 0) levels[level] = { dossiers, staffDays, perStaffPerYear: staffDays === 0 ? null : (dossiers * yearDays) / staffDays };
    }
    out[String(year)] = levels;
  }
  return out;
}
