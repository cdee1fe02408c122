import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, withDatabase } from '../../src/db/postgres.js';
import { createLogger } from '../../src/logger.js';
import { startMockSources } from '../../simulator/mocks/serve.js';
import { computeTruth, createWorld } from '../../simulator/world/index.js';
import { testInfra } from '../harness/infra.js';

const run = promisify(execFile);

async function lgsp(args: string[], simUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const env = { ...process.env, LGSP_DEBUG: '', LOG_LEVEL: 'warn', LGSP_SIM_DATABASE_URL: simUrl };
    const { stdout, stderr } = await run('node', ['bin/lgsp.js', ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const url = (): string => withDatabase(testInfra().databaseUrl, `lgsp_sim_it_cli_${process.pid}`);
const out = join(tmpdir(), `lgsp-truth-${process.pid}.json`);

afterAll(async () => {
  await dropDatabase(url());
  await rm(out, { force: true });
});

describe('lgsp mock advance | truth', () => {
  it('refuses with one line and a hint when no world is loaded', async () => {
    await dropDatabase(url());
    for (const args of [['mock', 'advance', '--days', '1'], ['mock', 'truth']]) {
      const result = await lgsp(args, url());
      expect(result.code, args.join(' ')).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^lgsp: no simulated world is loaded.*\[SIM_WORLD_NOT_LOADED\]$/);
      expect(lines[1]).toMatch(/^\s+hint: load one with `lgsp mock serve`/);
      expect(lines).toHaveLength(2);
    }
  });

  it('advances the loaded world, printing what changed per table and the new asOf; truth follows the stamp', async () => {
    const sources = await startMockSources({ seed: 9, scale: 0.002, storeUrl: url(), logger: createLogger({ level: 'warn' }), ports: 'any' });
    await sources.close();
    expect(sources.counts['population.citizen']).toBe(createWorld({ seed: 9, scale: 0.002 }).counts().citizens);

    const advanced = await lgsp(['mock', 'advance', '--days', '3'], url());
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(advanced.stdout).toContain('2025-12-31 → 2026-01-03');
    expect(advanced.stdout).toMatch(/onestop\.dossier\s+\d+\s+\d+\s+0/);
    expect(advanced.stdout).toMatch(/population\.citizen\s+\d+\s+\d+\s+\d+/);

    const table = await lgsp(['mock', 'truth'], url());
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('as of 2026-01-03');
    expect(table.stdout).toMatch(/^2025\s+all\s+\d+\s+[\d.]+%/m);

    const written = await lgsp(['mock', 'truth', '--out', out], url());
    expect(written.code, written.stderr).toBe(0);
    const truth = JSON.parse(await readFile(out, 'utf8')) as unknown;
    expect(truth).toEqual(JSON.parse(JSON.stringify(computeTruth(createWorld({ seed: 9, scale: 0.002, asOf: '2026-01-03' })))));
  });
});
