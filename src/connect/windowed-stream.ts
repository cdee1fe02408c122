import type { LgspHttpClient } from './lgsp-http-client.js';
import { itemKey, toRecord, type PageBody, type PagedStreamDefinition } from './paged-stream.js';
import { compareOffsets, type SourceOffset, type SourceRecord, type Stream } from './types.js';

const DAY_MS = 86_400_000;

/** An adapter endpoint that answers only bounded `updated_since`…`updated_until` queries. */
export interface WindowedStreamDefinition extends PagedStreamDefinition {
  /** The widest window one query may ask for, in days (the business registry allows 5). */
  readonly windowDays: number;
  /** Where the first run (no source offset) starts: an ISO timestamp before the source's oldest change. */
  readonly snapshotFrom: string;
  /** Windows whose first page is fetched ahead, concurrently (most windows are empty: one request each). */
  readonly lookahead: number;
  /** The clock deciding where the walk ends; tests pin it. */
  readonly now?: () => number;
}

/** One query window: `since` inclusive, `until` exclusive, as the adapter applies them. */
export interface Window {
  readonly since: number;
  readonly until: number;
}

/**
 * Contiguous windows of `widthMs` from `start` until one contains `end`: [start, start+w),
 * [start+w, start+2w), … Each instant in [start, end] lies in exactly one window.
 */
export function* windowsBetween(start: number, end: number, widthMs: number): Generator<Window> {
  if (!(widthMs > 0)) throw new RangeError('window width must be positive');
  for (let since = start; since <= end; since += widthMs) yield { since, until: since + widthMs };
}

/**
 * A stream over an adapter that limits how wide a query's update-time window may be: walks
 * windows from the source offset (or `snapshotFrom`) up to now and pages inside each. Pages are
 * yielded in (update time, id) order, so the offset committed after each page is exact.
 *
 * Inside a window each next page is re-anchored at the last update time seen (offset = records
 * already seen at that very time), not at a growing offset from the window's start, so a record
 * that changes mid-run shifts at most the ties of one millisecond instead of the whole window.
 * The first pages of the next `lookahead` windows are fetched concurrently: a snapshot walks
 * thousands of mostly empty windows.
 */
export function createWindowedStream(definition: WindowedStreamDefinition, client: LgspHttpClient): Stream {
  const widthMs = definition.windowDays * DAY_MS;
  const path = `v1/${definition.path}`;
  const fetchPage = (since: number | string, until: number, offset: number, signal: AbortSignal): Promise<PageBody> =>
    client.get<PageBody>(
      path,
      { updated_since: typeof since === 'string' ? since : new Date(since).toISOString(), updated_until: new Date(until).toISOString(), offset, limit: definition.pageSize },
      signal,
    );

  return {
    name: definition.name,
    entity: definition.entity,
    valueSchema: definition.valueSchema,
    primaryKey: definition.primaryKey,
    cursorField: 'updatedAt',
    check: definition.check,
    keyOf: (value) => itemKey(value[definition.primaryKey]),
    async *read(from: SourceOffset | null, signal: AbortSignal): AsyncIterable<readonly SourceRecord[]> {
      const start = Date.parse(from?.updatedAt ?? definition.snapshotFrom);
      const windows = windowsBetween(start, (definition.now ?? Date.now)(), widthMs);
      // Prefetches left over when the reader stops early are cancelled, never left to fail unhandled.
      const stop = new AbortController();
      const linked = AbortSignal.any([signal, stop.signal]);
      const ahead: { window: Window; first: Promise<PageBody> }[] = [];
      const refill = (): void => {
        while (ahead.length < Math.max(1, definition.lookahead)) {
          const next = windows.next();
          if (next.done === true) return;
          const first = fetchPage(next.value.since, next.value.until, 0, linked);
          first.catch(() => undefined);
          ahead.push({ window: next.value, first });
        }
      };
      try {
        refill();
        for (let current = ahead.shift(); current !== undefined; current = ahead.shift()) {
          refill();
          let body = await current.first;
          let anchor = '';
          let ties = 0;
          for (;;) {
            const records: SourceRecord[] = [];
            for (const item of body.data) {
              [anchor, ties] = item.updatedAt === anchor ? [anchor, ties + 1] : [String(item.updatedAt), 1];
              const record = toRecord(definition, item);
              if (from === null || compareOffsets(record.sourceOffset, from) > 0) records.push(record);
            }
            yield records;
            if (body.data.length < definition.pageSize) break;
            body = await fetchPage(anchor, current.window.until, ties, linked);
          }
        }
      } finally {
        stop.abort();
      }
    },
  };
}
