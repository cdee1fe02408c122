/**
 * How many dossiers are received each day, 2021-01-01 → asOf. A day's volume depends only on
 * (seed, scale, day) — never on asOf — so a later asOf gives a superset world. Dossier (day, k),
 * k < count(day), is then computable on its own.
 */
import { hash4, unit, upperBound } from './prng.js';
import { dayOf, weekday, yearOf } from './dates.js';
import { STREAM } from './streams.js';

export const DOSSIER_DAY0 = dayOf('2021-01-01');

/** Dossiers received per year at scale 1 (DOMAIN.md: 150k–250k a year, an estimate). */
function yearlyVolume(year: number): number {
  const table: Record<number, number> = { 2021: 165_000, 2022: 180_000, 2023: 195_000, 2024: 210_000, 2025: 220_000 };
  return table[year] ?? 220_000 + (year - 2025) * 8_000;
}

/** Offices work Monday–Friday (Saturday mornings at some); weekend dossiers are online. */
function weekdayFactor(day: number): number {
  const w = weekday(day);
  return w === 0 ? 0.05 : w === 6 ? 0.2 : 1.35;
}

export interface DossierCalendar {
  readonly day0: number;
  /** counts[d] = dossiers received on day0 + d. */
  readonly counts: readonly number[];
  /** ends[d] = dossiers received up to and including day0 + d. */
  readonly ends: readonly number[];
  readonly total: number;
}

export function buildDossierCalendar(seed: number, scale: number, asOfDay: number): DossierCalendar {
  const counts: number[] = [];
  const ends: number[] = [];
  let total = 0;
  for (let day = DOSSIER_DAY0; day <= asOfDay; day++) {
    const expected = (yearlyVolume(yearOf(day)) / 365) * scale * weekdayFactor(day) * (0.85 + 0.3 * unit(hash4(seed, STREAM.dossierDay, day)));
    // Stochastic rounding keeps small scales unbiased (0.3 expected dossiers → 0 or 1).
    const count = Math.floor(expected + unit(hash4(seed, STREAM.dossierDay, day, 1)));
    counts.push(count);
    ends.push((total += count));
  }
  return { day0: DOSSIER_DAY0, counts, ends, total };
}

export function dossiersOn(calendar: DossierCalendar, day: number): number {
  return calendar.counts[day - calendar.day0] ?? 0;
}

/** (day, k) of the n-th dossier in stream order. */
export function dossierPosition(calendar: DossierCalendar, n: number): readonly [number, number] {
  const d = upperBound(calendar.ends, n);
  return [calendar.day0 + d, n - (d === 0 ? 0 : (calendar.ends[d - 1] ?? 0))];
}
