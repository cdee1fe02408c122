import { describe, expect, it } from 'vitest';
import { AffinePermutation, mulMod, Rng } from './prng.js';

describe('prng', () => {
  it('is deterministic per (seed, kind, index) and differs across them', () => {
    const a = new Rng(1, 2, 3);
    const b = new Rng(1, 2, 3);
    const c = new Rng(1, 2, 4);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('draws roughly uniformly', () => {
    const rng = new Rng(9, 9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.next();
    expect(sum / 20_000).toBeGreaterThan(0.48);
    expect(sum / 20_000).toBeLessThan(0.52);
  });

  it('permutes bijectively and inverts, also for large domains', () => {
    const small = new AffinePermutation(1000, 12345);
    const seen = new Set<number>();
    for (let x = 0; x < 1000; x++) {
      const y = small.apply(x);
      seen.add(y);
      expect(small.invert(y)).toBe(x);
    }
    expect(seen.size).toBe(1000);
    const large = new AffinePermutation(100_000_000, 987654321);
    for (const x of [0, 1, 12_345_678, 99_999_999]) expect(large.invert(large.apply(x))).toBe(x);
    expect(mulMod(99_999_999, 99_999_999, 100_000_000)).toBe(1);
  });
});
