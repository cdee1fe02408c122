/**
 * PostgreSQL's text output of `timestamptz` (DateStyle ISO: `2025-03-04 10:20:30.123456+07`, the
 * offset as `+hh`, `+hh:mm` or `+hh:mm:ss`) as a Date, in one regular expression and Date.UTC.
 * pg's default parser (postgres-date) tries several expressions per value; reading the one-stop
 * system's timestamps it took 0.4 s of the pipeline process's ~25 busy CPU seconds in a 0.1 run's
 * profile, and this one is 2.2× cheaper per value. Anything else it does not recognise
 * (BC years, years before 1000 — Date.UTC reads 0–99 as 19xx —, years past 9999, `infinity`, no
 * offset) goes to `fallback`, pg's own parser.
 */
const ISO = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?$/;

export function timestamptzParser(fallback: (value: string) => unknown): (value: string) => unknown {
  return (value: string) => {
    const m = ISO.exec(value);
    if (m === null || m[8] === undefined || Number(m[1]) < 1000) return fallback(value);
    const fraction = m[7] ?? '';
    const ms = fraction === '' ? 0 : Math.floor(Number(fraction.padEnd(6, '0')) / 1000);
    const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
    const offsetSeconds = (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) * (m[8] === '-' ? -1 : 1);
    return new Date(utc - offsetSeconds * 1000);
  };
}
