/**
 * Citizens (national population DB). Index i ∈ [0, cohorts.total) is a citizen; it exists in the
 * world once its registration day ≤ asOf. Households: a fixed permutation scatters citizens into
 * blocks of 8 positions, each block split into households of 1–6; a household shares a commune
 * and may move once (2021–2027). Current state is in {@link Citizen}; the moves are in
 * {@link residenceHistory} so that ground truth at any date can be computed.
 */
import type { WorldContext } from './context.js';
import type { Citizen, ResidencePeriod } from './types.js';
import { AffinePermutation, hash4, Rng } from './prng.js';
import { birthYearRange, citizenVitals, isUsableAt, type CitizenVitals } from './population.js';
import { OLD_COMMUNES } from './admin-units.js';
import { dateOf, dayOf, isoOf, localMs } from './dates.js';
import { personName } from './names.js';
import { STREAM } from './streams.js';
import { vneidRecord } from './vneid.js';

const BLOCK = 8;
const HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6] as const;
const HOUSEHOLD_SIZE_WEIGHTS = [0.1, 0.3, 0.55, 0.8, 0.92, 1] as const;
const MOVE_WINDOW_START = dayOf('2021-01-01');
const MOVE_WINDOW_DAYS = 7 * 365;

interface Household {
  readonly id: string;
  readonly communeIndex: number;
  readonly moveDay: number | null;
  readonly movedToIndex: number;
  readonly familyHash: number;
}

const permutations = new WeakMap<WorldContext, AffinePermutation>();
function householdPermutation(ctx: WorldContext): AffinePermutation {
  let perm = permutations.get(ctx);
  if (perm === undefined) {
    perm = new AffinePermutation(ctx.cohorts.total, hash4(ctx.seed, STREAM.permutation, 2));
    permutations.set(ctx, perm);
  }
  return perm;
}

function householdOf(ctx: WorldContext, index: number): Household {
  const position = householdPermutation(ctx).apply(index);
  const block = Math.floor(position / BLOCK);
  const slot = position % BLOCK;
  const layout = new Rng(ctx.seed, STREAM.household, block);
  let start = 0;
  let sub = 0;
  for (;;) {
    const u = layout.next();
    const size = HOUSEHOLD_SIZES[HOUSEHOLD_SIZE_WEIGHTS.findIndex((w) => u < w)] ?? 3;
    if (slot < start + size) break;
    start += size;
    sub++;
  }
  const rng = new Rng(ctx.seed, STREAM.householdMove, block, sub);
  const communeIndex = rng.weighted(ctx.communeWeights);
  const moves = rng.chance(0.07);
  const moveDay = moves ? MOVE_WINDOW_START + rng.int(MOVE_WINDOW_DAYS) : null;
  let movedToIndex = rng.weighted(ctx.communeWeights);
  if (movedToIndex === communeIndex) movedToIndex = (movedToIndex + 1) % OLD_COMMUNES.length;
  return { id: `HK${String(block * BLOCK + start).padStart(10, '0')}`, communeIndex, moveDay, movedToIndex, familyHash: rng.nextUint32() };
}

function communeCodeAt(index: number): string {
  return OLD_COMMUNES[index]?.code ?? '';
}

/** Residence of citizen i on a day (old commune code). */
export function residenceAt(ctx: WorldContext, index: number, day: number): string {
  const h = householdOf(ctx, index);
  return communeCodeAt(h.moveDay !== null && h.moveDay <= day ? h.movedToIndex : h.communeIndex);
}

/** Where citizen i lived, up to asOf; `to` is exclusive. */
export function residenceHistory(ctx: WorldContext, index: number): readonly ResidencePeriod[] {
  const v = citizenVitals(ctx.seed, ctx.cohorts, index);
  const h = householdOf(ctx, index);
  const born = dateOf(v.birthDay);
  if (h.moveDay === null || h.moveDay > ctx.asOfDay) return [{ communeCode: communeCodeAt(h.communeIndex), from: born, to: null }];
  if (h.moveDay <= v.birthDay) return [{ communeCode: communeCodeAt(h.movedToIndex), from: born, to: null }];
  const moved = dateOf(h.moveDay);
  return [
    { communeCode: communeCodeAt(h.communeIndex), from: born, to: moved },
    { communeCode: communeCodeAt(h.movedToIndex), from: moved, to: null },
  ];
}

/** Office-hours timestamp of an event in the population DB. */
function eventMs(ctx: WorldContext, index: number, day: number, salt: number): number {
  return localMs(day, 450 + (hash4(ctx.seed, index, day, salt) % 570)) + (hash4(salt, index, day) % 1000);
}

/** Share of citizens whose record is corrected once (a misspelt name fixed) — *estimate*: ≈14 a day at scale 1. */
const P_CORRECTION = 0.035;
const CORRECTION_WINDOW_DAYS = 7 * 365;
/** Cancelled duplicates are found at a steady pace from 2021-07-01 to the 2027 horizon (≈0.8 a day at scale 1). */
const DELETIONS_FROM = dayOf('2021-07-01');
const DELETIONS_DAYS = dayOf('2027-12-31') - DELETIONS_FROM;

/** The day the population DB corrects citizen i's name, if it ever does (fixed: independent of asOf). */
function correctionDay(ctx: WorldContext, index: number, registrationDay: number): number | null {
  const rng = new Rng(ctx.seed, STREAM.citizenCorrection, index);
  return rng.chance(P_CORRECTION) ? registrationDay + 1 + rng.int(CORRECTION_WINDOW_DAYS) : null;
}

/** The day a duplicate (deleted) record is cancelled: at least 30 days after it was registered. */
function deletionDay(ctx: WorldContext, v: CitizenVitals): number {
  return Math.max(v.registrationDay + 30, DELETIONS_FROM + (hash4(ctx.seed, STREAM.citizenDeleted, v.index, 1) % DELETIONS_DAYS));
}

/** The day a death is reported to the population DB (1–15 days after it), when it happens. */
function deathReportDay(ctx: WorldContext, v: CitizenVitals): number | null {
  return v.deathDay === null ? null : Math.max(v.deathDay + 1 + (hash4(ctx.seed, v.index, 3) % 15), v.registrationDay);
}

/** How a name was first mistyped: without its diacritics (or, when it has none, with two words swapped). */
function misspelt(name: string): string {
  const plain = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  if (plain !== name) return plain;
  const words = name.split(' ');
  return words.length < 2 ? `${name}h` : [...words.slice(0, -2), words[words.length - 1], words[words.length - 2]].join(' ');
}

/**
 * The record of citizen i as the population DB shows it at asOf; null if not yet registered.
 * Every change is dated (registration, move, reported death, name correction, cancellation) and
 * moves updatedAt to that day: a record looks the same at any asOf until its next change.
 */
export function citizenAt(ctx: WorldContext, index: number): Citizen | null {
  const v = citizenVitals(ctx.seed, ctx.cohorts, index);
  if (v.registrationDay > ctx.asOfDay) return null;
  const h = householdOf(ctx, index);
  const rng = new Rng(ctx.seed, STREAM.citizen, index, 1);
  let fullName = personName(rng, v.sex);
  if (rng.chance(0.7)) {
    const family = personName(new Rng(h.familyHash, STREAM.household), 'M').split(' ')[0] ?? '';
    fullName = `${family} ${fullName.slice(fullName.indexOf(' ') + 1)}`;
  }
  let updatedMs = eventMs(ctx, index, v.registrationDay, 1);
  if (h.moveDay !== null && h.moveDay > v.registrationDay && h.moveDay <= ctx.asOfDay) updatedMs = eventMs(ctx, index, h.moveDay, 2);
  const reported = deathReportDay(ctx, v);
  const deathKnown = reported !== null && reported <= ctx.asOfDay;
  if (deathKnown) updatedMs = Math.max(updatedMs, eventMs(ctx, index, reported, 3));
  const corrected = correctionDay(ctx, index, v.registrationDay);
  if (corrected !== null) {
    if (corrected <= ctx.asOfDay) updatedMs = Math.max(updatedMs, eventMs(ctx, index, corrected, 5));
    else fullName = misspelt(fullName);
  }
  const cancelled = v.deleted && deletionDay(ctx, v) <= ctx.asOfDay;
  if (cancelled) updatedMs = Math.max(updatedMs, eventMs(ctx, index, deletionDay(ctx, v), 4));
  const vneid = vneidRecord(ctx, v);
  for (const day of vneid?.changeDays ?? []) updatedMs = Math.max(updatedMs, eventMs(ctx, index, day, 6));
  const citizen: Citizen = {
    personalId: v.personalId,
    fullName,
    birthDate: dateOf(v.birthDay),
    sex: v.sex,
    householdId: h.id,
    residenceCommuneCode: residenceAt(ctx, index, ctx.asOfDay),
    deathDate: deathKnown && v.deathDay !== null ? dateOf(v.deathDay) : null,
    updatedAt: isoOf(updatedMs),
  };
  // Only where the population DB records it: without the option the record is as it always was.
  const shown = vneid === null ? citizen : { ...citizen, vneidLevel: vneid.level };
  return cancelled ? { ...shown, deleted: true } : shown;
}

export function* citizens(ctx: WorldContext): Iterable<Citizen> {
  for (let i = 0; i < ctx.cohorts.total; i++) {
    const citizen = citizenAt(ctx, i);
    if (citizen !== null) yield citizen;
  }
}

/** Exact number of registered citizens at asOf, iterating only cohorts that straddle asOf. */
export function citizenCount(ctx: WorldContext): number {
  let count = 0;
  for (let i = 0; i < ctx.cohorts.total; ) {
    const v = citizenVitals(ctx.seed, ctx.cohorts, i);
    // Whole birth year registered (born ≤ asOf−31 days and migration done) → skip ahead.
    const [, yearEnd] = birthYearRange(ctx.cohorts, v.birthYear, v.birthYear);
    const lastRegistration = v.birthYear < 2021 ? dayOf('2021-06-30') : dayOf(`${v.birthYear + 1}-01-31`);
    if (lastRegistration <= ctx.asOfDay) {
      count += yearEnd - i;
      i = yearEnd;
      continue;
    }
    if (v.registrationDay <= ctx.asOfDay) count++;
    i++;
  }
  return count;
}

/**
 * A usable citizen (alive, not cancelled) aged [minAge, maxAge] on day, drawn from rng.
 * O(1) expected: the age band is a contiguous index range; a few retries skip the dead.
 */
export function pickCitizen(
  ctx: WorldContext,
  rng: Rng,
  day: number,
  minAge: number,
  maxAge: number,
  accept: (index: number) => boolean = () => true,
): CitizenVitals {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  const [lo, hi] = birthYearRange(ctx.cohorts, year - maxAge, year - minAge);
  if (hi <= lo) throw new RangeError(`no citizens aged ${minAge}–${maxAge} in ${year}`);
  // The predicate is cheap (a hash), so it gets many more tries than the vitals check.
  for (let attempt = 0; attempt < 1024; attempt++) {
    const index = lo + rng.int(hi - lo);
    if (!accept(index)) continue;
    const v = citizenVitals(ctx.seed, ctx.cohorts, index);
    if (isUsableAt(v, day, minAge)) return v;
  }
  throw new RangeError(`no usable citizen aged ${minAge}–${maxAge} on day ${day}`);
}
