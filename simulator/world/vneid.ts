/**
 * Citizens' electronic identification (định danh điện tử: the VNeID accounts of Project 06) and
 * the day the population database starts recording it — the world's one evolution of a source's
 * schema, so that the platform can be run "before" and "after" a national database adds a field.
 *
 * Every citizen's account history is fixed (drawn from hash(seed, citizenVneid, index), like every
 * other event, independent of asOf). What depends on the option `vneidFrom` is only whether the
 * population DB shows it:
 *  - before `vneidFrom` (or without the option) its records have no `vneidLevel` at all, exactly
 *    as in a world without the option;
 *  - from `vneidFrom` every citizen record carries `vneidLevel` (null = no account). On that day
 *    the source fills the new field for everyone who holds an account then, which is a dated change
 *    of those records (updatedAt moves to that day); later activations move updatedAt on their day.
 *    Records without an account gain `vneidLevel: null` without their updatedAt moving: the one
 *    change of a record that is not dated, as when a database adds a nullable column.
 */
import type { WorldContext } from './context.js';
import { dayOf } from './dates.js';
import type { CitizenVitals } from './population.js';
import { Rng } from './prng.js';
import { STREAM } from './streams.js';
import type { VneidLevel } from './types.js';

/** Decree 59/2022/NĐ-CP on e-identification took effect: the first VNeID accounts. */
export const VNEID_LAUNCH_DATE = '2022-07-01';
const LAUNCH = dayOf(VNEID_LAUNCH_DATE);
/** The campaign that activated most accounts alongside the chip ID cards ran to the end of 2023. */
const CAMPAIGN_END = dayOf('2023-12-31');
/** The world's horizon (births, moves and deaths are laid out to 2027 as well). */
const HORIZON = dayOf('2027-12-31');
/** Accounts need an ID card, issued from 14 (accounts of younger children, from 2024 through a parent, are not modelled). */
const MIN_AGE_DAYS = Math.round(14 * 365.25);

// Shares of citizens aged 14+ — *estimates*, of the order of the national figures (tens of millions
// of level-2 accounts by 2024): with these, ~51 % are verified by the end of 2023, ~68 % by 2025.
/** Eventually verified (level 2). */
const P_LEVEL_2 = 0.85;
/** …of whom this share was verified during the 2022-2023 campaign. */
const P_IN_CAMPAIGN = 0.6;
/** …and this share had registered a level-1 account in the app before. */
const P_LEVEL_1_FIRST = 0.3;
/** Registered in the app (level 1) and never verified. */
const P_LEVEL_1_ONLY = 0.05;

/** The days a citizen's account reached level 1 and level 2; null = never (up to the horizon). */
export interface VneidHistory {
  readonly level1Day: number | null;
  readonly level2Day: number | null;
}

const NONE: VneidHistory = { level1Day: null, level2Day: null };

/** Citizen i's account history. Cancelled duplicates have none; nobody activates after death. */
export function vneidHistory(seed: number, v: CitizenVitals): VneidHistory {
  if (v.deleted) return NONE;
  const eligible = Math.max(LAUNCH, v.birthDay + MIN_AGE_DAYS, v.registrationDay);
  const lastDay = Math.min(HORIZON, v.deathDay === null ? HORIZON : v.deathDay - 1);
  if (eligible > lastDay) return NONE;
  const rng = new Rng(seed, STREAM.citizenVneid, v.index);
  const u = rng.next();
  if (u < P_LEVEL_2) {
    let day = rng.chance(P_IN_CAMPAIGN) ? rng.between(LAUNCH, CAMPAIGN_END) : rng.between(CAMPAIGN_END + 1, HORIZON);
    // Too young (or not yet registered) on the drawn day: within a year of becoming eligible.
    if (day < eligible) day = eligible + rng.int(365);
    const firstLevel1 = rng.chance(P_LEVEL_1_FIRST);
    if (day > lastDay) return NONE;
    const level1Day = firstLevel1 && day - eligible > 1 ? rng.between(eligible, day - 1) : null;
    return { level1Day, level2Day: day };
  }
  if (u < P_LEVEL_2 + P_LEVEL_1_ONLY) return { level1Day: rng.between(eligible, lastDay), level2Day: null };
  return NONE;
}

/** The account's level on a day. */
export function vneidLevelOn(history: VneidHistory, day: number): VneidLevel | null {
  if (history.level2Day !== null && history.level2Day <= day) return 2;
  if (history.level1Day !== null && history.level1Day <= day) return 1;
  return null;
}

/** What the population DB shows of citizen i's account at asOf: nothing before it records the field. */
export interface VneidRecord {
  readonly level: VneidLevel | null;
  /** Days on which the record changed because of it (the source's backfill, later activations), up to asOf. */
  readonly changeDays: readonly number[];
}

/** Citizen i's `vneidLevel` as the population DB shows it at asOf, or null when it does not record it (yet). */
export function vneidRecord(ctx: WorldContext, v: CitizenVitals): VneidRecord | null {
  const from = ctx.vneidFromDay;
  if (from === null || from > ctx.asOfDay) return null;
  const history = vneidHistory(ctx.seed, v);
  const changeDays: number[] = [];
  // The day the source starts recording, it fills the field for the accounts that exist then.
  if (vneidLevelOn(history, from) !== null) changeDays.push(from);
  for (const day of [history.level1Day, history.level2Day]) {
    if (day !== null && day > from && day <= ctx.asOfDay) changeDays.push(day);
  }
  return { level: vneidLevelOn(history, ctx.asOfDay), changeDays };
}
