/**
 * Enterprises (national business registry), index j ∈ [0, businessCount). A business exists once
 * registered on or before asOf. Its code is Trà Vinh's tax-province prefix + a 7-digit serial from a
 * slot of 4 serials per index (4j…4j+3: the first whose check digit is not 10), so codes are unique
 * and computable in O(1).
 */
import type { WorldContext } from './context.js';
import type { Business, BusinessStatus, LegalType } from './types.js';
import { hash4, Rng } from './prng.js';
import { dateOf, dayOf, isoOf, localMs } from './dates.js';
import { makeEnterpriseCode } from './identifiers.js';
import { businessName } from './names.js';
import { pickCitizen } from './citizens.js';
import { OLD_COMMUNES } from './admin-units.js';
import { STREAM } from './streams.js';

/** Tax-code prefix of Trà Vinh enterprises (*unverified*: '21' as observed on public listings). */
export const TAX_PROVINCE_PREFIX = '21';
const SERIAL_BASE = 100_000;
const SERIALS_PER_INDEX = 4;
const LAST_DAY = dayOf('2027-12-31');
const LEGAL_TYPES: readonly LegalType[] = ['DNTN', 'TNHH1TV', 'TNHH2TV', 'CP'];
const LEGAL_TYPE_WEIGHTS = [0.15, 0.6, 0.85, 1] as const;

export interface BusinessVitals {
  readonly index: number;
  readonly enterpriseCode: string;
  readonly registrationDay: number;
  readonly dissolutionDay: number | null;
  readonly suspensionDay: number | null;
  readonly communeIndex: number;
}

export function enterpriseCodeOf(index: number): string {
  for (let t = 0; t < SERIALS_PER_INDEX; t++) {
    const code = makeEnterpriseCode(TAX_PROVINCE_PREFIX, SERIAL_BASE + index * SERIALS_PER_INDEX + t);
    if (code !== null) return code;
  }
  // Consecutive serials add 3 to the weighted sum (or 3−22 ≡ 3 mod 11 across a carry), so at most
  // two of four consecutive serials have sum ≡ 0 mod 11: unreachable, kept as a guard.
  throw new RangeError(`no valid serial for business ${index}`);
}

/** Registration eras: 40% 1995–2009, 35% 2010–2020, 25% 2021–2027 (≈3,500 active in 2022 at scale 1). */
const ERAS = [
  [0.4, dayOf('1995-01-01'), dayOf('2009-12-31')],
  [0.75, dayOf('2010-01-01'), dayOf('2020-12-31')],
  [1, dayOf('2021-01-01'), dayOf('2027-12-31')],
] as const;

function registrationDayOf(rng: Rng): number {
  const u = rng.next();
  const [, start, end] = ERAS.find(([upTo]) => u < upTo) ?? ERAS[2];
  return start + rng.int(end - start + 1);
}

export function businessVitals(ctx: WorldContext, index: number): BusinessVitals {
  const rng = new Rng(ctx.seed, STREAM.business, index);
  const registrationDay = registrationDayOf(rng);
  const communeIndex = rng.weighted(ctx.communeWeights);
  const dissolves = rng.chance(0.4) && registrationDay + 365 < LAST_DAY;
  const dissolutionDay = dissolves ? registrationDay + 365 + rng.int(LAST_DAY - registrationDay - 365) : null;
  const suspends = rng.chance(0.06) && registrationDay + 180 < (dissolutionDay ?? LAST_DAY);
  const suspensionDay = suspends ? registrationDay + 180 + rng.int((dissolutionDay ?? LAST_DAY) - registrationDay - 180) : null;
  return { index, enterpriseCode: enterpriseCodeOf(index), registrationDay, dissolutionDay, suspensionDay, communeIndex };
}

export function isActiveOn(b: BusinessVitals, day: number): boolean {
  return b.registrationDay <= day && (b.dissolutionDay === null || b.dissolutionDay > day);
}

export function businessAt(ctx: WorldContext, index: number): Business | null {
  const v = businessVitals(ctx, index);
  if (v.registrationDay > ctx.asOfDay) return null;
  const rng = new Rng(ctx.seed, STREAM.business, index, 1);
  const legalType = LEGAL_TYPES[LEGAL_TYPE_WEIGHTS.findIndex((w) => rng.next() < w)] ?? 'TNHH1TV';
  const representative = pickCitizen(ctx, rng, v.registrationDay, 20, 70);
  const status: BusinessStatus =
    v.dissolutionDay !== null && v.dissolutionDay <= ctx.asOfDay ? 'dissolved' : v.suspensionDay !== null && v.suspensionDay <= ctx.asOfDay ? 'suspended' : 'active';
  // Amendments (address, capital, representative's details) bump updatedAt without changing these fields.
  let lastChange = v.registrationDay;
  for (const day of [v.suspensionDay, v.dissolutionDay, v.registrationDay + rng.int(3000)]) {
    if (day !== null && day <= ctx.asOfDay && day > lastChange) lastChange = day;
  }
  return {
    enterpriseCode: v.enterpriseCode,
    name: businessName(rng, legalType),
    legalType,
    legalRepresentativeId: representative.personalId,
    communeCode: OLD_COMMUNES[v.communeIndex]?.code ?? '',
    registrationDate: dateOf(v.registrationDay),
    dissolutionDate: v.dissolutionDay !== null && v.dissolutionDay <= ctx.asOfDay ? dateOf(v.dissolutionDay) : null,
    status,
    updatedAt: isoOf(localMs(lastChange, 450 + (hash4(ctx.seed, index, lastChange) % 570))),
  };
}

export function* businesses(ctx: WorldContext): Iterable<Business> {
  for (let j = 0; j < ctx.businessCount; j++) {
    const business = businessAt(ctx, j);
    if (business !== null) yield business;
  }
}

export function businessCount(ctx: WorldContext): number {
  let count = 0;
  for (let j = 0; j < ctx.businessCount; j++) if (businessVitals(ctx, j).registrationDay <= ctx.asOfDay) count++;
  return count;
}

/** A business active on day (O(1) expected), or null if none is. */
export function pickActiveBusiness(ctx: WorldContext, rng: Rng, day: number): BusinessVitals | null {
  for (let attempt = 0; attempt < 32; attempt++) {
    const b = businessVitals(ctx, rng.int(ctx.businessCount));
    if (isActiveOn(b, day)) return b;
  }
  const start = rng.int(ctx.businessCount);
  for (let k = 0; k < ctx.businessCount; k++) {
    const b = businessVitals(ctx, (start + k) % ctx.businessCount);
    if (isActiveOn(b, day)) return b;
  }
  return null;
}
