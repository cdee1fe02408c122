import type { LgspHttpClient } from './lgsp-http-client.js';
import { compareOffsets, type SourceOffset, type SourceRecord, type Stream } from './types.js';

/** An item as an LGSP adapter serves it: the entity's fields, `updatedAt`, and `deletedAt` on deletions. */
export type ServedItem = Record<string, unknown> & { readonly updatedAt?: unknown; readonly deletedAt?: unknown };

export interface PagedStreamDefinition {
  readonly name: string;
  readonly entity: string;
  readonly valueSchema: string;
  readonly primaryKey: string;
  /** Path under the adapter's `v1/`, e.g. `citizens`. */
  readonly path: string;
  readonly pageSize: number;
  /** Turns a served item into the raw schema's JS shape (dates stay strings, timestamps become Dates). */
  readonly toValue: (item: ServedItem) => Record<string, unknown>;
  /**
   * Which version of `valueSchema` a value is written with (see SourceRecord.valueSchemaVersion),
   * e.g. v1 while the source does not serve the field v2 added; omitted: always the newest.
   */
  readonly valueSchemaVersion?: (value: Record<string, unknown>) => number;
  readonly check: (value: Record<string, unknown>) => readonly string[];
}

export interface PageBody {
  readonly data: readonly ServedItem[];
}

/**
 * A stream over an LGSP adapter's incremental endpoint: `updated_since` = the offset's update time,
 * offset/limit paging in (update time, id) order, records at or before the offset skipped (several
 * records can share one update time, so the id breaks the tie).
 */
export function createPagedStream(definition: PagedStreamDefinition, client: LgspHttpClient): Stream {
  return {
    name: definition.name,
    entity: definition.entity,
    valueSchema: definition.valueSchema,
    primaryKey: definition.primaryKey,
    cursorField: 'updatedAt',
    check: definition.check,
    keyOf: (value) => itemKey(value[definition.primaryKey]),
    async *read(from: SourceOffset | null, signal: AbortSignal): AsyncIterable<readonly SourceRecord[]> {
      for (let offset = 0; ; offset += definition.pageSize) {
        const body = await client.get<PageBody>(
          `v1/${definition.path}`,
          { updated_since: from?.updatedAt, offset, limit: definition.pageSize },
          signal,
        );
        const records: SourceRecord[] = [];
        for (const item of body.data) {
          const record = toRecord(definition, item);
          if (from === null || compareOffsets(record.sourceOffset, from) > 0) records.push(record);
        }
        yield records;
        if (body.data.length < definition.pageSize) return;
      }
    },
  };
}

/** A served id as a message key: a string as it is, anything else as JSON. */
export function itemKey(id: unknown): string {
  return typeof id === 'string' ? id : JSON.stringify(id ?? null);
}

/** A served item as a source record: keyed by the primary key, a delete (`deletedAt`) as a tombstone. */
export function toRecord(definition: Pick<PagedStreamDefinition, 'primaryKey' | 'toValue' | 'valueSchemaVersion'>, item: ServedItem): SourceRecord {
  const key = itemKey(item[definition.primaryKey]);
  const sourceOffset: SourceOffset = { updatedAt: typeof item.updatedAt === 'string' ? item.updatedAt : '', id: key };
  if (item.deletedAt !== undefined && item.deletedAt !== null) return { key, value: null, sourceOffset };
  const value = definition.toValue(item);
  const version = definition.valueSchemaVersion?.(value);
  return version === undefined ? { key, value, sourceOffset } : { key, value, sourceOffset, valueSchemaVersion: version };
}
