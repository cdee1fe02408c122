import { sqlProblemKind, sqlstateOf } from '../db/sqlstate.js';

/** Why the database refused a record, for its reject row and dead letter. */
export interface RecordProblem {
  readonly code: string;
  readonly reason: string;
}

/**
 * Whether a database error is about one record (reject it) or not (stop the pipeline), by its
 * SQLSTATE (src/db/sqlstate.ts): a data exception (class 22), an integrity constraint (class 23)
 * or a program limit (54000: an index row over its maximum size) is the row's; everything else —
 * connection lost, deadlock, disk full, a bug in the SQL — is not, and must roll back the batch
 * without moving the offset.
 */
export function recordProblem(err: unknown): RecordProblem | null {
  const sqlstate = sqlstateOf(err);
  if (sqlstate === undefined || sqlProblemKind(sqlstate) !== 'record') return null;
  const e = err as { message?: unknown; column?: unknown; constraint?: unknown; detail?: unknown };
  const field = typeof e.column === 'string' ? e.column : typeof e.constraint === 'string' ? e.constraint : 'row';
  const detail = typeof e.detail === 'string' ? ` (${e.detail.slice(0, 500)})` : '';
  return {
    code: sqlstate.startsWith('23') ? 'CONSTRAINT_VIOLATED' : sqlstate.startsWith('22') ? 'DATA_INVALID' : 'VALUE_TOO_LARGE',
    reason: `${field}: ${String(e.message).slice(0, 1000)}${detail} [SQLSTATE ${sqlstate}]`.slice(0, 2000),
  };
}
