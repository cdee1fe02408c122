/**
 * Which database errors are about one record (reject it) and which are not (stop the pipeline).
 * SQLSTATE class 22 (data exception: a value the column type refuses) and 23 (integrity
 * constraint violation) are caused by the row; everything else — connection lost, deadlock, disk
 * full, a bug in the SQL — is not, and must roll back the batch without moving the offset.
 */
export function recordProblem(err: unknown): { code: string; reason: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; message?: unknown; column?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof e.code !== 'string' || !(e.code.startsWith('22') || e.code.startsWith('23'))) return null;
  const field = typeof e.column === 'string' ? e.column : typeof e.constraint === 'string' ? e.constraint : 'row';
  const detail = typeof e.detail === 'string' ? ` (${e.detail})` : '';
  return {
    code: e.code.startsWith('23') ? 'CONSTRAINT_VIOLATED' : 'DATA_INVALID',
    reason: `${field}: ${String(e.message)}${detail} [SQLSTATE ${e.code}]`.slice(0, 2000),
  };
}
