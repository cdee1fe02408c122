/**
 * The sink vocabulary. A pipeline consumes raw topics in a consumer group, decodes each message
 * (writer schema → the pipeline's reader schema), transforms it into a canonical row, and loads
 * micro-batches into its warehouse table: COPY into staging, merge into the target, and store the
 * consumed offsets — all in one PostgreSQL transaction.
 *
 * Lifecycle, as `pipeline-runner.ts` drives it:
 *  1. take the end offsets of every input partition (the run loads up to there);
 *  2. join the consumer group; on each assignment, seek to the offsets stored in the warehouse;
 *  3. for each fetched batch (one partition): lock the stored offset, drop messages below it
 *     (already loaded), decode and transform the rest, COPY rows into staging, merge, record
 *     rejects, store the new offset, commit;
 *  4. stop when the stored offsets reach the end offsets of step 1.
 */

/** Where a message came from: its lineage, stored on every loaded row. */
export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A column of a warehouse table a pipeline loads. */
export interface Column {
  readonly name: string;
  /** PostgreSQL type, for the staging table. */
  readonly type: string;
}

/** The warehouse table a pipeline input loads, and how rows are merged into it. */
export interface TableTarget {
  /** Schema-qualified table, e.g. `core.citizen`. */
  readonly table: string;
  /** Primary-key columns (merge key). */
  readonly key: readonly string[];
  /** Business columns, in the order the transform returns values. */
  readonly columns: readonly Column[];
}

/** A canonical row: values in `TableTarget.columns` order. */
export type Row = readonly (string | number | boolean | null)[];

/** A transform that cannot turn a record into a row throws this; the record is rejected, not the run. */
export class TransformError extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'TransformError';
    this.field = field;
  }
}

/** One input of a pipeline: a raw topic, the schema to read it with, and its transform. */
export interface PipelineInput {
  readonly source: string;
  readonly entity: string;
  /** Full name of the reader schema; the writer schema comes from each message. */
  readonly readerSchema: string;
  readonly target: TableTarget;
  /** Pure: decoded raw value → canonical row. Throws {@link TransformError} for a bad record. */
  readonly transform: (value: Record<string, unknown>) => Row;
  /** The key columns' values from a Kafka key, for tombstones (deletes). */
  readonly keyOf: (messageKey: string) => Row;
}

export interface PipelineDefinition {
  readonly name: string;
  readonly inputs: readonly PipelineInput[];
}

/** Figures of one load, per pipeline. */
export interface LoadFigures {
  pipeline: string;
  consumed: number;
  loaded: number;
  updated: number;
  deleted: number;
  rejected: number;
  skipped: number;
  seconds: number;
  /** Offsets still to load at the last check (end offsets taken at the start − stored offsets). */
  lag?: number;
}
