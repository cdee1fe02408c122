/**
 * Channel and timeline of a dossier: receipt, appointment, requests for extra documents, finish.
 * Drawn from the dossier's own timing stream, independent of asOf (asOf only hides what has not
 * happened yet), so a later asOf shows the same dossier further along.
 */
import type { WorldContext } from './context.js';
import type { Channel } from './types.js';
import type { DossierHead } from './dossier-head.js';
import { hash4, Rng, unit } from './prng.js';
import { localMs, MS_PER_MINUTE, weekday } from './dates.js';
import { pExtraRequests, pLate, pOnline, tauOf, type Effects } from './dossier-trends.js';
import { STREAM } from './streams.js';

export interface DossierTiming {
  readonly effects: Effects;
  readonly channel: Channel;
  readonly receivedMs: number;
  readonly appointmentMs: number;
  /** When it finishes (may lie after asOf: then the dossier is still processing at asOf). */
  readonly finishMs: number;
  readonly finishDay: number;
  readonly status: 'finished' | 'rejected' | 'withdrawn';
  readonly extraRequests: number;
  readonly extraDays: number;
  /** Missed the appointment (net of extra-document time) or needed more than one extra request. */
  readonly overdue: boolean;
}

const effectCaches = new Map<number, Map<string, number>>();
/** A stable effect in [-1, 1] per agency or procedure code and seed. */
export function effectOf(seed: number, kind: number, code: string): number {
  let cache = effectCaches.get(seed * 64 + kind);
  if (cache === undefined) effectCaches.set(seed * 64 + kind, (cache = new Map<string, number>()));
  let effect = cache.get(code);
  if (effect === undefined) {
    let h = 0x811c9dc5;
    for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 0x01000193);
    effect = unit(hash4(seed, kind, h)) * 2 - 1;
    cache.set(code, effect);
  }
  return effect;
}

export function effectsOf(ctx: WorldContext, head: DossierHead): Effects {
  return {
    tau: tauOf(head.day),
    level: head.level,
    agency: effectOf(ctx.seed, STREAM.agencyEffect, head.agency.code),
    procedure: effectOf(ctx.seed, STREAM.procedureEffect, head.procedure.code),
  };
}

export function dossierTiming(ctx: WorldContext, head: DossierHead): DossierTiming {
  const effects = effectsOf(ctx, head);
  const rng = new Rng(ctx.seed, STREAM.dossierTiming, head.day, head.k);
  const dow = weekday(head.day);
  const weekend = dow === 0 || dow === 6;
  const online = rng.chance(pOnline(effects)) || weekend;
  const channel: Channel = online ? 'online' : rng.chance(0.03) ? 'postal' : 'direct';
  const receivedMs = (online ? localMs(head.day, 360 + rng.int(1020)) : localMs(head.day, 450 + rng.int(540))) + rng.int(MS_PER_MINUTE);
  const days = head.procedure.processingDays;
  // Working days → calendar days, roughly (a weekend per five working days).
  const appointmentDay = head.day + days + 2 * Math.ceil(days / 5);
  const appointmentMs = localMs(appointmentDay, 990);
  const [one, two] = pExtraRequests(effects);
  const u = rng.next();
  const extraRequests = u < two ? 2 : u < two + one ? 1 : 0;
  let extraDays = 0;
  for (let r = 0; r < extraRequests; r++) extraDays += 1 + rng.int(10);
  const timeLate = rng.chance(pLate(effects));
  const finishDay = (timeLate ? appointmentDay + 1 + rng.int(10) : head.day + rng.int(appointmentDay - head.day + 1)) + extraDays;
  const finishMs = Math.max(localMs(finishDay, 450 + rng.int(540)) + rng.int(MS_PER_MINUTE), receivedMs + 30 * MS_PER_MINUTE);
  const s = rng.next();
  const status = s < 0.02 ? 'rejected' : s < 0.03 ? 'withdrawn' : 'finished';
  return {
    effects,
    channel,
    receivedMs,
    appointmentMs,
    finishMs,
    finishDay: Math.floor((finishMs + 7 * 3_600_000) / 86_400_000),
    status,
    extraRequests,
    extraDays,
    overdue: timeLate || extraRequests > 1,
  };
}
