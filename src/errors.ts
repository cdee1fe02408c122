/**
 * Typed errors. Every error the platform raises on purpose is an {@link LgspError}: it has a stable
 * `code` (for logs, tests and exit handling), says whether retrying may help, keeps its `cause`, and
 * carries the context an operator needs (source, topic, partition, offset, setting…).
 *
 * Which errors are retried is decided in one place (`src/retry.ts`), from `retriable`.
 */
export interface ErrorContext {
  readonly [key: string]: string | number | boolean | null | undefined;
}

export class LgspError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly context: ErrorContext;
  /** A one-line hint for the operator: what to do about it. Printed by the CLI after the message. */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; retriable?: boolean; context?: ErrorContext; hint?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
    this.hint = options.hint;
  }
}

/** A setting is missing or malformed. Raised at start-up, before any work is done. */
export class ConfigError extends LgspError {
  constructor(setting: string, problem: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', `${setting}: ${problem}`, { ...options, context: { setting } });
  }
}

/** A service the run needs (Kafka, PostgreSQL, a source API) cannot be reached. */
export class ServiceUnreachableError extends LgspError {
  /** `setting`: the setting that says where the service is, when one does. */
  constructor(service: string, where: string, hint: string, options: { cause?: unknown; setting?: string } = {}) {
    super('SERVICE_UNREACHABLE', `cannot reach ${service} at ${where}`, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      retriable: true,
      context: { service, where, setting: options.setting },
      hint,
    });
  }
}

/** A command was used wrongly (unknown pipeline, bad argument). */
export class UsageError extends LgspError {
  constructor(message: string, hint?: string) {
    super('USAGE', message, hint === undefined ? {} : { hint });
  }
}

/** Describes any thrown value in one line, for logs and the CLI. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
