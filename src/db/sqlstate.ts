/**
 * What a PostgreSQL error is about, by its SQLSTATE, decided here once for the loads, the retry
 * module and the mart:
 *
 * - `record`: the data of a row (class 22 data exception, class 23 integrity constraint, 54000
 *   program limit exceeded — an index row over 8191 bytes, a value too large for its type). The
 *   row is rejected; the others go on.
 * - `transient`: the database cannot work right now, whatever the data (class 08 connection,
 *   40001 serialization failure, 40P01 deadlock, class 53 insufficient resources — disk full,
 *   out of memory, too many connections —, 55P03 lock not available, class 57 operator
 *   intervention — shutdown, crash recovery, "cannot connect now" —, 58030 I/O error). Retried;
 *   never dead-lettered.
 * - `fatal`: anything else (a syntax error or an undefined table is a bug; an internal error is
 *   the server's): neither retried nor blamed on a record.
 */
export type SqlProblemKind = 'record' | 'transient' | 'fatal';

/** The SQLSTATE of a pg error, or undefined for anything else. */
export function sqlstateOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  // pg's DatabaseError carries 5-character SQLSTATEs; Node's system errors carry E… codes.
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '58030']);
const RECORD_CODES = new Set(['54000']);

export function sqlProblemKind(sqlstate: string): SqlProblemKind {
  const cls = sqlstate.slice(0, 2);
  if (cls === '22' || cls === '23' || RECORD_CODES.has(sqlstate)) return 'record';
  if (cls === '08' || cls === '53' || cls === '57' || TRANSIENT_CODES.has(sqlstate)) return 'transient';
  return 'fatal';
}
