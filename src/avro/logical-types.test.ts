import { describe, expect, it } from 'vitest';
import { dateToEpochDays, epochDaysToDate } from './logical-types.js';
import { parseSchema } from './parse-schema.js';

const date = parseSchema({ type: 'int', logicalType: 'date' });
const timestamp = parseSchema({ type: 'long', logicalType: 'timestamp-millis' });
const area = parseSchema({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
const fixedMoney = parseSchema({ type: 'fixed', name: 'Money', size: 4, logicalType: 'decimal', precision: 9, scale: 0 });

describe('date', () => {
  it('reads and writes YYYY-MM-DD strings as days since the epoch', () => {
    expect(date.toBuffer('1970-01-02')).toEqual(Buffer.from([0x02]));
    expect(date.fromBuffer(date.toBuffer('2001-01-01'))).toBe('2001-01-01');
    expect(date.fromBuffer(date.toBuffer('1960-12-31'))).toBe('1960-12-31');
    expect(dateToEpochDays('2001-01-01')).toBe(11323);
  });

  it('agrees with Date on every day from 1900 to 2100', () => {
    const wrong: number[] = [];
    for (let days = -25_567; days <= 47_482; days++) {
      const text = new Date(days * 86_400_000).toISOString().slice(0, 10);
      if (epochDaysToDate(days) !== text || dateToEpochDays(text) !== days) wrong.push(days);
    }
    expect(wrong).toEqual([]);
  });

  it('accepts 29 February in leap years only', () => {
    expect(date.isValid('2000-02-29')).toBe(true);
    expect(date.isValid('1900-02-29')).toBe(false);
    expect(date.isValid('2020-02-29')).toBe(true);
    expect(date.isValid('2021-02-29')).toBe(false);
  });

  it.each(['2021-02-30', '2021-13-01', '2021-04-31', '2021-1-5', '20210105', '', 11323, null])(
    'rejects %j (isValid false, encoding throws)',
    (value) => {
      expect(date.isValid(value)).toBe(false);
      expect(() => date.toBuffer(value)).toThrow();
    },
  );
});

describe('timestamp-millis', () => {
  it('reads and writes Date', () => {
    const at = new Date('2024-05-01T03:04:05.678Z');
    const back: unknown = timestamp.fromBuffer(timestamp.toBuffer(at));
    expect(back).toEqual(at);
  });

  it.each(['2024-05-01T03:04:05Z', 1714532645000, new Date('nonsense')])('rejects %j', (value) => {
    expect(timestamp.isValid(value)).toBe(false);
  });
});

describe('decimal', () => {
  it('writes the unscaled value as big-endian two\'s complement (as Java BigDecimal does)', () => {
    expect(area.toBuffer('1234.50')).toEqual(Buffer.from([0x06, 0x01, 0xe2, 0x3a])); // length 3, 123450
    expect(area.toBuffer('1.28')).toEqual(Buffer.from([0x04, 0x00, 0x80])); // 128 needs a 0 sign byte
    expect(area.toBuffer('-1.00')).toEqual(Buffer.from([0x02, 0x9c])); // length 1, -100
  });

  it.each([
    ['1234.50', '1234.50'],
    ['12.5', '12.50'],
    ['0', '0.00'],
    ['-0.05', '-0.05'],
    ['9999999999.99', '9999999999.99'],
  ])('round-trips %s as %s', (value, expected) => {
    expect(area.fromBuffer(area.toBuffer(value))).toBe(expected);
  });

  it('sign-extends into fixed', () => {
    expect(fixedMoney.toBuffer('-2')).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    expect(fixedMoney.fromBuffer(fixedMoney.toBuffer('-123456789'))).toBe('-123456789');
  });

  it.each(['1.234', '99999999999.00', 'abc', '1e3', 12.5, ''])('rejects %j without rounding', (value) => {
    expect(area.isValid(value)).toBe(false);
  });

  it('refuses a decimal without precision when the schema is parsed', () => {
    expect(() => parseSchema({ type: 'bytes', logicalType: 'decimal' })).toThrow(/precision/);
  });
});
