import { describe, expect, it } from 'vitest';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

describe('lgsp sql', () => {
  const t = useDeployment({ runtime: false });
  const lgsp = (args: string[]): Promise<CliResult> => startCli(args, t.cliEnv()).done;

  it('prints a statement’s rows as an aligned table, NULL as nothing, times in ISO-8601 UTC, dates as dates', async () => {
    const result = await lgsp(['sql', `select n, case when n = 2 then null else 'Trà Vinh ' || n end as name, timestamptz '2025-06-01 09:00+07' as at, date '2025-07-01' as day from generate_series(1, 3) n`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'n  name        at                        day',
      '-  ----------  ------------------------  ----------',
      '1  Trà Vinh 1  2025-06-01T02:00:00.000Z  2025-07-01',
      '2              2025-06-01T02:00:00.000Z  2025-07-01',
      '3  Trà Vinh 3  2025-06-01T02:00:00.000Z  2025-07-01',
      '(3 rows)',
      '',
    ]);
  });

  it('shows numbers as the server gave them, right-aligned', async () => {
    const result = await lgsp(['sql', 'select x, y from (values (1, 2.567::float8), (12, 30.25::float8)) v(x, y)']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([' x      y', '--  -----', ' 1  2.567', '12  30.25', '(2 rows)', '']);
  });

  it('reads the mart of a migrated warehouse', async () => {
    const result = await lgsp(['sql', 'select count(*)::int as targets from mart.target']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^targets\n-+\n\s*[1-9]\d*\n\(1 row\)\n$/);
  });

  it('prints CSV with every row, quoting what needs it', async () => {
    const result = await lgsp(['sql', '--csv', `select 'a,b' as x, 'say "hi"' as y, E'two\\nlines' as z, null as w`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('x,y,z,w\n"a,b","say ""hi""","two\nlines",\n');
  });

  it('shows --max-rows rows and says how many there are', async () => {
    const result = await lgsp(['sql', '--max-rows', '2', 'select g from generate_series(1, 5) g']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('g\n-\n1\n2\n(5 rows; 2 shown, --csv prints them all)\n');
  });

  it('changes nothing: writes and a second statement are refused, naming why', async () => {
    const write = await lgsp(['sql', 'create table public.sneaky (a int)']);
    expect(write.code).not.toBe(0);
    expect(write.stderr).toContain('cannot execute CREATE TABLE in a read-only transaction [SQL_FAILED]');
    expect(write.stderr).toContain('hint: lgsp sql only reads');
    // The extended protocol refuses two statements, so nothing can COMMIT and write after it.
    const escape = await lgsp(['sql', 'commit; create table public.sneaky (a int)']);
    expect(escape.code).not.toBe(0);
    expect(escape.stderr).toContain('cannot insert multiple commands into a prepared statement');
    expect(await t.query(`select to_regclass('public.sneaky') as t`)).toEqual([{ t: null }]);
  });

  it('names a syntax error and where it is', async () => {
    const result = await lgsp(['sql', 'select * form mart.target']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/SQLSTATE 42601\): syntax error at or near "form" at character 10 \[SQL_FAILED\]/);
    expect(result.stdout).toBe('');
  });
});
