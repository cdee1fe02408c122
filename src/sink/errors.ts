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

/**
 * A pipeline rejected more of a run's records than its budget allows (LGSP_LOAD_REJECT_SHARE over
 * LGSP_LOAD_REJECTS_TOLERATED): a systematic fault — a transform bug, a source that changed its
 * format — must stop the pipeline rather than dead-letter a whole topic. The batch that crossed
 * the budget was not committed: its offsets did not move.
 */
export class RejectBudgetExceededError extends LgspError {
  constructor(pipeline: string, summary: string, options: { rejected: number; consumed: number }) {
    super('REJECT_BUDGET_EXCEEDED', `pipeline ${pipeline} would reject ${options.rejected} of the ${options.consumed} records it read this run, over its budget: ${summary}`, {
      context: { pipeline, rejected: options.rejected, consumed: options.consumed },
      hint: 'the batch over the budget was not loaded and its offsets did not move; fix the cause (the reasons above; `lgsp dlq list` shows the records), or raise LGSP_LOAD_REJECT_SHARE / LGSP_LOAD_REJECTS_TOLERATED if these records are bad indeed',
    });
  }
}

/**
 * A topic is not the one whose offsets the pipeline stored: it was deleted and created again (or
 * the broker's data was replaced), so its offsets started over. Loading on from the stored offsets
 * would skip every record below them.
 */
export class TopicRecreatedError extends LgspError {
  constructor(pipeline: string, topic: string, partition: number, why: string) {
    super('TOPIC_RECREATED', `topic ${topic} partition ${partition} is not the one pipeline ${pipeline} loaded from: ${why}`, {
      context: { pipeline, topic, partition },
      hint: `if the topic was recreated on purpose, reload it: npx lgsp offsets reset ${pipeline} --to earliest (the merges make a reload change nothing that is already loaded)`,
    });
  }
}

/** What {@link SchemaUnreadableError} names. */
export interface UnreadableWriter {
  readonly pipeline: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly writer: { readonly fullName: string; readonly version: number; readonly fingerprint: string; readonly file: string };
  readonly reader: { readonly fullName: string; readonly version: number };
  readonly problem: string;
}

/**
 * A topic carries messages of a writer schema (published on the schema topic by a connector) that
 * the pipeline's reader cannot read: a change that breaks the contract, or a pipeline far behind
 * its connectors. Every message of that writer would fail alike, so the pipeline stops there
 * instead of dead-lettering the stream: the batch is not loaded, its offsets do not move, nothing
 * is rejected. Not retriable: a deployment must change first.
 */
export class SchemaUnreadableError extends LgspError {
  constructor(u: UnreadableWriter) {
    super(
      'SCHEMA_UNREADABLE',
      `pipeline ${u.pipeline} stopped at ${u.topic}[${u.partition}] offset ${u.offset}: the message is written with ${u.writer.fullName} v${u.writer.version} (fingerprint ${u.writer.fingerprint}), which its reader ${u.reader.fullName} v${u.reader.version} cannot read (${u.problem})`,
      {
        context: { pipeline: u.pipeline, topic: u.topic, partition: u.partition, offset: u.offset, schema: u.writer.fullName, version: u.writer.version, fingerprint: u.writer.fingerprint },
        hint: `nothing from that message on was loaded or dead-lettered; deploy the pipelines with schemas/${u.writer.file} and a reader that reads it (\`lgsp schemas check\` says what breaks, and how to fix it), or the connector back with a compatible schema, then run again: the pipeline loads from where it stopped`,
      },
    );
  }
}
