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
  /** What the column means (becomes the field doc of the canonical Avro schema). */
  readonly doc?: string;
  /** The column may be NULL in a loaded row. */
  readonly nullable?: boolean;
  /**
   * What a value may be, beyond its type; every row a transform returns is checked against its
   * columns' bounds before it is staged (src/sink/row-bounds.ts), and a value out of bounds rejects
   * the record naming the column. Unset parts take the type's defaults (text: 256 characters —
   * short enough for any index; integer: int4; dates: 1900 to 2100).
   */
  readonly bounds?: ColumnBounds;
}

/** Bounds of a column's values; see {@link Column.bounds}. */
export interface ColumnBounds {
  /** Longest text, in characters (jsonb: in characters of its JSON text). */
  readonly maxLength?: number;
  /** Smallest and largest number. */
  readonly min?: number;
  readonly max?: number;
  /** Earliest and latest date or time (ISO 8601); 'now' = the time of the check (plus a day of clock skew). */
  readonly notBefore?: string;
  readonly notAfter?: string;
}

/**
 * SCD type 2 history of some columns of a target, kept in its own table beside the current-state
 * row: `(key…, tracked…, valid_from, valid_to, lineage)`, `valid_to` exclusive, NULL = current.
 * Every staged change of a key is applied in offset order; a change of a tracked value (or a
 * delete) closes the open version at the change's `validFrom` value and opens a new one.
 * Changes not newer (in source time) than the latest version of their key are ignored, so a replay
 * — even after the stored offsets were reset — changes nothing.
 */
export interface HistorySpec {
  /** Schema-qualified history table, e.g. `core.citizen_residence_history`. */
  readonly table: string;
  /** Target columns whose change opens a new version. */
  readonly tracked: readonly string[];
  /** Target column holding when the change happened in the source (e.g. `source_updated_at`). */
  readonly validFrom: string;
}

/**
 * A child table holding an array of the parent record (e.g. contribution periods). Its rows are
 * replaced as a set whenever the parent row changes, in the same transaction.
 */
export interface ChildTarget {
  /** Name the transform uses for this child's rows. */
  readonly name: string;
  /** Schema-qualified table; its key starts with the parent key columns (same names). */
  readonly table: string;
  /** All columns, parent key first, in the order the transform returns values. */
  readonly columns: readonly Column[];
  readonly doc?: string;
}

/** The warehouse table a pipeline input loads, and how rows are merged into it. */
export interface TableTarget {
  /** Schema-qualified table, e.g. `core.citizen`. */
  readonly table: string;
  /** Primary-key columns (merge key). */
  readonly key: readonly string[];
  /** Business columns, in the order the transform returns values. */
  readonly columns: readonly Column[];
  /** What one row is (becomes the doc of the canonical Avro schema). */
  readonly doc?: string;
  readonly history?: HistorySpec;
  readonly children?: readonly ChildTarget[];
}

/** A canonical row: values in `TableTarget.columns` order. */
export type Row = readonly (string | number | boolean | null)[];

/** A canonical row with the rows of its child tables, by {@link ChildTarget.name}. */
export interface RowWithChildren {
  readonly row: Row;
  readonly children: Readonly<Record<string, readonly Row[]>>;
}

/** What a transform returns: a row, or a row with child rows. */
export type TransformOutput = Row | RowWithChildren;

/** One input of a pipeline: a raw topic, the schema to read it with, and its transform. */
export interface PipelineInput {
  readonly source: string;
  readonly entity: string;
  /** Full name of the reader schema; the writer schema comes from each message. */
  readonly readerSchema: string;
  readonly target: TableTarget;
  /** Pure: decoded raw value → canonical row (and child rows). Throws a TransformError (./errors.ts) for a bad record. */
  readonly transform: (value: Record<string, unknown>) => TransformOutput;
  /** The key columns' values from a Kafka key, for tombstones (deletes). */
  readonly keyOf: (messageKey: string) => Row;
}

export interface PipelineDefinition {
  readonly name: string;
  readonly inputs: readonly PipelineInput[];
}

/** What happened to the messages of one batch, or of a whole load. */
export interface LoadCounts {
  consumed: number;
  /** Rows inserted. */
  loaded: number;
  updated: number;
  deleted: number;
  /**
   * Merged without effect: the row already held the same values, a later message had set it, or a
   * later message of the same batch superseded it. `consumed = loaded + updated + deleted +
   * unchanged + rejected + skipped`.
   */
  unchanged: number;
  rejected: number;
  /** Messages below the stored offset: already loaded by an earlier run (a replay). */
  skipped: number;
}

/** What one input (topic → table) of a pipeline did in a load. */
export interface InputFigures extends LoadCounts {
  readonly topic: string;
  readonly table: string;
}

/** Figures of one load, per pipeline (the sums of its inputs'). */
export interface LoadFigures extends LoadCounts {
  pipeline: string;
  seconds: number;
  /** Offsets still to load at the last check (end offsets taken at the start − stored offsets). */
  lag?: number;
  /** Per input topic; absent when there was nothing to load. */
  inputs?: InputFigures[];
  /** Dead letters of this pipeline waiting in the outbox after the load (0 unless the DLQ could not be written). */
  deadLettersPending?: number;
}
