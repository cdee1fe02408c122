import { describe, expect, it } from 'vitest';
import { dateOf, dayOf, isoOf, localDayOf, localMs, weekday } from './dates.js';

describe('dates', () => {
  it('formats ISO timestamps exactly like Date#toISOString', () => {
    for (let ms = 946_684_800_000; ms < 1_900_000_000_000; ms += 7_777_777_777 + 123) {
      expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('round-trips days and knows local (UTC+7) days', () => {
    expect(dateOf(dayOf('2025-07-01'))).toBe('2025-07-01');
    expect(weekday(dayOf('2021-01-01'))).toBe(5); // a Friday
    const day = dayOf('2022-01-01');
    expect(localDayOf(localMs(day, 5))).toBe(day); // 00:05 local is still 31 Dec in UTC
    expect(isoOf(localMs(day, 5))).toBe('2021-12-31T17:05:00.000Z');
  });
});
