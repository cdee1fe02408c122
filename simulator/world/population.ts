/**
 * The population as birth cohorts. Citizen indices are laid out cohort by cohort (birth year
 * ascending, then male, then female), so that:
 *  - a citizen's birth year and sex follow from its index by binary search over ~200 offsets;
 *  - its rank inside the cohort gives the last 6 digits of the personal ID injectively
 *    (rank → affine bijection on [0, 10^6)), hence no collisions, whatever the birth province;
 *  - "an adult born between y1 and y2" is a contiguous index range, so picks are O(1).
 * Cohort sizes follow a plausible Trà Vinh pyramid (2019 census shape, approximate).
 */
import { AffinePermutation, hash4, Rng, unit, upperBound } from './prng.js';
import { dayOf, yearStart } from './dates.js';
import { formatPersonalId } from './identifiers.js';
import { STREAM } from './streams.js';

export const FIRST_BIRTH_YEAR = 1925;
/** Births are laid out up to this year; a citizen exists once registered on or before asOf. */
export const LAST_BIRTH_YEAR = 2027;
/** People born before 2021 entered the national population DB while it filled, H1 2021. */
const MIGRATION_START = dayOf('2021-01-01');
const MIGRATION_DAYS = 180;
const DEATH_WINDOW_START = dayOf('2021-01-01');
const DEATH_WINDOW_END = dayOf('2027-12-31');
/** Citizens per unit of pyramid weight per birth year at scale 1 (calibrated: ≈1,009,000 alive at 2025-12-31). */
const PER_WEIGHT_UNIT = 8_400;
const OTHER_BIRTH_PROVINCES = ['083', '086', '079', '094', '092', '089', '087', '082', '080', '096'] as const;

function pyramidWeight(year: number): number {
  if (year >= 2021) return 1.25;
  if (year >= 2001) return 1.5;
  if (year >= 1976) return 1.75;
  if (year >= 1961) return 1.5;
  if (year >= 1951) return 1.0;
  if (year >= 1941) return 0.55;
  if (year >= 1931) return 0.2;
  return 0.05;
}

function maleShare(year: number): number {
  return year >= 1961 ? 0.505 : year >= 1941 ? 0.45 : 0.38;
}

export interface CohortTable {
  readonly total: number;
  /** ends[c] = first index after cohort c; cohort c = (FIRST_BIRTH_YEAR + ⌊c/2⌋, c even ? M : F). */
  readonly ends: readonly number[];
}

export function buildCohorts(scale: number): CohortTable {
  const ends: number[] = [];
  let total = 0;
  for (let year = FIRST_BIRTH_YEAR; year <= LAST_BIRTH_YEAR; year++) {
    const size = pyramidWeight(year) * PER_WEIGHT_UNIT * scale;
    const males = Math.round(size * maleShare(year));
    const females = Math.round(size) - males;
    if (males > 1_000_000 || females > 1_000_000) throw new RangeError('cohort too large for 6-digit serials');
    ends.push((total += males));
    ends.push((total += females));
  }
  return { total, ends };
}

export function cohortStart(table: CohortTable, cohort: number): number {
  return cohort === 0 ? 0 : (table.ends[cohort - 1] ?? table.total);
}

/** Index range [start, end) of everyone born in [fromYear, toYear]. */
export function birthYearRange(table: CohortTable, fromYear: number, toYear: number): readonly [number, number] {
  const lo = Math.max(FIRST_BIRTH_YEAR, fromYear);
  const hi = Math.min(LAST_BIRTH_YEAR, toYear);
  if (hi < lo) return [0, 0];
  return [cohortStart(table, (lo - FIRST_BIRTH_YEAR) * 2), table.ends[(hi - FIRST_BIRTH_YEAR) * 2 + 1] ?? table.total];
}

export interface CitizenVitals {
  readonly index: number;
  readonly personalId: string;
  readonly sex: 'M' | 'F';
  readonly birthYear: number;
  readonly birthDay: number;
  readonly deathDay: number | null;
  /** Day the record entered the population DB (migration in H1 2021, or birth registration). */
  readonly registrationDay: number;
  readonly deleted: boolean;
}

function annualHazard(age: number): number {
  if (age < 40) return 0.0007;
  if (age < 60) return 0.003;
  if (age < 70) return 0.012;
  if (age < 80) return 0.03;
  if (age < 90) return 0.08;
  return 0.2;
}

const serialPermutations = new Map<number, AffinePermutation>();
function serialPermutation(seed: number): AffinePermutation {
  let perm = serialPermutations.get(seed);
  if (perm === undefined) {
    perm = new AffinePermutation(1_000_000, hash4(seed, STREAM.permutation, 1));
    serialPermutations.set(seed, perm);
  }
  return perm;
}

/** Each cohort starts its serials elsewhere, so that rank 0 of every cohort does not share digits. */
const cohortShift = (seed: number, cohort: number): number => hash4(seed, STREAM.permutation, 6, cohort) % 1_000_000;

/** Last 6 digits of the personal ID: a bijection of the rank inside the (birth year, sex) cohort. */
export function serialOf(seed: number, cohort: number, rank: number): number {
  return serialPermutation(seed).apply((rank + cohortShift(seed, cohort)) % 1_000_000);
}

/** Inverse of {@link serialOf}. */
export function rankOf(seed: number, cohort: number, serial: number): number {
  return (serialPermutation(seed).invert(serial) - cohortShift(seed, cohort) + 1_000_000) % 1_000_000;
}

/** The O(1) core of citizen i: identity, birth, death. Names and residence live in citizens.ts. */
export function citizenVitals(seed: number, table: CohortTable, index: number): CitizenVitals {
  if (index < 0 || index >= table.total) throw new RangeError(`citizen index ${index} out of range`);
  const cohort = upperBound(table.ends, index);
  const birthYear = FIRST_BIRTH_YEAR + (cohort >> 1);
  const sex = cohort % 2 === 0 ? 'M' : 'F';
  const rank = index - cohortStart(table, cohort);
  const rng = new Rng(seed, STREAM.citizen, index);
  const start = yearStart(birthYear);
  const birthDay = start + rng.int(yearStart(birthYear + 1) - start);
  const province = rng.chance(0.9) ? '084' : rng.pick(OTHER_BIRTH_PROVINCES);
  const personalId = formatPersonalId(province, sex, birthYear, serialOf(seed, cohort, rank));
  const windowStart = Math.max(DEATH_WINDOW_START, birthDay);
  const years = (DEATH_WINDOW_END - windowStart) / 365.25;
  const hazard = annualHazard(2024 - birthYear);
  const dies = years > 0 && rng.chance(1 - Math.pow(1 - hazard, years));
  const deathDay = dies ? windowStart + 1 + rng.int(DEATH_WINDOW_END - windowStart) : null;
  const registrationDay = birthDay < MIGRATION_START ? MIGRATION_START + rng.int(MIGRATION_DAYS) : birthDay + 1 + rng.int(30);
  // Duplicates the population DB cancels later (citizens.ts dates it): ≈2,000 at scale 1, *estimate*.
  const deleted = unit(hash4(seed, STREAM.citizenDeleted, index)) < 0.002;
  return { index, personalId, sex, birthYear, birthDay, deathDay, registrationDay, deleted };
}

/** Alive, not cancelled, and at least minAge years old on day. */
export function isUsableAt(v: CitizenVitals, day: number, minAge: number): boolean {
  return !v.deleted && (v.deathDay === null || v.deathDay > day) && v.birthDay + minAge * 365.25 <= day;
}
