/**
 * Seeded randomness for the world generator. `Math.random` is never used: every value in the world
 * comes from a stream derived from (seed, kind, index…), so entity i can be recomputed in O(1)
 * without generating entities 0..i-1, and the same seed always gives the same world.
 */

/** murmur3's 32-bit finaliser: cheap and avalanches well, enough to decorrelate stream seeds. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes up to four integers (fixed arity: no array allocation on the hot path). */
export function hash4(a: number, b = 0, c = 0, d = 0): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b | 0, 0x27d4eb2f) ^ (b / 0x100000000));
  h = mix32(h ^ Math.imul(c | 0, 0x165667b1) ^ (c / 0x100000000));
  h = mix32(h ^ Math.imul(d | 0, 0x61c88647) ^ (d / 0x100000000));
  return h;
}

/** A uniform number in [0, 1) from one hash: for single decisions that need no stream. */
export function unit(hash: number): number {
  return hash / 0x100000000;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, as in PractRand): 128-bit state,
 * 32-bit integer maths only, passes BigCrush. One instance per entity.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, kind: number, i = 0, j = 0) {
    this.a = hash4(seed, kind, i, j);
    this.b = hash4(this.a, seed, kind, 1);
    this.c = hash4(this.b, i, j, 2);
    this.d = 1;
    // Warm-up: the first outputs of sfc32 still correlate with the seed words.
    for (let n = 0; n < 8; n++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Index into a cumulative weight table (last entry = total). */
  weighted(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    return upperBound(cumulative, this.next() * total);
  }

  /** Standard normal (Box–Muller; one value per call, simplicity over speed). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/** First index whose value is > x in an ascending array (binary search). */
export function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cumulative sums of weights, for {@link Rng.weighted}. */
export function cumulate(weights: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const w of weights) out.push((sum += w));
  return out;
}

/** (x · y) mod n without leaving the exact range of doubles (x, y < n ≤ 2^32). */
export function mulMod(x: number, y: number, n: number): number {
  const high = Math.floor(y / 65_536);
  const low = y - high * 65_536;
  return ((((x * high) % n) * 65_536) % n + ((x * low) % n)) % n;
}

/**
 * A bijection on [0, n): x ↦ (a·x + b) mod n with gcd(a, n) = 1. Not a strong shuffle, but
 * injective by construction, which is what unique identifiers and one-to-one picks need, and
 * invertible, so an identifier leads back to its index in O(1).
 */
export class AffinePermutation {
  private readonly a: number;
  private readonly b: number;
  private readonly aInverse: number;

  constructor(
    readonly n: number,
    hash: number,
  ) {
    if (n < 1) throw new RangeError('permutation of an empty domain');
    let a = Math.max(1, Math.floor(n * 0.6180339887) + (hash % 97));
    while (gcd(a, n) !== 1) a++;
    this.a = a % n || 1;
    this.b = hash % n;
    this.aInverse = modInverse(this.a, n);
  }

  apply(x: number): number {
    return (mulMod(this.a, x, this.n) + this.b) % this.n;
  }

  invert(y: number): number {
    return mulMod(this.aInverse, (y - this.b + this.n) % this.n, this.n);
  }
}

/** a⁻¹ mod n by the extended Euclidean algorithm (gcd(a, n) = 1). */
function modInverse(a: number, n: number): number {
  if (n === 1) return 0;
  let [r0, r1] = [n, a % n];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % n) + n) % n;
}

function gcd(x: number, y: number): number {
  let a = x;
  let b = y;
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
