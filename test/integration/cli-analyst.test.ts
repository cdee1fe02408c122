import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../src/db/postgres.js';
import { openSimStore } from '../../simulator/store/sim-store.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

/** Connects as `user` (the test server trusts 127.0.0.1, so it is the CONNECT privilege that decides) and runs `sql`: `ok`, or the SQLSTATE that refused it. */
async function asRole(url: string, user: string, sql = 'SELECT 1'): Promise<string> {
  const target = new URL(url);
  target.username = user;
  const client = new pg.Client({ connectionString: target.toString() });
  try {
    await client.connect();
    await client.query(sql);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('lgsp analyst add', () => {
  const t = useDeployment({ runtime: false });
  const analyst = `analyst_${t.id}`;
  const outsider = `outsider_${t.id}`;
  const lgsp = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => startCli(args, t.cliEnv(env)).done;

  afterAll(async () => {
    for (const role of [analyst, outsider]) await t.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  });

  it('creates a login that reads the mart, and nothing in core, meta or the simulator store', async () => {
    await (await openSimStore(t.simStoreUrl)).end();
    const password = 'Mật-khẩu-an-toàn-7f3a';
    const result = await lgsp(['analyst', 'add', analyst], { LGSP_ANALYST_PASSWORD: password });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { hostname, port, pathname } = new URL(t.settings.DATABASE_URL);
    expect(result.stdout).toContain(`Analyst ${analyst} created`);
    expect(result.stdout).toContain(`psql 'postgres://${analyst}@${hostname}:${port}${pathname}'`);
    expect(result.stdout).not.toContain(password);

    const [role] = await t.query<{ rolcanlogin: boolean; rolsuper: boolean; rolpassword: string; analyst: boolean }>(
      `SELECT rolcanlogin, rolsuper, rolpassword, pg_has_role(rolname, 'lgsp_analyst', 'MEMBER') AS analyst FROM pg_authid WHERE rolname = $1`,
      [analyst],
    );
    expect(role).toMatchObject({ rolcanlogin: true, rolsuper: false, analyst: true });
    // The server received (and keeps) a SCRAM verifier, never the password.
    expect(role?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);

    expect(await asRole(t.settings.DATABASE_URL, analyst, 'SELECT count(*) FROM mart.indicator')).toBe('ok');
    expect(await asRole(t.settings.DATABASE_URL, analyst, 'SELECT 1 FROM core.citizen LIMIT 1')).toBe('42501');
    expect(await asRole(t.settings.DATABASE_URL, analyst, 'SELECT 1 FROM meta.runs LIMIT 1')).toBe('42501');
    // 42501: "User does not have CONNECT privilege" — the store plays the national systems.
    expect(await asRole(t.simStoreUrl, analyst)).toBe('42501');
  });

  it('leaves PUBLIC no CONNECT on the warehouse or the store: a login that is not an analyst gets into neither', async () => {
    await t.query(`CREATE ROLE ${quoteIdent(outsider)} LOGIN`);
    expect(await asRole(t.settings.DATABASE_URL, outsider)).toBe('42501');
    expect(await asRole(t.simStoreUrl, outsider)).toBe('42501');
    // The components' own role (the deployment's DATABASE_URL user) still connects to both.
    expect(await asRole(t.settings.DATABASE_URL, new URL(t.settings.DATABASE_URL).username)).toBe('ok');
    expect(await asRole(t.simStoreUrl, new URL(t.simStoreUrl).username)).toBe('ok');
  });

  it('changes the password of an existing analyst, idempotently', async () => {
    const before = await t.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [analyst]);
    const result = await lgsp(['analyst', 'add', analyst], { LGSP_ANALYST_PASSWORD: 'another-one-91c2' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Analyst ${analyst} exists: password changed`);
    const after = await t.query<{ rolpassword: string }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [analyst]);
    expect(after[0]?.rolpassword).not.toBe(before[0]?.rolpassword);
  });

  it('refuses names that are not plain identifiers, roles that are not analysts, and a missing password', async () => {
    const refused = async (args: string[], env: Record<string, string>, pattern: RegExp): Promise<void> => {
      const result = await lgsp(args, env);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(pattern);
    };
    const env = { LGSP_ANALYST_PASSWORD: 'x-password-5e1d' };
    await refused(['analyst', 'add', 'Robert"); DROP ROLE postgres; --'], env, /is not a plain analyst name \[USAGE\]/);
    await refused(['analyst', 'add', 'pg_monitor'], env, /is not a plain analyst name \[USAGE\]/);
    await refused(['analyst', 'add', 'select'], env, /select is an SQL keyword \[USAGE\]/);
    await refused(['analyst', 'add', 'postgres'], env, /role postgres exists and is not an analyst .*\[ANALYST_NAME_TAKEN\]/);
    // No LGSP_ANALYST_PASSWORD and stdin is not a terminal (startCli gives it none): nothing to hide a prompt in.
    await refused(['analyst', 'add', `${analyst}_2`], {}, /no password: stdin is not a terminal \[USAGE\]\n {2}hint: set LGSP_ANALYST_PASSWORD/);
    expect(await t.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [`${analyst}_2`])).toEqual([]);
  });
});
