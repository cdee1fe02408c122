/** mulberry32: a small seeded PRNG, so the kill points of a run can be printed and replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** An integer in [min, max], drawn from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return Math.floor(min + random() * (max - min + 1));
}
