import { describe, expect, it } from 'vitest';
import { computeTruth, createWorld, type Indicators, type Ratio } from './index.js';

const world = createWorld({ seed: 3, scale: 0.01 });
const truth = computeTruth(world);
const all = (year: number): Indicators => {
  const indicators = truth.byYear[String(year)]?.all;
  if (indicators === undefined) throw new Error(`no indicators for ${year}`);
  return indicators;
};
const rate = (r: Ratio): number => r.rate ?? Number.NaN;

function ratios(i: Indicators): Ratio[] {
  return [i.reuse766, i.planReuse, i.dossierDigitisation, i.resultDigitisation, i.electronicResults, i.online, i.onTime, i.onlinePayment, i.complaintOrDislike];
}

describe('ground truth: internal consistency', () => {
  it('has integer numerators ≤ denominators and rate = numerator / denominator', () => {
    const buckets = [...Object.values(truth.byYear).flatMap((levels) => Object.values(levels)), ...Object.values(truth.byNewUnit.wholePeriod), ...Object.values(truth.byNewUnit.afterReorganisation)];
    expect(buckets.length).toBeGreaterThan(20);
    for (const b of buckets) {
      for (const r of ratios(b)) {
        expect(Number.isInteger(r.numerator) && Number.isInteger(r.denominator)).toBe(true);
        expect(r.numerator).toBeLessThanOrEqual(r.denominator);
        expect(r.rate).toBe(r.denominator === 0 ? null : r.numerator / r.denominator);
      }
    }
  });

  it('adds up: levels sum to all, years sum to the world, whole period by unit sums to the world', () => {
    let received = 0;
    for (const [, levels] of Object.entries(truth.byYear)) {
      const parts = Object.entries(levels).filter(([level]) => level !== 'all');
      expect(parts.reduce((s, [, i]) => s + i.received, 0)).toBe(levels.all?.received);
      expect(parts.reduce((s, [, i]) => s + i.reuse766.numerator, 0)).toBe(levels.all?.reuse766.numerator);
      received += levels.all?.received ?? 0;
    }
    expect(received).toBe(world.counts().dossiers);
    expect(Object.values(truth.byNewUnit.wholePeriod).reduce((s, i) => s + i.received, 0)).toBe(received);
    const missed = Object.values(truth.missedReuse.byProcedure).reduce((s, n) => s + n, 0);
    expect(missed).toBe(truth.missedReuse.total);
    expect(Object.values(truth.missedReuse.byAgency).reduce((s, n) => s + n, 0)).toBe(missed);
  });

  it('keeps the district level only before 2025-07-01 and reports the new units after', () => {
    expect(Object.keys(truth.byYear['2025'] ?? {})).toContain('district'); // January–June 2025
    expect(Object.keys(truth.byNewUnit.afterReorganisation).length).toBeGreaterThan(30);
  });
});

describe('ground truth: trends 2021 → 2025', () => {
  it('re-use rises from ~15% to well above half, flags over-report it', () => {
    expect(rate(all(2021).planReuse)).toBeGreaterThan(0.05);
    expect(rate(all(2021).planReuse)).toBeLessThan(0.3);
    expect(rate(all(2025).planReuse)).toBeGreaterThan(0.5);
    expect(rate(all(2025).planReuse)).toBeLessThan(0.8);
    expect(rate(all(2025).reuse766)).toBeGreaterThan(rate(all(2025).planReuse));
    expect(all(2025).flagAudit.flaggedButResupplied).toBeGreaterThan(0);
    expect(all(2021).flagAudit.takenButNotFlagged).toBeGreaterThan(0);
  });

  it('moves online share, digitisation and payment up, waits down, on time in 85–97%', () => {
    expect(rate(all(2025).online)).toBeGreaterThan(rate(all(2021).online) + 0.2);
    expect(rate(all(2025).resultDigitisation)).toBeGreaterThan(rate(all(2021).resultDigitisation));
    expect(rate(all(2025).dossierDigitisation)).toBeGreaterThan(rate(all(2021).dossierDigitisation));
    expect(rate(all(2025).onlinePayment)).toBeGreaterThan(rate(all(2021).onlinePayment));
    expect(all(2025).counterWait.averageMinutes ?? 99).toBeLessThan(all(2021).counterWait.averageMinutes ?? 0);
    for (const year of [2021, 2022, 2023, 2024, 2025]) {
      expect(rate(all(year).onTime)).toBeGreaterThan(0.82);
      expect(rate(all(year).onTime)).toBeLessThan(0.98);
    }
  });

  it('digitises results province > district > commune', () => {
    const levels = truth.byYear['2023'];
    const p = rate(levels?.province?.resultDigitisation ?? { numerator: 0, denominator: 0, rate: null });
    const c = rate(levels?.commune?.resultDigitisation ?? { numerator: 0, denominator: 0, rate: null });
    expect(p).toBeGreaterThan(c);
  });
});
