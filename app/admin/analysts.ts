import { LgspError, UsageError } from '../../src/errors.js';
import { connect, quoteIdent } from '../../src/db/postgres.js';
import { scramSha256Verifier } from '../../src/db/scram-verifier.js';

/** The role analysts are members of: USAGE and SELECT on `mart`, CONNECT on the warehouse (warehouse/mart/access.sql). */
export const ANALYST_ROLE = 'lgsp_analyst';

export interface AnalystAdded {
  readonly name: string;
  /** False when the analyst existed and only its password changed. */
  readonly created: boolean;
  /** How the analyst connects, without the password: `postgres://<name>@host:port/<warehouse>`. */
  readonly url: string;
}

/**
 * A name usable unquoted in SQL and in a connection URL: lower-case letters, digits and `_`, at
 * most 63 characters (PostgreSQL's limit), not PostgreSQL's own `pg_` and not the analysts' role.
 * Keywords that SQL would need quoted are refused by the server's `quote_ident` in {@link addAnalyst}.
 */
export function checkAnalystName(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name) || name.startsWith('pg_') || name === ANALYST_ROLE) {
    throw new UsageError(
      `${JSON.stringify(name)} is not a plain analyst name`,
      'use lower-case letters, digits and _ (at most 63, not starting with a digit or pg_), e.g. nguyen_van_an',
    );
  }
}

/**
 * Adds an analyst: a LOGIN role that is a member of lgsp_analyst (it can connect to the warehouse
 * and read `mart`, and nothing else the project holds), or sets a new password when that analyst
 * exists. Idempotent. The password is sent as its SCRAM-SHA-256 verifier only. Refuses a name that
 * belongs to a role that is not an analyst (`postgres`, a component's role): changing its password
 * would lock out whatever uses it. Needs a DATABASE_URL role with CREATEROLE.
 */
export async function addAnalyst(databaseUrl: string, name: string, password: string): Promise<AnalystAdded> {
  checkAnalystName(name);
  if (password === '') throw new UsageError('the analyst password is empty', 'set LGSP_ANALYST_PASSWORD, or type one at the prompt');
  const db = await connect(databaseUrl);
  try {
    await db.query('BEGIN');
    // Two operators adding the same analyst at once: one creates, the other updates.
    await db.query("SELECT pg_advisory_xact_lock(hashtext('lgsp analyst add'))");
    const plain = await db.query<{ plain: boolean }>('SELECT quote_ident($1) = $1 AS plain', [name]);
    if (plain.rows[0]?.plain !== true) throw new UsageError(`${name} is an SQL keyword`, 'choose another analyst name');
    const group = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [ANALYST_ROLE]);
    if (group.rowCount === 0) throw new LgspError('ANALYST_ROLE_MISSING', `the role ${ANALYST_ROLE} does not exist`, { hint: 'run `npx lgsp migrate` first' });
    const existing = await db.query<{ analyst: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $2) AS analyst
       FROM pg_roles r WHERE r.rolname = $1`,
      [name, ANALYST_ROLE],
    );
    const found = existing.rows[0];
    if (found !== undefined && !found.analyst) {
      throw new LgspError('ANALYST_NAME_TAKEN', `role ${name} exists and is not an analyst (not a member of ${ANALYST_ROLE})`, {
        context: { role: name },
        hint: 'choose another name; an existing role is given analyst access with GRANT lgsp_analyst TO <role>',
      });
    }
    const verifier = db.escapeLiteral(scramSha256Verifier(password));
    await db.query(
      found === undefined
        ? `CREATE ROLE ${quoteIdent(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${verifier} IN ROLE ${ANALYST_ROLE}`
        : `ALTER ROLE ${quoteIdent(name)} LOGIN PASSWORD ${verifier}`,
    );
    await db.query('COMMIT');
    return { name, created: found === undefined, url: analystUrl(databaseUrl, name) };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    if ((err as { code?: string }).code === '42501') {
      throw new LgspError('ANALYST_NOT_PERMITTED', `the DATABASE_URL role may not create or change roles`, {
        cause: err,
        hint: 'run it with a DATABASE_URL whose role has CREATEROLE (or is a superuser)',
      });
    }
    throw err;
  } finally {
    await db.end();
  }
}

/** The warehouse's URL as the analyst uses it: their name, no password, no parameters. */
function analystUrl(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  return `postgres://${name}@${url.host}${url.pathname}`;
}
