/**
 * The simulated sources in a process of their own (`lgsp mock serve`), for `npm run bench --
 * --sources child`: as deployed, the national databases do not share the pipeline's event loop,
 * and the CPU accounting then shows what serving them costs apart from the pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MockSourceName } from '../simulator/mocks/serve.js';

const BIN = fileURLToPath(new URL('../bin/lgsp.js', import.meta.url));

export interface MockChild {
  readonly pid: number;
  readonly urls: Readonly<Record<MockSourceName, string>>;
  close(): Promise<void>;
}

/** Starts `lgsp mock serve` on the store and waits until it serves (it generates the world first). */
export async function startMockChild(options: { seed: number; scale: number; storeUrl: string; basePort: number }): Promise<MockChild> {
  const child = spawn(process.execPath, [BIN, 'mock', 'serve', '--seed', String(options.seed), '--scale', String(options.scale), '--base-port', String(options.basePort)], {
    env: { ...process.env, LGSP_SIM_DATABASE_URL: options.storeUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench that fails before it closes the sources must not leave them serving.
  const orphaned = (): void => void child.kill('SIGTERM');
  process.once('exit', orphaned);
  child.once('exit', () => process.removeListener('exit', orphaned));
  const urls = await new Promise<Record<MockSourceName, string>>((resolve, reject) => {
    const found: Partial<Record<MockSourceName, string>> = {};
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/^ {2}(population|business|insurance|land) +(http\S+)$/gm)) found[m[1] as MockSourceName] = m[2] ?? '';
      if (out.includes('Serving.')) resolve(found as Record<MockSourceName, string>);
    });
    child.once('exit', (code) => reject(new Error(`lgsp mock serve exited with code ${code} before serving:\n${out}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('lgsp mock serve has no pid');
  return { pid, urls, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
