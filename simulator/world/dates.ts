/**
 * Calendar helpers on integer day numbers (days since 1970-01-01, UTC). The generator works in day
 * numbers and milliseconds and formats only at the edge, because formatting millions of dates
 * through `Date` objects would dominate the run time.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_MINUTE = 60_000;
/** Vietnam is UTC+7 all year; office hours are local, timestamps are UTC. */
export const VN_OFFSET_MS = 7 * 3_600_000;

const CACHE_FROM = dayOf('1900-01-01');
const CACHE_TO = dayOf('2060-12-31');
const dayStrings: string[] = [];

/** 'YYYY-MM-DD' → day number. */
export function dayOf(date: string): number {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a date: ${date}`);
  return Math.round(ms / MS_PER_DAY);
}

/** Day number → 'YYYY-MM-DD' (cached: the same few thousand days are formatted millions of times). */
export function dateOf(day: number): string {
  if (day >= CACHE_FROM && day <= CACHE_TO) {
    const index = day - CACHE_FROM;
    const cached = dayStrings[index];
    if (cached !== undefined) return cached;
    const text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    dayStrings[index] = text;
    return text;
  }
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Milliseconds since the epoch → ISO-8601 UTC with milliseconds (same text as Date#toISOString, faster). */
export function isoOf(ms: number): string {
  const day = Math.floor(ms / MS_PER_DAY);
  let rest = ms - day * MS_PER_DAY;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${dateOf(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(rest - s * 1000)}Z`;
}

/** The calendar year of a day number. */
export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Day number of 1 January of a year. */
export function yearStart(year: number): number {
  return Math.round(Date.UTC(year, 0, 1) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** UTC milliseconds of a local (UTC+7) time of day on a day. */
export function localMs(day: number, localMinutes: number): number {
  return day * MS_PER_DAY + localMinutes * MS_PER_MINUTE - VN_OFFSET_MS;
}

/** The local (UTC+7) day a UTC instant falls on. */
export function localDayOf(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / MS_PER_DAY);
}

/** 'YYMMDD' of a day, as used in dossier codes. */
export function yymmdd(day: number): string {
  const d = dateOf(day);
  return d.slice(2, 4) + d.slice(5, 7) + d.slice(8, 10);
}
