/**
 * Where each served page ended, so the next offset/limit request of the same query can be answered
 * with a keyset seek (`(updated_at, id) > cursor`) instead of `OFFSET n`, which reads and throws
 * away n rows: paging a whole table by offset costs the square of its size, and the mock — not the
 * connector under test — became the slowest part of a run. The answer is the same rows only while
 * the store has not changed, so every cursor carries the store's records version
 * (`sim.records_version`, bumped by a trigger on each write) and is used only under that version.
 */
export interface PageCursor {
  /** `updated_at` of the page's last row, as PostgreSQL's text (keeps the microseconds). */
  readonly updatedAt: string;
  readonly id: string;
}

interface QueryCursors {
  version: string;
  total: number;
  /** Offset of the next page → the last row before it. */
  readonly next: Map<number, PageCursor>;
}

/** Bounded: a crawl uses one query; a few hundred distinct queries are kept, the oldest dropped. */
const MAX_QUERIES = 256;

export class PageCursors {
  readonly #queries = new Map<string, QueryCursors>();

  /** The cursor before `offset` of `query` and the query's total, if known under any version. */
  lookup(query: string, offset: number): { version: string; total: number; cursor: PageCursor } | null {
    const entry = this.#queries.get(query);
    const cursor = entry?.next.get(offset);
    return entry === undefined || cursor === undefined ? null : { version: entry.version, total: entry.total, cursor };
  }

  /** Records a served page: `cursor` is its last row, `nextOffset` the offset right after it. */
  remember(query: string, version: string, total: number, nextOffset: number, cursor: PageCursor): void {
    let entry = this.#queries.get(query);
    if (entry === undefined || entry.version !== version) {
      this.#queries.delete(query);
      entry = { version, total, next: new Map() };
      this.#queries.set(query, entry);
      if (this.#queries.size > MAX_QUERIES) this.#queries.delete(this.#queries.keys().next().value as string);
    }
    entry.next.set(nextOffset, cursor);
  }
}
