import { LgspError } from '../../src/errors.js';

/** A run stopped on request (SIGTERM/SIGINT) after committing what it had done. */
export class RunInterruptedError extends LgspError {
  constructor(step: string) {
    super('RUN_INTERRUPTED', `interrupted during ${step}; everything committed so far is kept and the next run resumes from there`);
  }
}

/** A step of a run failed; names the step. */
export class StepFailedError extends LgspError {
  readonly step: string;
  constructor(step: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('RUN_STEP_FAILED', `step ${step} failed: ${detail}`, {
      cause,
      context: { step },
      ...(cause instanceof LgspError && cause.hint !== undefined ? { hint: cause.hint } : {}),
    });
    this.step = step;
  }
}
