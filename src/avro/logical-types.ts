/**
 * Avro logical types as the platform represents them in JavaScript. One representation each, so
 * connectors, pipelines and tests agree without converting:
 *
 * | logical type       | Avro type          | JavaScript value                                      |
 * |--------------------|--------------------|-------------------------------------------------------|
 * | `date`             | int (days)         | `'YYYY-MM-DD'` string; impossible dates are invalid   |
 * | `timestamp-millis` | long (ms, UTC)     | `Date` (a `Date` only: no strings, no numbers)        |
 * | `decimal`          | bytes or fixed     | decimal string such as `'1234.50'`, exact, no rounding |
 *
 * Dates stay strings because a civil date has no time zone: a `Date` at UTC midnight shifts a day
 * when printed in Asia/Ho_Chi_Minh. Timestamps are instants, so `Date` fits. Decimals are strings
 * because land areas and fees must not pass through floating point.
 *
 * When a reader's logical type meets a writer's type, only the same logical type or its exact
 * underlying primitive resolves (a `date` is never read as `timestamp-millis`, although int → long
 * promotion would allow it at the byte level).
 */
import avsc from 'avsc';
import type { Schema, Type } from 'avsc';

const MS_PER_DAY = 86_400_000;
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `'YYYY-MM-DD'` → days since 1970-01-01, or undefined when the string is not a real calendar date. */
export function dateToEpochDays(value: unknown): number | undefined {
  // Hand-parsed: this runs for every date of every record validated or encoded.
  if (typeof value !== 'string' || value.length !== 10 || value[4] !== '-' || value[7] !== '-') return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Days since 1970-01-01 → `'YYYY-MM-DD'` (years 0000–9999; others as `Date#toISOString` prints them). */
export function epochDaysToDate(days: number): string {
  // H. Hinnant's `civil_from_days`, by hand: this runs for every date of every record decoded.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(days * MS_PER_DAY).toISOString().slice(0, -14);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function invalid(what: string, value: unknown): Error {
  return new Error(`invalid ${what}: ${JSON.stringify(value) ?? String(value)}`);
}

/** `'date'` for a `date` type and so on; undefined for a type without a logical type. */
export function logicalName(type: Type): string | undefined {
  const name = type.typeName;
  return name.startsWith('logical:') ? name.slice('logical:'.length) : undefined;
}

/** Plain types a reader's logical type accepts from a writer without that logical type. */
const PLAIN_WRITERS: Readonly<Record<string, readonly string[]>> = {
  date: ['int'],
  'timestamp-millis': ['long', 'int'],
};

/**
 * Whether a reader with a logical type can read what `writer` wrote: the same logical type (for
 * decimals: same scale, reader precision at least the writer's), or the plain underlying type
 * (`int` for a date, `long`/`int` for a timestamp, the same bytes or fixed for a decimal).
 * The one rule both avsc's resolution and the compatibility check use.
 */
export function canReadLogical(reader: Type, writer: Type): boolean {
  const readerLogical = logicalName(reader);
  const writerLogical = logicalName(writer);
  if (readerLogical === undefined) return false;
  if (writerLogical !== undefined) {
    if (writerLogical !== readerLogical) return false;
    if (reader instanceof DecimalType && writer instanceof DecimalType) {
      return writer.scale === reader.scale && writer.precision <= reader.precision;
    }
    return true;
  }
  if (reader instanceof DecimalType) {
    try {
      reader.underlyingType.createResolver(writer);
      return true;
    } catch {
      return false;
    }
  }
  return (PLAIN_WRITERS[readerLogical] ?? []).includes(writer.typeName);
}

function resolveLogical(reader: Type, writer: Type, fromPlain: (value: unknown) => unknown): ((value: unknown) => unknown) | undefined {
  if (!canReadLogical(reader, writer)) return undefined;
  // A writer with the same logical type already hands over the JavaScript value.
  return logicalName(writer) === undefined ? fromPlain : (value) => value;
}

type ErrorHook = (value: unknown, type: Type) => void;

/**
 * Common shape of the platform's logical types: one non-throwing `convert`, used both to write
 * (throwing a clear error) and to check. Checking must not throw: avsc probes every logical branch
 * of a union with `_check`, and an exception per probe costs microseconds per record.
 */
abstract class CheckedLogicalType extends avsc.types.LogicalType {
  /** What a valid value looks like, for error messages. */
  protected abstract readonly expected: string;

  /** The underlying Avro value, or undefined when `value` is not valid. */
  protected abstract convert(value: unknown): unknown;

  protected override _toValue(value: unknown): unknown {
    const converted = this.convert(value);
    if (converted === undefined) throw invalid(this.expected, value);
    return converted;
  }

  /** avsc's validity check (`isValid`, union branch selection), without exceptions. */
  _check(value: unknown, flags: number, hook: ErrorHook | undefined, path: string[] | undefined): boolean {
    const converted = this.convert(value);
    if (converted === undefined) {
      hook?.(value, this);
      return false;
    }
    const underlying = this.underlyingType as unknown as { _check(v: unknown, f: number, h?: ErrorHook, p?: string[]): boolean };
    return underlying._check(converted, flags, hook, path);
  }
}

/** `date` ↔ `'YYYY-MM-DD'`. */
export class DateType extends CheckedLogicalType {
  protected readonly expected = 'date (expected an existing YYYY-MM-DD)';

  protected override _fromValue(days: number): string {
    return epochDaysToDate(days);
  }

  protected convert(value: unknown): number | undefined {
    return dateToEpochDays(value);
  }

  protected override _resolve(writer: Type): ((value: unknown) => unknown) | undefined {
    return resolveLogical(this, writer, (value) => this._fromValue(value as number));
  }
}

/** `timestamp-millis` ↔ `Date`. */
export class TimestampMillisType extends CheckedLogicalType {
  protected readonly expected = 'timestamp (expected a valid Date)';

  protected override _fromValue(ms: number): Date {
    return new Date(ms);
  }

  protected convert(value: unknown): number | undefined {
    if (!(value instanceof Date)) return undefined;
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }

  protected override _resolve(writer: Type): ((value: unknown) => unknown) | undefined {
    return resolveLogical(this, writer, (value) => this._fromValue(value as number));
  }
}

/** `decimal` (bytes or fixed, with `precision` and `scale`) ↔ exact decimal string such as `'1234.50'`. */
export class DecimalType extends CheckedLogicalType {
  /** Total number of significant digits the schema allows. */
  readonly precision: number;
  /** Digits after the decimal point; values are written with exactly this many. */
  readonly scale: number;
  private readonly fixedSize: number | undefined;

  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    const attrs = schema as { precision?: unknown; scale?: unknown };
    const precision = attrs.precision;
    const scale = attrs.scale ?? 0;
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) {
      throw new Error('decimal needs an integer "precision" ≥ 1');
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new Error('decimal "scale" must be an integer between 0 and precision');
    }
    const underlying = this.underlyingType as Type & { size?: number };
    if (underlying.typeName !== 'bytes' && underlying.typeName !== 'fixed') throw new Error('decimal must be bytes or fixed');
    this.precision = precision;
    this.scale = scale;
    this.fixedSize = underlying.typeName === 'fixed' ? underlying.size : undefined;
  }

  protected override _fromValue(bytes: Buffer): string {
    const unscaled = twosComplementToBigInt(bytes);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${whole}${this.scale > 0 ? `.${fraction}` : ''}`;
  }

  protected get expected(): string {
    return `decimal(${this.precision},${this.scale}) (a string like '12.5' with at most ${this.scale} decimals and ${this.precision} digits)`;
  }

  protected convert(value: unknown): Buffer | undefined {
    const match = typeof value === 'string' ? DECIMAL_PATTERN.exec(value) : null;
    if (match === null) return undefined;
    const fraction = match[3] ?? '';
    if (fraction.length > this.scale) return undefined; // never round silently
    const unscaled = BigInt(`${match[2] ?? '0'}${fraction.padEnd(this.scale, '0')}`);
    if (unscaled.toString().length > this.precision) return undefined;
    return bigIntToTwosComplement(match[1] === '-' ? -unscaled : unscaled, this.fixedSize);
  }

  protected override _resolve(writer: Type): ((value: unknown) => unknown) | undefined {
    return resolveLogical(this, writer, (value) => this._fromValue(value as Buffer));
  }

  protected override _export(schema: Schema): void {
    Object.assign(schema, { precision: this.precision, scale: this.scale });
  }
}

function twosComplementToBigInt(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${bytes.toString('hex')}`);
  return (bytes[0] ?? 0) & 0x80 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

function bigIntToTwosComplement(value: bigint, size: number | undefined): Buffer | undefined {
  // Minimal length that keeps the sign bit right, unless a fixed size is imposed.
  let length = 1;
  while (value >= 1n << BigInt(length * 8 - 1) || value < -(1n << BigInt(length * 8 - 1))) length += 1;
  if (size !== undefined) {
    if (length > size) return undefined;
    length = size;
  }
  const unsigned = value < 0n ? (1n << BigInt(length * 8)) + value : value;
  return Buffer.from(unsigned.toString(16).padStart(length * 2, '0'), 'hex');
}

/** The logical types every schema is parsed with (see {@link parseSchema}). */
export const LOGICAL_TYPES = {
  date: DateType,
  'timestamp-millis': TimestampMillisType,
  decimal: DecimalType,
} as const;
