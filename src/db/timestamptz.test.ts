import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { timestamptzParser } from './timestamptz.js';

const TIMESTAMPTZ_OID = 1184;
const pgParser = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => unknown;

describe('timestamptzParser', () => {
  const parse = timestamptzParser(pgParser);
  it.each([
    '2025-03-04 10:20:30+07',
    '2025-03-04 10:20:30.1+07',
    '2025-03-04 10:20:30.123+07',
    '2025-03-04 10:20:30.123456+00',
    '2025-03-04 10:20:30.999999-03:30',
    '1999-12-31 23:59:59.5+05:45',
    '1900-01-01 00:00:00+06:42:04',
    '2024-02-29 00:00:00-12',
    '0099-06-01 12:00:00+00',
    '2025-03-04 10:20:30 BC+07',
    'infinity',
    '-infinity',
  ])('reads %s as pg does', (text) => {
    const ours = parse(text);
    const theirs = pgParser(text);
    expect(ours instanceof Date ? ours.getTime() : ours).toEqual(theirs instanceof Date ? theirs.getTime() : theirs);
  });

  it('agrees with pg on 5,000 instants, offsets and fractions', () => {
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 5000; i += 1) {
      const offsetMinutes = (next(2) === 0 ? -1 : 1) * (next(15) * 60 + [0, 30, 45][next(3)]!);
      const local = new Date(Date.UTC(1950, 0, 1) + next(2 ** 31) * 1000 + next(1000) + offsetMinutes * 60_000).toISOString();
      const fraction = ['', `.${local.slice(20, 23)}`, `.${local.slice(20, 23)}${String(next(1000)).padStart(3, '0')}`, `.${local.slice(20, 21)}`][next(4)]!;
      const sign = offsetMinutes < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
      const mm = Math.abs(offsetMinutes) % 60;
      const text = `${local.slice(0, 10)} ${local.slice(11, 19)}${fraction}${sign}${hh}${mm === 0 ? '' : `:${String(mm).padStart(2, '0')}`}`;
      expect((parse(text) as Date).getTime(), text).toBe((pgParser(text) as Date).getTime());
    }
  });
});
