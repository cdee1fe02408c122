import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockSources } from '../../simulator/mocks/serve.js';
import { computeTruth, createWorld } from '../../simulator/world/index.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

describe('lgsp mock advance | truth', () => {
  // A store with no world in it yet: loading one is part of what is tested.
  const t = useDeployment({ migrate: false, runtime: false });
  const out = join(tmpdir(), `lgsp-truth-${process.pid}.json`);

  const lgsp = (args: readonly string[]): Promise<CliResult> => startCli(args, t.cliEnv()).done;

  afterAll(async () => {
    await rm(out, { force: true });
  });

  it('refuses with one line and a hint when no world is loaded', async () => {
    for (const args of [['mock', 'advance', '--days', '1'], ['mock', 'truth']]) {
      const result = await lgsp(args);
      expect(result.code, args.join(' ')).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^lgsp: no simulated world is loaded.*\[SIM_WORLD_NOT_LOADED\]$/);
      expect(lines[1]).toMatch(/^\s+hint: load one with `lgsp mock serve`/);
      expect(lines).toHaveLength(2);
    }
  });

  it('advances the loaded world, printing what changed per table and the new asOf; truth follows the stamp', async () => {
    const sources = await startMockSources({ seed: 9, scale: 0.002, storeUrl: t.simStoreUrl, logger: t.logger, ports: 'any' });
    await sources.close();
    expect(sources.counts['population.citizen']).toBe(createWorld({ seed: 9, scale: 0.002 }).counts().citizens);

    const advanced = await lgsp(['mock', 'advance', '--days', '3']);
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(advanced.stdout).toContain('2025-12-31 → 2026-01-03');
    expect(advanced.stdout).toMatch(/onestop\.dossier\s+\d+\s+\d+\s+0/);
    expect(advanced.stdout).toMatch(/population\.citizen\s+\d+\s+\d+\s+\d+/);

    const table = await lgsp(['mock', 'truth']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('as of 2026-01-03');
    expect(table.stdout).toMatch(/^2025\s+all\s+\d+\s+[\d.]+%/m);

    const written = await lgsp(['mock', 'truth', '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    const truth = JSON.parse(await readFile(out, 'utf8')) as unknown;
    expect(truth).toEqual(JSON.parse(JSON.stringify(computeTruth(createWorld({ seed: 9, scale: 0.002, asOf: '2026-01-03' })))));
  });
});
