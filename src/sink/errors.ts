import { LgspError } from '../errors.js';

/**
 * A transform cannot turn a record into a row: the record is rejected (dead-lettered with this
 * reason, naming the field), never the batch. Not retriable: the same record fails the same way.
 */
export class TransformError extends LgspError {
  readonly field: string;
  constructor(field: string, problem: string, options: { cause?: unknown } = {}) {
    super('TRANSFORM_FAILED', `${field}: ${problem}`, { ...options, context: { field } });
    this.field = field;
  }
}
