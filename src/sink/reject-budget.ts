import { RejectBudgetExceededError } from './errors.js';

/**
 * How many of a run's records a pipeline may reject (Kafka Connect's `errors.tolerance`, made
 * measurable): a handful of bad records never stops a night, a systematic fault does. A batch is
 * admitted when, with it, the run's rejects stay within `tolerated` records or within `share` of
 * the records read.
 */
export interface RejectPolicy {
  /** Share of the records read (0..1). */
  readonly share: number;
  /** Rejects always tolerated, whatever their share (a small delta night with a few bad records). */
  readonly tolerated: number;
}

/** The rejects of one pipeline's load so far; checked before each batch commits, counted after. */
export class RejectBudget {
  private consumed = 0;
  private rejected = 0;
  private readonly reasons = new Map<string, { count: number; example: string }>();

  constructor(
    private readonly pipeline: string,
    private readonly policy: RejectPolicy,
  ) {}

  /** Throws {@link RejectBudgetExceededError} when the batch would take the run over the budget. */
  check(batch: { readonly consumed: number; readonly rejections: readonly { readonly code: string; readonly reason: string }[] }): void {
    if (batch.rejections.length === 0) return;
    const consumed = this.consumed + batch.consumed;
    const rejected = this.rejected + batch.rejections.length;
    if (rejected <= this.policy.tolerated || rejected <= this.policy.share * consumed) return;
    const reasons = new Map(this.reasons);
    for (const r of batch.rejections) count(reasons, r);
    throw new RejectBudgetExceededError(this.pipeline, this.describe(reasons, rejected, consumed), { rejected, consumed });
  }

  /** Counts a committed batch. */
  add(batch: { readonly consumed: number; readonly rejections: readonly { readonly code: string; readonly reason: string }[] }): void {
    this.consumed += batch.consumed;
    this.rejected += batch.rejections.length;
    for (const r of batch.rejections) count(this.reasons, r);
  }

  private describe(reasons: ReadonlyMap<string, { count: number; example: string }>, rejected: number, consumed: number): string {
    const top = [...reasons.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 3);
    const share = ((100 * rejected) / Math.max(1, consumed)).toFixed(1);
    return `${share} % against ${this.policy.tolerated} records or ${(100 * this.policy.share).toFixed(1)} %; top reasons: ${top.map(([kind, r]) => `${r.count} × ${kind} (e.g. ${r.example})`).join('; ')}`;
  }
}

/** Rejects are grouped by code and field: `TRANSFORM_FAILED fullName`. */
function count(reasons: Map<string, { count: number; example: string }>, r: { readonly code: string; readonly reason: string }): void {
  const field = /^([^:]{1,80}):/.exec(r.reason)?.[1] ?? '';
  const kind = `${r.code}${field === '' ? '' : ` ${field}`}`;
  const entry = reasons.get(kind) ?? { count: 0, example: r.reason.slice(0, 160) };
  entry.count += 1;
  reasons.set(kind, entry);
}
