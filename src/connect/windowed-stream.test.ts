import { describe, expect, it } from 'vitest';
import type { LgspHttpClient } from './lgsp-http-client.js';
import type { PageBody, ServedItem } from './paged-stream.js';
import type { SourceOffset } from './types.js';
import { createWindowedStream, windowsBetween } from './windowed-stream.js';

const DAY = 86_400_000;
const T0 = Date.parse('2020-01-01T00:00:00.000Z');

describe('windowsBetween', () => {
  it('walks contiguous windows of the given width, start inclusive, end exclusive, up to the one holding the end', () => {
    const windows = [...windowsBetween(T0, T0 + 12 * DAY, 5 * DAY)];
    expect(windows).toEqual([
      { since: T0, until: T0 + 5 * DAY },
      { since: T0 + 5 * DAY, until: T0 + 10 * DAY },
      { since: T0 + 10 * DAY, until: T0 + 15 * DAY },
    ]);
  });

  it('gives an end exactly on a boundary its own window (until is exclusive)', () => {
    const windows = [...windowsBetween(T0, T0 + 10 * DAY, 5 * DAY)];
    expect(windows.at(-1)).toEqual({ since: T0 + 10 * DAY, until: T0 + 15 * DAY });
    expect(windows).toHaveLength(3);
  });

  it('gives one window when start and end coincide, none when the end is earlier', () => {
    expect([...windowsBetween(T0, T0, DAY)]).toHaveLength(1);
    expect([...windowsBetween(T0, T0 - 1, DAY)]).toHaveLength(0);
    expect(() => [...windowsBetween(T0, T0, 0)]).toThrow(RangeError);
  });
});

/** An in-memory adapter with the mock's rules: since ≥, until <, (updatedAt, id) order, a maximum window width. */
function fakeAdapter(items: readonly ServedItem[], maxWindowMs: number): { client: LgspHttpClient; requests: Record<string, string | number | undefined>[] } {
  const requests: Record<string, string | number | undefined>[] = [];
  const sorted = [...items].sort((a, b) => String(a['updatedAt']).localeCompare(String(b['updatedAt'])) || String(a['id']).localeCompare(String(b['id'])));
  const client = {
    get: (_path: string, query: Record<string, string | number | undefined>): Promise<PageBody> => {
      requests.push(query);
      const since = Date.parse(String(query['updated_since']));
      const until = Date.parse(String(query['updated_until']));
      if (!(until - since <= maxWindowMs)) return Promise.reject(new Error(`window ${String(query['updated_since'])}…${String(query['updated_until'])} too wide`));
      const inside = sorted.filter((i) => Date.parse(String(i['updatedAt'])) >= since && Date.parse(String(i['updatedAt'])) < until);
      const offset = Number(query['offset']);
      return Promise.resolve({ data: inside.slice(offset, offset + Number(query['limit'])) });
    },
  } as unknown as LgspHttpClient;
  return { client, requests };
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function readAll(items: readonly ServedItem[], from: SourceOffset | null, pageSize = 2): Promise<{ ids: string[]; pages: number; requests: number }> {
  const { client, requests } = fakeAdapter(items, 5 * DAY);
  const stream = createWindowedStream(
    {
      name: 'things',
      entity: 'thing',
      valueSchema: 'x.Thing',
      primaryKey: 'id',
      path: 'things',
      pageSize,
      toValue: (item) => ({ ...item }),
      check: () => [],
      windowDays: 5,
      snapshotFrom: iso(T0),
      lookahead: 3,
      now: () => T0 + 30 * DAY,
    },
    client,
  );
  const ids: string[] = [];
  let pages = 0;
  let last: SourceOffset | null = null;
  for await (const page of stream.read(from, new AbortController().signal)) {
    pages += 1;
    for (const record of page) {
      if (last !== null) expect(record.sourceOffset.updatedAt >= last.updatedAt).toBe(true);
      last = record.sourceOffset;
      ids.push(record.key);
    }
  }
  return { ids, pages, requests: requests.length };
}

describe('windowed stream', () => {
  // Records on both sides of window boundaries, and five sharing one millisecond (more than a page).
  const items: ServedItem[] = [
    { id: 'a', updatedAt: iso(T0) },
    { id: 'b', updatedAt: iso(T0 + 5 * DAY - 1) },
    { id: 'c', updatedAt: iso(T0 + 5 * DAY) },
    ...['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => ({ id, updatedAt: iso(T0 + 7 * DAY) })),
    { id: 'e', updatedAt: iso(T0 + 7 * DAY + 1) },
    { id: 'f', updatedAt: iso(T0 + 29 * DAY) },
  ];

  it('reads every record exactly once, in (update time, id) order, one request per empty window', async () => {
    const { ids, requests } = await readAll(items, null);
    expect(ids).toEqual(['a', 'b', 'c', 'd1', 'd2', 'd3', 'd4', 'd5', 'e', 'f']);
    // 7 windows cover 30 days; the first pages twice (a full page of 2, then an empty one), the
    // second 4 times (7 records, 2 a page); every other window costs its one request.
    expect(requests).toBe(7 + 1 + 3);
  });

  it('resumes after the offset, including among records sharing its update time', async () => {
    const { ids } = await readAll(items, { updatedAt: iso(T0 + 7 * DAY), id: 'd2' });
    expect(ids).toEqual(['d3', 'd4', 'd5', 'e', 'f']);
    const nothing = await readAll(items, { updatedAt: iso(T0 + 29 * DAY), id: 'f' });
    expect(nothing.ids).toEqual([]);
  });

  it('pages with a full last page end with one empty request', async () => {
    const { ids } = await readAll(items, null, 1);
    expect(ids).toHaveLength(items.length);
  });
});
