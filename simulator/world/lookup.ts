/**
 * Get-by-identifier in O(1), without generating or storing the world: every identifier is a
 * bijection of an index, so it leads back to the index, and the record is recomputed. Meant for
 * the mock national services (GET /citizens/{id} and the like) and for tests.
 */
import type { WorldContext } from './context.js';
import type { Business, Citizen, DossierWithComponents, InsuranceParticipant, LandParcel, ResidencePeriod } from './types.js';
import { cohortStart, citizenVitals, FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR, rankOf } from './population.js';
import { citizenAt, residenceHistory } from './citizens.js';
import { businessAt, enterpriseCodeOf, TAX_PROVINCE_PREFIX } from './businesses.js';
import { participantAt, participantIndexOf } from './insurance.js';
import { parcelAt, parcelIndexOf } from './land.js';
import { dossierAt } from './dossiers.js';
import { dossiersOn } from './dossier-calendar.js';
import { dayOf } from './dates.js';
import { parsePersonalId } from './identifiers.js';

export interface WorldLookup {
  /** The citizen as of asOf, or null if unknown or not yet registered. */
  citizen(personalId: string): Citizen | null;
  residenceHistory(personalId: string): readonly ResidencePeriod[] | null;
  business(enterpriseCode: string): Business | null;
  insuranceParticipant(insuranceCode: string): InsuranceParticipant | null;
  landParcel(communeCode: string, mapSheet: number, parcelNumber: number): LandParcel | null;
  dossier(dossierCode: string): DossierWithComponents | null;
}

function citizenIndexOf(ctx: WorldContext, personalId: string): number | null {
  const parts = parsePersonalId(personalId);
  if (parts === null || parts.birthYear < FIRST_BIRTH_YEAR || parts.birthYear > LAST_BIRTH_YEAR) return null;
  const cohort = (parts.birthYear - FIRST_BIRTH_YEAR) * 2 + (parts.sex === 'F' ? 1 : 0);
  const start = cohortStart(ctx.cohorts, cohort);
  const rank = rankOf(ctx.seed, cohort, Number(parts.serial));
  const index = start + rank;
  if (index >= (ctx.cohorts.ends[cohort] ?? 0)) return null;
  // The birth-province digits are not part of the bijection: check them by recomputing.
  return citizenVitals(ctx.seed, ctx.cohorts, index).personalId === personalId ? index : null;
}

function businessIndexOf(ctx: WorldContext, code: string): number | null {
  if (!/^\d{10}$/.test(code) || !code.startsWith(TAX_PROVINCE_PREFIX)) return null;
  const index = Math.floor((Number(code.slice(2, 9)) - 100_000) / 4);
  return index >= 0 && index < ctx.businessCount && enterpriseCodeOf(index) === code ? index : null;
}

function dossierPositionOf(ctx: WorldContext, code: string): readonly [number, number] | null {
  const match = /-(\d{2})(\d{2})(\d{2})-(\d{5})$/.exec(code);
  if (match === null) return null;
  const day = dayOf(`20${match[1]}-${match[2]}-${match[3]}`);
  const k = Number(match[4]);
  return day <= ctx.asOfDay && k < dossiersOn(ctx.calendar, day) ? [day, k] : null;
}

export function createLookup(ctx: WorldContext): WorldLookup {
  return {
    citizen: (id) => {
      const index = citizenIndexOf(ctx, id);
      return index === null ? null : citizenAt(ctx, index);
    },
    residenceHistory: (id) => {
      const index = citizenIndexOf(ctx, id);
      return index === null || citizenAt(ctx, index) === null ? null : residenceHistory(ctx, index);
    },
    business: (code) => {
      const index = businessIndexOf(ctx, code);
      return index === null ? null : businessAt(ctx, index);
    },
    insuranceParticipant: (code) => {
      const index = participantIndexOf(ctx, code);
      return index === null ? null : participantAt(ctx, index);
    },
    landParcel: (commune, sheet, number) => {
      const index = parcelIndexOf(ctx, commune, sheet, number);
      return index === null ? null : parcelAt(ctx, index);
    },
    dossier: (code) => {
      const position = dossierPositionOf(ctx, code);
      if (position === null) return null;
      const record = dossierAt(ctx, position[0], position[1]);
      return record.dossier.dossierCode === code ? record : null;
    },
  };
}
