import type { Settings } from '../config/settings.js';
import type { Logger } from '../logger.js';

/**
 * The connector vocabulary, after Kafka Connect: a source connector has streams; a stream reads
 * records from its source system starting at a source offset; every record carries the source
 * offset to resume from after it. The runner (`source-runner.ts`) validates, encodes and writes
 * records and offsets to Kafka in one transaction.
 *
 * Lifecycle of a stream, as the runner drives it:
 *  1. the runner reads the stream's last committed source offset (or null: first run → snapshot);
 *  2. it iterates `read(offset)`; each yielded page is one unit of work;
 *  3. for each page it validates every record against the stream's raw Avro schema (the record's
 *     `valueSchemaVersion` of it, the newest by default) and `check`; valid records go to the
 *     stream's topic, invalid ones to `<topic>.dlq`;
 *  4. the records and the page's last source offset are committed in one Kafka transaction (with
 *     the pages before it, up to LGSP_EXTRACT_RECORDS_PER_TRANSACTION records);
 *  5. when `read` ends, the stream is caught up.
 *
 * Lifecycle of a connector: built by its factory (config validated, clients and pools created but
 * not yet connected), its streams run one after another, then `close()` — always, after success or
 * failure — releases what the factory created (a database pool, sockets).
 */

/** Where to resume a stream: the cursor (update time) and the id as tie-breaker. */
export interface SourceOffset {
  readonly updatedAt: string;
  readonly id: string;
}

/** One record read from a source system. */
export interface SourceRecord {
  /** The record's primary key; the Kafka message key, so changes to one entity stay in order. */
  readonly key: string;
  /** The record as the source served it, converted to the raw schema's JS shape; null is a delete (tombstone). */
  readonly value: Record<string, unknown> | null;
  /** The offset to resume from once this record is committed. */
  readonly sourceOffset: SourceOffset;
  /**
   * The version of the stream's value schema to write the record with; the newest when absent.
   * A source that does not serve a field yet is written with the version before it, so that
   * pipelines deployed without the newer version keep reading its records.
   */
  readonly valueSchemaVersion?: number;
}

export interface Stream {
  /** Stream name, unique within its connector, e.g. `citizens`. */
  readonly name: string;
  /** Entity name used in the topic, e.g. `citizen` → `lgsp.raw.population.citizen.v1`. */
  readonly entity: string;
  /** Full name of the raw Avro schema the records are written with. */
  readonly valueSchema: string;
  readonly primaryKey: string;
  readonly cursorField: string;
  /** Reads every change after `from` (everything when null), a page at a time, in cursor order. */
  read(from: SourceOffset | null, signal: AbortSignal): AsyncIterable<readonly SourceRecord[]>;
  /**
   * The key the value names, in the encoding of the records' keys: the runner dead-letters a
   * record whose key is another (a key must identify the entity in its value, or its changes land
   * in another entity's partition).
   */
  keyOf(value: Record<string, unknown>): string;
  /**
   * Domain checks the Avro schema cannot express (identifier check digits, lengths). Returns
   * problems, each naming the field; empty when the record is valid.
   */
  check(value: Record<string, unknown>): readonly string[];
}

/** A source system: its name (topic segment) and its streams. */
export interface SourceConnector {
  readonly name: string;
  readonly streams: readonly Stream[];
  /** Releases what the connector holds (e.g. a database pool); the runner calls it once, last. */
  close?(): Promise<void>;
}

/** Orders source offsets: update time first, then id. */
export function compareOffsets(a: SourceOffset, b: SourceOffset): number {
  const ta = Date.parse(a.updatedAt);
  const tb = Date.parse(b.updatedAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What a connector's factory is given by the runtime that builds it. */
export interface ConnectorDeps {
  readonly settings: Settings;
  readonly logger: Logger;
  /** Called once per retried source request, with the stream it was made for (the run's figures). */
  readonly onRetry?: (stream: string) => void;
  /** Overrides of the connector's settings (tests and the demo point at a mock on another port). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * Builds a connector: validates its configuration (failing with a ConfigError naming the field)
 * and creates its clients, connecting nothing yet. Called per run, and to list its streams.
 */
export type ConnectorFactory = (deps: ConnectorDeps) => SourceConnector;
