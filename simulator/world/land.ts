/**
 * Land parcels (national land DB), index p ∈ [0, parcelCount). Parcels are laid out commune by
 * commune (rural communes hold more), so (commune, map sheet, parcel number) follows from the rank
 * inside the commune and is unique by construction. All certificates were first issued before 2021;
 * transfers (1995–2027) change the owner and re-issue the certificate.
 */
import type { WorldContext } from './context.js';
import type { LandOwnership, LandParcel, LandUseCode } from './types.js';
import { AffinePermutation, cumulate, hash4, Rng, upperBound } from './prng.js';
import { OLD_COMMUNES, type OldCommune } from './admin-units.js';
import { dateOf, dayOf, isoOf, localMs } from './dates.js';
import { pickCitizen } from './citizens.js';
import { pickActiveBusiness } from './businesses.js';
import { STREAM } from './streams.js';

const ISSUE_FROM = dayOf('1995-01-01');
const ISSUE_TO = dayOf('2020-12-31');
const HORIZON = dayOf('2027-12-31');
const COASTAL_DISTRICTS = new Set(['848', '849', '850', '851']);
/** Certificate series letters (*unverified*: the real series letters change with the form's edition). */
const SERIES = ['CS', 'CT', 'CU', 'CV', 'CX', 'DA', 'DB', 'DC', 'DD', 'DE', 'DG', 'DH', 'DK', 'DL', 'DM', 'DN', 'DO', 'DP', 'DQ', 'DR'] as const;

type UseMix = readonly (readonly [LandUseCode, number])[];
const MIX: Record<'ward' | 'town' | 'rural' | 'coastal', UseMix> = {
  ward: [['ODT', 0.7], ['CLN', 0.15], ['BHK', 0.1], ['LUC', 0.05]],
  town: [['ODT', 0.45], ['CLN', 0.25], ['LUC', 0.2], ['BHK', 0.1]],
  rural: [['ONT', 0.25], ['LUC', 0.35], ['CLN', 0.25], ['BHK', 0.05], ['NTS', 0.1]],
  coastal: [['ONT', 0.25], ['LUC', 0.25], ['CLN', 0.15], ['BHK', 0.1], ['NTS', 0.25]],
};
/** Area range in m² per use: residential plots are small, rice and aquaculture large. */
const AREA: Record<LandUseCode, readonly [number, number]> = {
  ODT: [40, 250], ONT: [100, 600], LUC: [800, 6000], CLN: [300, 4000], NTS: [1000, 12000], BHK: [300, 3000],
};

interface Layout {
  readonly ends: readonly number[];
  readonly serial: AffinePermutation;
}
const layouts = new WeakMap<WorldContext, Layout>();
function layout(ctx: WorldContext): Layout {
  let l = layouts.get(ctx);
  if (l === undefined) {
    const weights = cumulate(OLD_COMMUNES.map((c) => (c.kind === 'ward' ? 0.6 : c.kind === 'town' ? 0.8 : 1.2)));
    const total = weights[weights.length - 1] ?? 1;
    l = {
      ends: weights.map((w, i) => (i === weights.length - 1 ? ctx.parcelCount : Math.round((w / total) * ctx.parcelCount))),
      serial: new AffinePermutation(1_000_000, hash4(ctx.seed, STREAM.permutation, 5)),
    };
    layouts.set(ctx, l);
  }
  return l;
}

function mixOf(c: OldCommune): UseMix {
  if (c.kind === 'ward') return MIX.ward;
  if (c.kind === 'town') return MIX.town;
  return COASTAL_DISTRICTS.has(c.districtCode) ? MIX.coastal : MIX.rural;
}

/** An owner in the plan: `ref` is the citizen or business index, for O(1) look-ups. */
export interface ParcelOwner {
  readonly kind: 'citizen' | 'business';
  readonly id: string;
  readonly ref: number;
  readonly from: number;
}

export interface ParcelPlan {
  readonly index: number;
  readonly commune: OldCommune;
  /** Owners up to the 2027 horizon, in time order; `to` = next owner's `from`. */
  readonly owners: readonly ParcelOwner[];
}

function pickOwner(ctx: WorldContext, rng: Rng, day: number): Omit<ParcelOwner, 'from'> {
  if (rng.chance(0.06)) {
    const b = pickActiveBusiness(ctx, rng, day);
    if (b !== null) return { kind: 'business', id: b.enterpriseCode, ref: b.index };
  }
  const v = pickCitizen(ctx, rng, day, 22, 75);
  return { kind: 'citizen', id: v.personalId, ref: v.index };
}

export function parcelPlan(ctx: WorldContext, index: number): ParcelPlan {
  const l = layout(ctx);
  const communeIndex = upperBound(l.ends, index);
  const commune = OLD_COMMUNES[communeIndex];
  if (commune === undefined) throw new RangeError(`parcel ${index} out of range`);
  const rng = new Rng(ctx.seed, STREAM.parcel, index, 1);
  const issued = ISSUE_FROM + rng.int(ISSUE_TO - ISSUE_FROM + 1);
  const owners = [{ ...pickOwner(ctx, rng, issued), from: issued }];
  const transfers = rng.chance(0.25) ? (rng.chance(0.25) ? 2 : 1) : 0;
  let day = issued;
  for (let t = 0; t < transfers && day < HORIZON - 30; t++) {
    day = day + 30 + rng.int(HORIZON - day - 30);
    owners.push({ ...pickOwner(ctx, rng, day), from: day });
  }
  return { index, commune, owners };
}

const perSheetOf = (ctx: WorldContext, communeIndex: number): number => 150 + (hash4(ctx.seed, STREAM.parcel, communeIndex) % 250);
const communeStart = (l: Layout, communeIndex: number): number => (communeIndex === 0 ? 0 : (l.ends[communeIndex - 1] ?? 0));

/** Index of the parcel (commune, sheet, number), or null: O(1), the inverse of the layout. */
export function parcelIndexOf(ctx: WorldContext, communeCode: string, mapSheet: number, parcelNumber: number): number | null {
  const l = layout(ctx);
  const communeIndex = OLD_COMMUNES.findIndex((c) => c.code === communeCode);
  if (communeIndex < 0 || !Number.isInteger(mapSheet) || !Number.isInteger(parcelNumber)) return null;
  const perSheet = perSheetOf(ctx, communeIndex);
  if (mapSheet < 1 || parcelNumber < 1 || parcelNumber > perSheet) return null;
  const index = communeStart(l, communeIndex) + (mapSheet - 1) * perSheet + parcelNumber - 1;
  return index < (l.ends[communeIndex] ?? 0) ? index : null;
}

export function parcelAt(ctx: WorldContext, index: number): LandParcel {
  const l = layout(ctx);
  const plan = parcelPlan(ctx, index);
  const communeIndex = upperBound(l.ends, index);
  const rank = index - communeStart(l, communeIndex);
  const perSheet = perSheetOf(ctx, communeIndex);
  const rng = new Rng(ctx.seed, STREAM.parcel, index, 2);
  const mix = mixOf(plan.commune);
  const useCode = mix[rng.weighted(cumulate(mix.map(([, w]) => w)))]?.[0] ?? 'ONT';
  const [lo, hi] = AREA[useCode];
  const tenths = Math.round(lo * Math.exp(rng.next() * Math.log(hi / lo)) * 10);
  const shown = plan.owners.filter((o) => o.from <= ctx.asOfDay);
  const owners: LandOwnership[] = shown.map((o, i) => {
    const next = shown[i + 1];
    return { holderKind: o.kind, holderId: o.id, from: dateOf(o.from), to: next === undefined ? null : dateOf(next.from) };
  });
  const certificate = index * 4 + shown.length - 1;
  const lastChange = shown[shown.length - 1]?.from ?? ISSUE_FROM;
  return {
    communeCode: plan.commune.code,
    mapSheet: Math.floor(rank / perSheet) + 1,
    parcelNumber: (rank % perSheet) + 1,
    area: `${Math.floor(tenths / 10)}.${tenths % 10}`,
    useCode,
    certificateSerial: (SERIES[Math.floor(certificate / 1_000_000) % SERIES.length] ?? 'CS') + String(l.serial.apply(certificate % 1_000_000)).padStart(6, '0'),
    owners,
    updatedAt: isoOf(localMs(lastChange, 450 + (hash4(ctx.seed, index, lastChange) % 570))),
  };
}

export function* landParcels(ctx: WorldContext): Iterable<LandParcel> {
  for (let p = 0; p < ctx.parcelCount; p++) yield parcelAt(ctx, p);
}

/** Owner of parcel p on a day (for land dossiers' applicants). */
export function ownerOn(ctx: WorldContext, index: number, day: number): ParcelOwner {
  const plan = parcelPlan(ctx, index);
  let owner = plan.owners[0];
  for (const o of plan.owners) if (o.from <= day) owner = o;
  if (owner === undefined) throw new RangeError(`parcel ${index} has no owner`);
  return owner;
}
