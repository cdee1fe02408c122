/**
 * Faults a mock source injects, each at a configured rate, each counted, so a test knows what the
 * connector should have met. Decisions are deterministic: request faults follow a seeded sequence,
 * and whether a record is malformed depends only on (seed, record id, update time) — a malformed
 * record stays malformed however often it is served, like bad data in a real source.
 */
export interface FaultConfig {
  /** Added to every response, in milliseconds. */
  readonly latencyMs: number;
  /** Share of requests answered 429 with a Retry-After header. */
  readonly rate429: number;
  readonly retryAfterSeconds: number;
  /** Share of requests answered 500/502/503. */
  readonly rate5xx: number;
  /** Share of requests whose connection is reset without an answer. */
  readonly rateReset: number;
  /** Share of records served malformed (bad checksum, impossible date, missing field, oversized string). */
  readonly rateMalformed: number;
  readonly seed: number;
}

export const NO_FAULTS: FaultConfig = {
  latencyMs: 0,
  rate429: 0,
  retryAfterSeconds: 1,
  rate5xx: 0,
  rateReset: 0,
  rateMalformed: 0,
  seed: 1,
};

export const MALFORMATIONS = ['bad-checksum', 'impossible-date', 'missing-field', 'oversized-string'] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

export interface FaultCounts {
  requests: number;
  throttled: number;
  serverErrors: number;
  resets: number;
  /** Distinct (id, updatedAt) records served malformed, by kind. */
  malformed: Record<Malformation, number>;
}

export type RequestFault = 'none' | 'throttle' | 'server-error' | 'reset';

export class FaultInjector {
  readonly counts: FaultCounts = {
    requests: 0,
    throttled: 0,
    serverErrors: 0,
    resets: 0,
    malformed: { 'bad-checksum': 0, 'impossible-date': 0, 'missing-field': 0, 'oversized-string': 0 },
  };
  private readonly malformedSeen = new Set<string>();
  private sequence = 0;

  constructor(public config: FaultConfig) {}

  /** Decides the fate of the next data request and counts it. */
  nextRequest(): RequestFault {
    this.counts.requests += 1;
    this.sequence += 1;
    const roll = unitHash(this.config.seed, `request:${this.sequence}`);
    const { rate429, rate5xx, rateReset } = this.config;
    if (roll < rate429) {
      this.counts.throttled += 1;
      return 'throttle';
    }
    if (roll < rate429 + rate5xx) {
      this.counts.serverErrors += 1;
      return 'server-error';
    }
    if (roll < rate429 + rate5xx + rateReset) {
      this.counts.resets += 1;
      return 'reset';
    }
    return 'none';
  }

  /** Whether (and how) this record version is malformed; counted once per record version. */
  malformation(recordId: string, updatedAt: string): Malformation | null {
    const key = `${recordId}@${updatedAt}`;
    if (unitHash(this.config.seed, `malformed:${key}`) >= this.config.rateMalformed) return null;
    const kind = MALFORMATIONS[Math.floor(unitHash(this.config.seed, `kind:${key}`) * MALFORMATIONS.length)] ?? 'missing-field';
    if (!this.malformedSeen.has(key)) {
      this.malformedSeen.add(key);
      this.counts.malformed[kind] += 1;
    }
    return kind;
  }
}

/** A stable hash of (seed, text) onto [0, 1): FNV-1a followed by a murmur3 finaliser. */
export function unitHash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
