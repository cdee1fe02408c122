/**
 * `npm run test:faults [-- --short] [vitest options]`: the fault suite with its own vitest config,
 * alone. `--short` is the CI version (fewer trials), the same as LGSP_FAULTS_SHORT=1.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const short = args.includes('--short') || process.env['LGSP_FAULTS_SHORT'] === '1';
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const config = fileURLToPath(new URL('../../vitest.faults.config.ts', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', '--config', config, ...args.filter((a) => a !== '--short')], {
  stdio: 'inherit',
  env: { ...process.env, LGSP_FAULTS_SHORT: short ? '1' : '0' },
});
process.exit(result.status ?? 1);
