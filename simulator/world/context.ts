/**
 * The precomputed, read-only tables a world needs (cohort offsets, commune weights, dossiers per
 * day). Built once in createWorld — O(years + communes + days), never O(entities) — and passed to
 * every generator, so that entity i is computable in O(1) from (context, i).
 */
import { buildCohorts, type CohortTable } from './population.js';
import { buildDossierCalendar, type DossierCalendar } from './dossier-calendar.js';
import { OLD_COMMUNES } from './admin-units.js';
import { cumulate } from './prng.js';
import { dayOf, MS_PER_DAY, VN_OFFSET_MS } from './dates.js';
import { VNEID_LAUNCH_DATE } from './vneid.js';

export const FIRST_DOSSIER_DATE = '2021-01-01';
export const DEFAULT_AS_OF = '2025-12-31';

/** Sizes at scale 1.0 (DOMAIN.md § Volumes; the estimates are marked there). */
export const SCALE_ONE = {
  /** Ever-registered enterprises 1995–2027; ≈3,500 of them active in 2022. */
  businesses: 5_600,
  insuranceParticipants: 100_000,
  landParcels: 800_000,
} as const;

export interface WorldContext {
  readonly seed: number;
  readonly scale: number;
  readonly asOf: string;
  readonly asOfDay: number;
  /** End of the asOf day, local time, in UTC ms: nothing in the world happens after it. */
  readonly asOfEndMs: number;
  readonly cohorts: CohortTable;
  /** Cumulative population weight of OLD_COMMUNES (wards and towns are denser). */
  readonly communeWeights: readonly number[];
  readonly businessCount: number;
  readonly participantCount: number;
  readonly parcelCount: number;
  readonly calendar: DossierCalendar;
  /** First day the population DB records citizens' e-identification (vneid.ts); null = never. */
  readonly vneidFromDay: number | null;
}

export function createContext(seed: number, scale: number, asOf: string, vneidFrom: string | null = null): WorldContext {
  if (!Number.isInteger(seed)) throw new RangeError('seed must be an integer');
  if (!(scale > 0 && scale <= 20)) throw new RangeError('scale must be in (0, 20]');
  const asOfDay = dayOf(asOf);
  if (asOfDay < dayOf(FIRST_DOSSIER_DATE)) throw new RangeError(`asOf must be on or after ${FIRST_DOSSIER_DATE}`);
  const vneidFromDay = vneidFrom === null ? null : dayOf(vneidFrom);
  if (vneidFromDay !== null && vneidFromDay < dayOf(VNEID_LAUNCH_DATE)) throw new RangeError(`vneidFrom must be on or after ${VNEID_LAUNCH_DATE}, when VNeID accounts began`);
  const partial = { seed: seed >>> 0, scale, asOf, asOfDay, asOfEndMs: (asOfDay + 1) * MS_PER_DAY - VN_OFFSET_MS - 1 };
  return {
    ...partial,
    cohorts: buildCohorts(scale),
    communeWeights: cumulate(OLD_COMMUNES.map((c) => (c.kind === 'ward' ? 1.3 : c.kind === 'town' ? 1.4 : 1))),
    businessCount: Math.max(5, Math.round(SCALE_ONE.businesses * scale)),
    participantCount: Math.max(5, Math.round(SCALE_ONE.insuranceParticipants * scale)),
    parcelCount: Math.max(10, Math.round(SCALE_ONE.landParcels * scale)),
    calendar: buildDossierCalendar(partial.seed, scale, asOfDay),
    vneidFromDay,
  };
}
