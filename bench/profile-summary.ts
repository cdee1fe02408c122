/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by area (a package under
 * node_modules, a folder of this repo, node's internals, GC, idle) and the heaviest functions.
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.….cpuprofile [--top 40]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '40' } } });
const file = positionals[0];
if (file === undefined) throw new Error('usage: profile-summary <file.cpuprofile> [--top N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return functionName === '' ? '(anonymous native)' : `(${functionName.replace(/^\(|\)$/g, '')})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules !== null) return `npm: ${modules[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  const repo = /\/(app|src|connectors|pipelines|simulator|warehouse|bench)\/(?:([^/]+)\/)?/.exec(url);
  if (repo !== null) return repo[2] !== undefined && !repo[2].includes('.') ? `${repo[1]}/${repo[2]}` : repo[1] ?? url;
  return url;
}

const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const node = byId.get(id);
  if (node === undefined) continue;
  areas.set(area(node), (areas.get(area(node)) ?? 0) + ms);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/.*\/(node_modules\/)?/, '')}:${node.callFrame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + ms);
}
const line = (name: string, ms: number): string => `${(ms / 1000).toFixed(2).padStart(8)} s ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${name}`;
process.stdout.write(`total ${(total / 1000).toFixed(1)} s sampled\n\nby area (self time)\n`);
for (const [name, ms] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 30)) process.stdout.write(`${line(name, ms)}\n`);
process.stdout.write(`\nheaviest functions (self time)\n`);
for (const [name, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) process.stdout.write(`${line(name, ms)}\n`);
