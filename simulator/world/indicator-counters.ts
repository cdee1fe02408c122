/**
 * Integer counters for one bucket (a year × level, a unit, a period) of the DOMAIN.md indicators,
 * and their conversion to numerator/denominator/rate. Integers so a warehouse test can compare
 * exactly; rates are only numerator ÷ denominator.
 */
import type { DossierWithComponents } from './types.js';
import { MS_PER_DAY } from './dates.js';

export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  readonly rate: number | null;
}

export interface Indicators {
  readonly received: number;
  readonly reuse766: Ratio;
  readonly planReuse: Ratio;
  readonly dossierDigitisation: Ratio;
  readonly resultDigitisation: Ratio;
  readonly electronicResults: Ratio;
  readonly online: Ratio;
  readonly onTime: Ratio;
  readonly onlinePayment: Ratio;
  readonly complaintOrDislike: Ratio;
  readonly counterWait: { readonly totalMinutes: number; readonly visits: number; readonly averageMinutes: number | null };
  /** 5.4 = 1 − (overdue rate + complaint/dislike rate); null if either rate is. */
  readonly satisfaction: number | null;
  /** Components the state held that the applicant handed in again. */
  readonly missedReuseComponents: number;
  /** Flags vs truth: flagged re-used though re-supplied; taken from a store yet not flagged. */
  readonly flagAudit: { readonly flaggedButResupplied: number; readonly takenButNotFlagged: number };
}

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });

export class IndicatorCounters {
  received = 0;
  reused766 = 0;
  heldDossiers = 0;
  sparedDossiers = 0;
  decided = 0;
  decidedDigitised = 0;
  withResult = 0;
  resultDigitised = 0;
  resultElectronic = 0;
  online = 0;
  onTimeDen = 0;
  onTimeNum = 0;
  feeBearing = 0;
  paidOnline = 0;
  complaintOrDislike = 0;
  waitMinutes = 0;
  waitVisits = 0;
  missed = 0;
  overFlagged = 0;
  underFlagged = 0;

  /** Received-date indicators: 4.3, plan re-use, 3.3, 3.6, wait, ratings, missed re-use. */
  addReceived({ dossier, components }: DossierWithComponents): void {
    this.received++;
    if (components.some((c) => c.flags.reused)) this.reused766++;
    const held = components.filter((c) => c.heldByState);
    if (held.length > 0) {
      this.heldDossiers++;
      if (held.every((c) => !c.resupplied)) this.sparedDossiers++;
    }
    for (const c of held) {
      if (c.resupplied) this.missed++;
      if (c.resupplied && c.flags.reused) this.overFlagged++;
      if (!c.resupplied && !c.flags.reused) this.underFlagged++;
    }
    if (dossier.channel === 'online') this.online++;
    if (dossier.fee > 0) {
      this.feeBearing++;
      if (dossier.paidOnline) this.paidOnline++;
    }
    if (dossier.rating === 'complaint' || dossier.rating === 'dislike') this.complaintOrDislike++;
    if (dossier.counterWaitMinutes !== null) {
      this.waitMinutes += dossier.counterWaitMinutes;
      this.waitVisits++;
    }
  }

  /** Decision-date indicators: 4.2, result digitisation, 4.1 and the finished part of 2.1. */
  addDecided({ dossier, components }: DossierWithComponents, resultIsDocument: boolean): void {
    if (dossier.status !== 'finished' && dossier.status !== 'rejected') return;
    this.decided++;
    const hasResult = dossier.status === 'finished' && resultIsDocument;
    if (components.every((c) => c.flags.digitised) && (!hasResult || dossier.resultIsElectronic)) this.decidedDigitised++;
    if (hasResult) {
      this.withResult++;
      if (dossier.resultDigitised) this.resultDigitised++;
      if (dossier.resultIsElectronic) this.resultElectronic++;
    }
    this.onTimeDen++;
    const netFinish = Date.parse(dossier.finishedAt ?? dossier.receivedAt) - dossier.extraDocumentDays * MS_PER_DAY;
    if (dossier.extraDocumentRequests <= 1 && netFinish <= Date.parse(dossier.appointmentAt)) this.onTimeNum++;
  }

  /** 2.1 for a dossier still in progress at the end of the period (periodEndMs). */
  addInProgress({ dossier }: DossierWithComponents, periodEndMs: number): void {
    this.onTimeDen++;
    const deadline = Date.parse(dossier.appointmentAt) + dossier.extraDocumentDays * MS_PER_DAY;
    if (dossier.extraDocumentRequests <= 1 && periodEndMs <= deadline) this.onTimeNum++;
  }

  toIndicators(): Indicators {
    const onTime = ratio(this.onTimeNum, this.onTimeDen);
    const cd = ratio(this.complaintOrDislike, this.received);
    return {
      received: this.received,
      reuse766: ratio(this.reused766, this.received),
      planReuse: ratio(this.sparedDossiers, this.heldDossiers),
      dossierDigitisation: ratio(this.decidedDigitised, this.decided),
      resultDigitisation: ratio(this.resultDigitised, this.withResult),
      electronicResults: ratio(this.resultElectronic, this.withResult),
      online: ratio(this.online, this.received),
      onTime,
      onlinePayment: ratio(this.paidOnline, this.feeBearing),
      complaintOrDislike: cd,
      counterWait: { totalMinutes: this.waitMinutes, visits: this.waitVisits, averageMinutes: this.waitVisits === 0 ? null : this.waitMinutes / this.waitVisits },
      satisfaction: onTime.rate === null || cd.rate === null ? null : 1 - ((1 - onTime.rate) + cd.rate),
      missedReuseComponents: this.missed,
      flagAudit: { flaggedButResupplied: this.overFlagged, takenButNotFlagged: this.underFlagged },
    };
  }
}
