/**
 * The head of dossier (day, k): procedure, applicant, commune, agency, code — and whether it
 * follows up an earlier dossier of the same applicant whose result it needs.
 *
 * Earlier results while streaming: a dossier flagged as a follow-up attempt looks back at a few
 * random earlier dossiers (day₁ < day, k₁), recomputes each one's head and timing in O(1), and
 * takes the first whose procedure's result it can use and which was finished before `day`. It then
 * becomes that applicant's follow-up (same applicant, a procedure needing that result), and its
 * component carries heldBy 'earlier-result' with the earlier dossier's code. Only dossiers not
 * themselves flagged as follow-up attempts can be looked back at (chains are one step deep), so
 * the recursion stops at depth one.
 */
import type { WorldContext } from './context.js';
import type { Agency, AdminLevel, Procedure } from './types.js';
import { cumulate, hash4, Rng, unit } from './prng.js';
import { PROCEDURES, FOLLOW_UPS } from './procedures.js';
import { departmentOf, districtAgencyOf, newCommuneAgencyOf, oldCommuneAgencyOf } from './agencies.js';
import { newUnitOf, oldCommune, OLD_COMMUNES, REORGANISATION_DATE } from './admin-units.js';
import { pickCitizen, residenceAt } from './citizens.js';
import { businessVitals, isActiveOn, pickActiveBusiness } from './businesses.js';
import { ownerOn, parcelPlan } from './land.js';
import { participantPlan } from './insurance.js';
import { citizenVitals, isUsableAt } from './population.js';
import { dayOf, yymmdd } from './dates.js';
import { dossiersOn } from './dossier-calendar.js';
import { dossierTiming, type DossierTiming } from './dossier-timing.js';
import { isClassed, mayApplyAsBase } from './applicant-classes.js';
import { STREAM } from './streams.js';

export const REORGANISATION_DAY = dayOf(REORGANISATION_DATE);
const P_FOLLOW_ATTEMPT = 0.3;
const FOLLOW_TRIES = 4;
const LOOK_BACK_DAYS = 730;
const PROCEDURE_WEIGHTS = cumulate(PROCEDURES.map((p) => p.weight));

export interface Applicant {
  readonly kind: 'citizen' | 'business';
  readonly id: string;
  /** Citizen index (for residence and vitals) or business index. */
  readonly ref: number;
  /** Old commune code of the applicant (or of the land parcel) on the day of receipt. */
  readonly oldCommuneCode: string;
  /** For land procedures: the parcel the applicant holds (index), so a follow-up can check they still do. */
  readonly parcel?: number;
}

export interface DossierHead {
  readonly day: number;
  readonly k: number;
  readonly procedure: Procedure;
  readonly applicant: Applicant;
  readonly level: AdminLevel;
  readonly agency: Agency;
  readonly dossierCode: string;
  readonly afterReorganisation: boolean;
  /** The earlier dossier whose result this one re-uses, if any. */
  readonly followUpOf: { readonly dossierCode: string; readonly procedureCode: string } | null;
}

function applicantFor(ctx: WorldContext, rng: Rng, procedure: Procedure, day: number): Applicant | null {
  const classed = isClassed(procedure.code);
  const may = (kind: 'citizen' | 'business', ref: number): boolean => !classed || mayApplyAsBase(ctx.seed, procedure.code, kind, ref);
  switch (procedure.applicantSource) {
    case 'citizen': {
      const v = pickCitizen(ctx, rng, day, 18, 85, (index) => may('citizen', index));
      return { kind: 'citizen', id: v.personalId, ref: v.index, oldCommuneCode: residenceAt(ctx, v.index, day) };
    }
    case 'business': {
      const b = pickActiveBusiness(ctx, rng, day);
      return b === null ? null : { kind: 'business', id: b.enterpriseCode, ref: b.index, oldCommuneCode: OLD_COMMUNES[b.communeIndex]?.code ?? '' };
    }
    case 'landOwner':
      for (let attempt = 0; attempt < (classed ? 400 : 8); attempt++) {
        const parcel = rng.int(ctx.parcelCount);
        const owner = ownerOn(ctx, parcel, day);
        if (!may(owner.kind, owner.ref)) continue;
        const usable = owner.kind === 'citizen' ? isUsableAt(citizenVitals(ctx.seed, ctx.cohorts, owner.ref), day, 18) : isActiveOn(businessVitals(ctx, owner.ref), day);
        if (usable) return { kind: owner.kind, id: owner.id, ref: owner.ref, oldCommuneCode: parcelPlan(ctx, parcel).commune.code, parcel };
      }
      return null;
    case 'insured':
      for (let attempt = 0; attempt < 8; attempt++) {
        const v = participantPlan(ctx, rng.int(ctx.participantCount)).citizen;
        if (isUsableAt(v, day, 18)) return { kind: 'citizen', id: v.personalId, ref: v.index, oldCommuneCode: residenceAt(ctx, v.index, day) };
      }
      return null;
  }
}

function assemble(day: number, k: number, procedure: Procedure, applicant: Applicant, followUpOf: DossierHead['followUpOf']): DossierHead {
  const after = day >= REORGANISATION_DAY;
  // Districts are abolished from 2025-07-01: their procedures go to the new commune-level units.
  const level: AdminLevel = after && procedure.level === 'district' ? 'commune' : procedure.level;
  let agency: Agency;
  if (level === 'province') agency = departmentOf(procedure.department ?? 'STP', after);
  else if (level === 'district') agency = districtAgencyOf(oldCommune(applicant.oldCommuneCode).districtCode);
  else agency = after ? newCommuneAgencyOf(newUnitOf(applicant.oldCommuneCode)) : oldCommuneAgencyOf(applicant.oldCommuneCode);
  const dossierCode = `${agency.code}-${yymmdd(day)}-${String(k).padStart(5, '0')}`;
  return { day, k, procedure, applicant, level, agency, dossierCode, afterReorganisation: after, followUpOf };
}

/** The head a dossier has when it follows nothing (also what a look-back sees). */
export function baseHead(ctx: WorldContext, day: number, k: number): DossierHead {
  const rng = new Rng(ctx.seed, STREAM.dossier, day, k);
  for (let attempt = 0; attempt < 16; attempt++) {
    const procedure = PROCEDURES[rng.weighted(PROCEDURE_WEIGHTS)];
    if (procedure === undefined) continue;
    const applicant = applicantFor(ctx, rng, procedure, day);
    if (applicant !== null) return assemble(day, k, procedure, applicant, null);
  }
  throw new RangeError(`no applicant found for dossier ${day}/${k}`);
}

function isFollowUpAttempt(ctx: WorldContext, day: number, k: number): boolean {
  return unit(hash4(ctx.seed, STREAM.dossierFollowFlag, day, k)) < P_FOLLOW_ATTEMPT;
}

export interface HeadWithTiming {
  readonly head: DossierHead;
  readonly timing: DossierTiming;
}

/** Head and timing of dossier (day, k), following up an earlier dossier when the look-back finds one. */
export function dossierHead(ctx: WorldContext, day: number, k: number): HeadWithTiming {
  if (isFollowUpAttempt(ctx, day, k)) {
    const rng = new Rng(ctx.seed, STREAM.dossierFollow, day, k);
    for (let attempt = 0; attempt < FOLLOW_TRIES; attempt++) {
      const back = Math.min(LOOK_BACK_DAYS, day - ctx.calendar.day0);
      if (back < 1) break;
      const earlierDay = day - 1 - rng.int(back);
      const n = dossiersOn(ctx.calendar, earlierDay);
      if (n === 0) continue;
      const earlierK = rng.int(n);
      if (isFollowUpAttempt(ctx, earlierDay, earlierK)) continue;
      const earlier = baseHead(ctx, earlierDay, earlierK);
      const next = FOLLOW_UPS.get(earlier.procedure.code);
      if (next === undefined || earlier.applicant.kind !== 'citizen') continue;
      const timing = dossierTiming(ctx, earlier);
      if (timing.status !== 'finished' || timing.finishDay >= day) continue;
      if (!isUsableAt(citizenVitals(ctx.seed, ctx.cohorts, earlier.applicant.ref), day, 18)) continue;
      const procedure = rng.pick(next);
      // A land follow-up needs the applicant to hold the parcel still: the land database decides
      // whether the state holds their land document on the day of receipt.
      const parcel = earlier.applicant.parcel;
      if (procedure.applicantSource === 'landOwner' && (parcel === undefined || ownerOn(ctx, parcel, day).id !== earlier.applicant.id)) continue;
      const commune = procedure.applicantSource === 'landOwner' ? earlier.applicant.oldCommuneCode : residenceAt(ctx, earlier.applicant.ref, day);
      const head = assemble(day, k, procedure, { ...earlier.applicant, oldCommuneCode: commune }, { dossierCode: earlier.dossierCode, procedureCode: earlier.procedure.code });
      return { head, timing: dossierTiming(ctx, head) };
    }
  }
  const head = baseHead(ctx, day, k);
  return { head, timing: dossierTiming(ctx, head) };
}
