import { describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { startCli } from '../harness/cli.js';
import { useDeployment, type TestDeployment } from '../harness/deployment.js';
import { LINEAGE_COLUMNS, tableFingerprint, type TableFingerprint } from '../harness/fingerprint.js';

/**
 * `lgsp run` as an operator runs it: a child process against the real broker and PostgreSQL, the
 * mock population adapter slowed down so that a SIGTERM lands mid-run.
 */
describe('lgsp run', () => {
  // One world served for both warehouses; a second per request makes the extract last several seconds.
  const reference = useDeployment({ world: { seed: 5, scale: 0.004, faults: { ...NO_FAULTS, latencyMs: 1000 } }, runtime: false });
  const interrupted = useDeployment({ sourcesOf: reference, runtime: false });

  const args = ['run', '--sources', 'population', '--pipelines', 'population'];
  const citizens = async (d: TestDeployment): Promise<TableFingerprint> => tableFingerprint(await d.db(), 'core.citizen', 'personal_id', LINEAGE_COLUMNS);

  it('extracts, loads and records the run with its steps', async () => {
    const { done } = startCli(args, reference.cliEnv());
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Run \d+ succeeded\./);

    const [run] = await reference.query<{ status: string; figures: { steps: { step: string; status: string; figures: unknown }[] } }>(
      `SELECT status, figures FROM meta.runs WHERE kind = 'run' ORDER BY run_id DESC LIMIT 1`,
    );
    expect(run?.status).toBe('succeeded');
    const steps = run?.figures.steps ?? [];
    expect(steps.map((s) => [s.step, s.status])).toEqual([
      ['extract:population', 'succeeded'],
      ['load:population', 'succeeded'],
      ['refresh-mart', 'succeeded'],
    ]);
    const [served] = await reference.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.citizen`);
    const extract = steps[0]?.figures as { read: number; produced: number; tombstones: number }[];
    const load = steps[1]?.figures as { consumed: number; loaded: number }[];
    expect(extract[0]?.read).toBe(load[0]?.consumed);
    expect(load[0]?.loaded).toBe(served?.n);
    expect(served?.n).toBeGreaterThan(3000);
  });

  it('stops cleanly on SIGTERM mid-run, and the next run ends with the same warehouse as an uninterrupted one', async () => {
    const { child, done } = startCli(args, interrupted.cliEnv());
    // Mid-run: once the run is recorded (its signal handlers are installed before), a second into
    // its extract (1 s per request to the slowed source). A fixed delay from the spawn was too
    // short on a busy machine: the signal then killed the process while tsx was still compiling.
    for (let i = 0; i < 600; i += 1) {
      const running = await interrupted.query<{ n: number }>(`SELECT count(*)::int AS n FROM meta.runs WHERE kind = 'run' AND status = 'running'`);
      if ((running[0]?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1_000));
    child.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/lgsp: interrupted during (extract|load):population; everything committed so far is kept/);
    // The interrupted run is recorded as failed, naming the interruption.
    const partial = await citizens(interrupted);
    const full = await citizens(reference);
    expect(partial.rows).toBeLessThan(full.rows);

    const again = await startCli(args, interrupted.cliEnv()).done;
    expect(again.code).toBe(0);
    expect(await citizens(interrupted)).toEqual(full);
  });
});
