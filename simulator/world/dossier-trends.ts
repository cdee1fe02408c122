/**
 * Behaviour of the one-stop system over 2021→2025: the probabilities every dossier draws from.
 * Each moves towards the plan's targets (seed § I.2) without simply meeting them, differs by level,
 * and is shifted by a per-agency and per-procedure effect in [-1, 1] (some agencies lag).
 * τ runs from 0 on 2021-01-01 to 1 on 2025-12-31 (clamped after).
 */
import type { AdminLevel } from './types.js';
import { DOSSIER_DAY0 } from './dossier-calendar.js';

export interface Effects {
  readonly tau: number;
  readonly level: AdminLevel;
  /** Agency quality in [-1, 1]: staffing, training, connectivity. */
  readonly agency: number;
  /** Procedure readiness in [-1, 1]: how well its e-form is integrated. */
  readonly procedure: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const byLevel = (level: AdminLevel, province: number, district: number, commune: number): number =>
  level === 'province' ? province : level === 'district' ? district : commune;

export function tauOf(day: number): number {
  return clamp((day - DOSSIER_DAY0) / 1826, 0, 1);
}

/** Share submitted online (3.3): plan ≥50% (e-gov ≥60%) by 2025. */
export function pOnline(e: Effects): number {
  return clamp(byLevel(e.level, 0.12, 0.08, 0.05) + byLevel(e.level, 0.55, 0.45, 0.38) * e.tau + 0.06 * e.agency + 0.05 * e.procedure, 0.01, 0.95);
}

/**
 * Plan re-use: the applicant re-supplies none of the documents the state holds. ~15% in 2021 to
 * ~65–70% in 2025 (plan: ≥80%); online forms pre-fill from the national stores, so online is higher.
 */
export function pNoResupply(e: Effects, online: boolean): number {
  return clamp(0.1 + 0.62 * e.tau + byLevel(e.level, 0.05, 0, -0.04) + 0.08 * e.agency + 0.05 * e.procedure + (online ? 0.08 : 0), 0.02, 0.97);
}

/** The system fails to flag a component taken from a store as re-used (integration gaps, shrinking). */
export function pUnderFlag(e: Effects): number {
  return clamp(0.33 - 0.22 * e.tau - 0.05 * e.agency, 0.02, 0.6);
}

/** Staff flag a component re-used although the applicant brought it again (KPI pressure, growing from 2023). */
export function pOverFlag(e: Effects): number {
  return clamp(0.02 + 0.14 * Math.max(0, e.tau - 0.35) / 0.65 - 0.02 * e.agency, 0, 0.4);
}

/** A component brought to the counter gets scanned (4.2); digitisation counters spread province → commune. */
export function pDigitiseComponent(e: Effects): number {
  return clamp(byLevel(e.level, 0.45, 0.25, 0.12) + byLevel(e.level, 0.52, 0.6, 0.62) * e.tau + 0.06 * e.agency, 0.02, 0.99);
}

/** A result is digitised (plan: ≥30/20/15% 2021, +20 pts a year). */
export function pDigitiseResult(e: Effects): number {
  return clamp(byLevel(e.level, 0.32, 0.2, 0.14) + byLevel(e.level, 0.66, 0.62, 0.58) * e.tau + 0.05 * e.agency, 0.02, 0.995);
}

/** The result is issued as an electronic document (4.1). */
export function pElectronicResult(e: Effects): number {
  return clamp(byLevel(e.level, 0.1, 0.06, 0.04) + byLevel(e.level, 0.8, 0.72, 0.66) * e.tau + 0.06 * e.agency + 0.04 * e.procedure, 0.01, 0.98);
}

/** The agency misses the appointment (2.1: on time ~85% → ~95%). */
export function pLate(e: Effects): number {
  return clamp(0.1 - 0.065 * e.tau - 0.035 * e.agency, 0.005, 0.3);
}

/** Probabilities of one and of two requests for extra documents (two = overdue by rule). */
export function pExtraRequests(e: Effects): readonly [number, number] {
  return [0.1 - 0.04 * e.tau, 0.025 - 0.012 * e.tau];
}

/** Mean minutes waited at the counter per visit (plan: ≤30 in 2022, ≤15 in 2025). */
export function meanWaitMinutes(e: Effects): number {
  return Math.max(3, byLevel(e.level, 40, 30, 18) - byLevel(e.level, 27, 17, 8) * e.tau - 3 * e.agency);
}

export function pRated(e: Effects): number {
  return 0.25 + 0.4 * e.tau;
}

/** Of rated dossiers: complaint and dislike shares (late dossiers draw far more of both). */
export function pComplaintDislike(e: Effects, late: boolean): readonly [number, number] {
  const factor = late ? 5 : 1;
  return [(0.012 - 0.008 * e.tau) * factor, (0.05 - 0.03 * e.tau - 0.01 * e.agency) * factor];
}

/** Fee paid online (3.6), by channel. */
export function pPaidOnline(e: Effects, online: boolean): number {
  return clamp(online ? 0.15 + 0.7 * e.tau + 0.05 * e.agency : 0.01 + 0.15 * e.tau, 0, 0.98);
}
