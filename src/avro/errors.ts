import { LgspError } from '../errors.js';

/**
 * A message names a writer schema the catalogue does not hold (unknown fingerprint), or a reader
 * schema (name, version) was asked for that does not exist. Not retriable: the schema must be
 * added to `schemas/` (or the producer fixed) first.
 */
export class SchemaUnknownError extends LgspError {
  constructor(message: string, context: { fullName?: string; version?: number; fingerprint?: string } = {}) {
    super('SCHEMA_UNKNOWN', message, {
      context,
      hint: 'add the schema version to schemas/ (lgsp schemas list shows what is known)',
    });
  }
}

/** Bytes that are not a valid Avro message for the schema they claim (truncated, garbage, wrong framing). */
export class AvroDecodeError extends LgspError {
  constructor(message: string, options: { cause?: unknown; fingerprint?: string; hint?: string } = {}) {
    super('AVRO_DECODE', message, {
      cause: options.cause,
      context: { fingerprint: options.fingerprint },
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
  }
}

/** A value does not match the schema it is encoded with; `problems` name the field paths. */
export class AvroEncodeError extends LgspError {
  readonly problems: readonly string[];

  constructor(fullName: string, version: number, problems: readonly string[]) {
    super('AVRO_ENCODE', `value is not a valid ${fullName} v${version}: ${problems.join('; ')}`, {
      context: { fullName, version },
    });
    this.problems = problems;
  }
}

/** A schema file cannot be parsed or breaks the conventions of schemas/README.md. */
export class SchemaInvalidError extends LgspError {
  constructor(file: string, problem: string, options: { cause?: unknown } = {}) {
    super('SCHEMA_INVALID', `${file}: ${problem}`, { ...options, context: { file } });
  }
}

/** A writer schema cannot be resolved to the reader schema asked for (Avro resolution rules). */
export class SchemaIncompatibleError extends LgspError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SCHEMA_INCOMPATIBLE', message, { ...options, hint: 'run lgsp schemas check' });
  }
}
