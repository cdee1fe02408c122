/**
 * One-stop dossiers 2021-01-01 → asOf, streamed day by day in receipt order. Dossier (day, k) is
 * computed from its own streams: head (procedure, applicant, agency), timing, attributes and
 * components. asOf hides the future: a dossier finishing after asOf is 'processing' with no
 * result, rating or finish yet.
 */
import type { WorldContext } from './context.js';
import type { Dossier, DossierStatus, DossierWithComponents, Rating } from './types.js';
import { dossierHead } from './dossier-head.js';
import { dossierComponents } from './dossier-components.js';
import { Rng } from './prng.js';
import { isoOf, localMs, MS_PER_DAY, MS_PER_MINUTE } from './dates.js';
import { meanWaitMinutes, pComplaintDislike, pDigitiseResult, pElectronicResult, pPaidOnline, pRated } from './dossier-trends.js';
import { newUnitOf } from './admin-units.js';
import { PROCEDURES } from './procedures.js';
import { STREAM } from './streams.js';

export function dossierAt(ctx: WorldContext, day: number, k: number): DossierWithComponents {
  const { head, timing } = dossierHead(ctx, day, k);
  const e = timing.effects;
  const rng = new Rng(ctx.seed, STREAM.dossierAttributes, day, k);
  const online = timing.channel === 'online';
  const hasResult = timing.status === 'finished' && head.procedure.resultIsDocument;
  const electronic = hasResult && rng.chance(pElectronicResult(e));
  const digitised = hasResult && (electronic || rng.chance(pDigitiseResult(e)));
  const wait = Math.max(1, Math.round(-Math.log(1 - rng.next()) * meanWaitMinutes(e)));
  const staff = 1 + rng.int(head.agency.oneStopStaff);
  const paidOnline = head.procedure.fee > 0 && rng.chance(pPaidOnline(e, online));
  let rating: Rating | null = null;
  if (timing.status !== 'withdrawn' && rng.chance(pRated(e))) {
    const [complaint, dislike] = pComplaintDislike(e, timing.overdue);
    const u = rng.next();
    rating = u < complaint ? 'complaint' : u < complaint + dislike ? 'dislike' : u < complaint + dislike + 0.08 ? 'neutral' : 'satisfied';
  }
  const ratedMs = timing.finishMs + rng.int(3 * MS_PER_DAY);

  const finished = timing.finishMs <= ctx.asOfEndMs;
  const status: DossierStatus = finished ? timing.status : 'processing';
  let updatedMs = timing.receivedMs;
  if (finished) updatedMs = timing.finishMs;
  else {
    const step = localMs(day + 1, 540) + rng.int(MS_PER_MINUTE);
    if (step <= ctx.asOfEndMs) updatedMs = step;
  }
  const rated = finished && rating !== null && ratedMs <= ctx.asOfEndMs;
  if (rated) updatedMs = ratedMs;

  const dossier: Dossier = {
    dossierCode: head.dossierCode,
    procedureCode: head.procedure.code,
    level: head.level,
    agencyCode: head.agency.code,
    applicant: { kind: head.applicant.kind, id: head.applicant.id },
    channel: timing.channel,
    receivedAt: isoOf(timing.receivedMs),
    appointmentAt: isoOf(timing.appointmentMs),
    finishedAt: finished ? isoOf(timing.finishMs) : null,
    status,
    extraDocumentRequests: timing.extraRequests,
    extraDocumentDays: timing.extraDays,
    resultIsElectronic: finished && electronic,
    resultDigitised: finished && digitised,
    counterWaitMinutes: timing.channel === 'direct' ? wait : null,
    receivingStaffId: `${head.agency.code}.CB${String(staff).padStart(2, '0')}`,
    rating: rated ? rating : null,
    fee: head.procedure.fee,
    paidOnline,
    communeCode: head.afterReorganisation ? newUnitOf(head.applicant.oldCommuneCode) : head.applicant.oldCommuneCode,
    updatedAt: isoOf(updatedMs),
  };
  return { dossier, components: dossierComponents(ctx, head, timing) };
}

/**
 * The most days a dossier can change after its receipt: appointment (processing days plus
 * weekends), up to 11 days late, up to 20 days of extra documents, a rating up to 3 days after
 * the finish, and a day of slack for a finish spilling past midnight.
 */
export const DOSSIER_MAX_LIFETIME_DAYS = Math.max(...PROCEDURES.map((p) => p.processingDays + 2 * Math.ceil(p.processingDays / 5))) + 11 + 20 + 3 + 1;

/** Dossiers received on or after fromDay, in receipt order (all of them when fromDay is before the first). */
export function* dossiers(ctx: WorldContext, fromDay = ctx.calendar.day0): Iterable<DossierWithComponents> {
  const { calendar } = ctx;
  for (let d = Math.max(0, fromDay - calendar.day0); d < calendar.counts.length; d++) {
    const n = calendar.counts[d] ?? 0;
    for (let k = 0; k < n; k++) yield dossierAt(ctx, calendar.day0 + d, k);
  }
}
