import pg from 'pg';
import { LgspError } from '../../src/errors.js';
import { connect } from '../../src/db/postgres.js';
import { sqlstateOf } from '../../src/db/sqlstate.js';

/** What one analyst query returned: its columns in order (names may repeat) and its rows as arrays. */
export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** The statement's tag (SELECT, EXPLAIN, SHOW…). */
  readonly command: string;
}

/**
 * Runs one SQL statement in a read-only transaction that is always rolled back, for `lgsp sql`:
 * the analyst's SQL on a machine without psql. One statement only — the extended protocol refuses
 * `a; b`, so nothing can end the read-only transaction and run after it. This is a guard against
 * mistakes, not access control: that is the login's (an analyst reads the mart and nothing else).
 */
export async function readOnlyQuery(url: string, sql: string): Promise<QueryResult> {
  if (sql.trim() === '') throw new LgspError('SQL_EMPTY', 'no SQL statement given', { hint: `e.g. lgsp sql 'select * from mart.indicator_vs_target limit 5'` });
  const db = await connect(url);
  try {
    await db.query('BEGIN READ ONLY');
    try {
      // queryMode is pg's (8.11+), not in @types/pg yet: the extended protocol, one statement.
      const query: pg.QueryArrayConfig & { queryMode: 'extended' } = { text: sql, rowMode: 'array', queryMode: 'extended', types: { getTypeParser: typeParser } };
      const result = await db.query<unknown[]>(query);
      return { columns: result.fields.map((f) => f.name), rows: result.rows, command: result.command };
    } catch (err) {
      throw queryError(err);
    } finally {
      await db.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    await db.end();
  }
}

/** Dates and zone-less timestamps as the server writes them: pg would make them local-time Dates, shown shifted. */
const AS_TEXT = new Set([1082, 1114]);

function typeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (AS_TEXT.has(oid)) return (value) => value;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

function queryError(err: unknown): LgspError {
  const sqlstate = sqlstateOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const position = (err as { position?: string }).position;
  return new LgspError('SQL_FAILED', `the warehouse refused the query${sqlstate === undefined ? '' : ` (SQLSTATE ${sqlstate})`}: ${message}${position === undefined ? '' : ` at character ${position}`}`, {
    cause: err,
    context: { sqlstate: sqlstate ?? null },
    hint:
      sqlstate === '25006'
        ? 'lgsp sql only reads; changes go through migrations and the pipelines'
        : sqlstate === '42601' && /multiple commands/.test(message)
          ? 'one statement at a time'
          : 'the mart views and their columns are in docs/data-dictionary.md',
  });
}

/** A value as text: NULL as nothing (as psql shows it), times in ISO-8601, JSON as JSON, bytes as \x hex. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
