/**
 * Social-insurance participants (national social-insurance DB), index k ∈ [0, participantCount).
 * Each participant is a distinct citizen: k maps injectively into the adult index range (born
 * 1961–2002) through a bijection, with fallbacks k + m·P that no other k can reach. Everyone joined
 * before 2021 (the DB snapshot starts then); new contribution periods happen afterwards.
 */
import type { WorldContext } from './context.js';
import type { ContributionPeriod, InsuranceParticipant } from './types.js';
import { AffinePermutation, hash4, Rng } from './prng.js';
import { birthYearRange, citizenVitals, type CitizenVitals } from './population.js';
import { businessVitals, isActiveOn, pickActiveBusiness } from './businesses.js';
import { dateOf, dayOf, isoOf, localMs } from './dates.js';
import { STREAM } from './streams.js';

const JOINED_BY = dayOf('2020-12-31');
const EARLIEST_START = dayOf('1995-01-01');
const HORIZON = dayOf('2027-12-31');
/** Province part of the code and card (*unverified*: the real BHXH code has no fixed province digits). */
const CODE_PREFIX = '84';

export interface ParticipantPlan {
  readonly index: number;
  readonly citizen: CitizenVitals;
  readonly insuranceCode: string;
  /** All periods up to the 2027 horizon; `to` null = open-ended. */
  readonly periods: readonly { readonly from: number; readonly to: number | null; readonly employerIndex: number | null }[];
}

const perms = new WeakMap<WorldContext, { readonly lo: number; readonly perm: AffinePermutation; readonly code: AffinePermutation }>();
function tables(ctx: WorldContext) {
  let t = perms.get(ctx);
  if (t === undefined) {
    const [lo, hi] = birthYearRange(ctx.cohorts, 1961, 2002);
    t = {
      lo,
      perm: new AffinePermutation(hi - lo, hash4(ctx.seed, STREAM.permutation, 3)),
      code: new AffinePermutation(100_000_000, hash4(ctx.seed, STREAM.permutation, 4)),
    };
    perms.set(ctx, t);
  }
  return t;
}

function eligible(v: CitizenVitals): boolean {
  return !v.deleted && (v.deathDay === null || v.deathDay > JOINED_BY) && v.birthDay + 18 * 366 <= JOINED_BY;
}

export function participantPlan(ctx: WorldContext, index: number): ParticipantPlan {
  const t = tables(ctx);
  let citizen: CitizenVitals | null = null;
  for (let m = 0; citizen === null; m++) {
    const slot = index + m * ctx.participantCount;
    if (slot >= t.perm.n) throw new RangeError(`no eligible citizen left for participant ${index}`);
    const v = citizenVitals(ctx.seed, ctx.cohorts, t.lo + t.perm.apply(slot));
    if (eligible(v)) citizen = v;
  }
  const rng = new Rng(ctx.seed, STREAM.participant, index);
  const adult = Math.max(EARLIEST_START, citizen.birthDay + Math.ceil(18 * 365.25));
  const retirement = citizen.birthDay + Math.round((citizen.sex === 'M' ? 61 : 56) * 365.25);
  const end = Math.min(HORIZON, retirement, citizen.deathDay ?? HORIZON);
  const periods: { from: number; to: number | null; employerIndex: number | null }[] = [];
  let from = adult + rng.int(Math.max(1, Math.min(JOINED_BY, end) - adult));
  const count = 1 + rng.int(3);
  for (let p = 0; p < count && from < end; p++) {
    const employer = rng.chance(0.12) ? null : pickActiveBusiness(ctx, rng, from);
    const length = Math.round(-Math.log(1 - rng.next()) * 6 * 365) + 60;
    let to = Math.min(from + length, end);
    if (employer?.dissolutionDay != null) to = Math.min(to, employer.dissolutionDay);
    periods.push({ from, to: to >= HORIZON ? null : to, employerIndex: employer?.index ?? null });
    from = to + 30 + rng.int(700);
  }
  const insuranceCode = CODE_PREFIX + String(t.code.apply(index)).padStart(8, '0');
  return { index, citizen, insuranceCode, periods };
}

export function participantAt(ctx: WorldContext, index: number): InsuranceParticipant {
  const plan = participantPlan(ctx, index);
  const periods: ContributionPeriod[] = [];
  let lastChange = plan.periods[0]?.from ?? JOINED_BY;
  for (const p of plan.periods) {
    if (p.from > ctx.asOfDay) break;
    const ended = p.to !== null && p.to <= ctx.asOfDay;
    lastChange = Math.max(lastChange, ended && p.to !== null ? p.to : p.from);
    periods.push({
      from: dateOf(p.from),
      to: ended && p.to !== null ? dateOf(p.to) : null,
      employerCode: p.employerIndex === null ? null : businessVitals(ctx, p.employerIndex).enterpriseCode,
    });
  }
  const last = periods[periods.length - 1];
  // A participant whose last period has ended gets a pensioner's card (HT2) once 55: a dated change.
  const lastEnd = last?.to == null ? null : dayOf(last.to);
  const retiredDay = lastEnd === null ? null : Math.max(lastEnd, plan.citizen.birthDay + 55 * 365);
  const retired = retiredDay !== null && retiredDay <= ctx.asOfDay;
  if (retired) lastChange = Math.max(lastChange, retiredDay);
  const group = retired ? 'HT2' : last?.employerCode == null ? 'GD4' : 'DN4';
  return {
    insuranceCode: plan.insuranceCode,
    personalId: plan.citizen.personalId,
    employerCode: last?.employerCode ?? null,
    contributionPeriods: periods,
    healthCardNumber: `${group}${CODE_PREFIX}${plan.insuranceCode}`,
    updatedAt: isoOf(localMs(lastChange, 450 + (hash4(ctx.seed, index, lastChange) % 570))),
  };
}

export function* insuranceParticipants(ctx: WorldContext): Iterable<InsuranceParticipant> {
  for (let k = 0; k < ctx.participantCount; k++) yield participantAt(ctx, k);
}

/** True if the participant's employer (when any) was active throughout each period — for tests. */
export function employersConsistent(ctx: WorldContext, index: number): boolean {
  return participantPlan(ctx, index).periods.every((p) => p.employerIndex === null || isActiveOn(businessVitals(ctx, p.employerIndex), p.from));
}

/** Index of the participant with this BHXH code, or null (O(1): the code is a bijection of the index). */
export function participantIndexOf(ctx: WorldContext, insuranceCode: string): number | null {
  if (!/^\d{10}$/.test(insuranceCode) || !insuranceCode.startsWith(CODE_PREFIX)) return null;
  const index = tables(ctx).code.invert(Number(insuranceCode.slice(2)));
  return index < ctx.participantCount ? index : null;
}
