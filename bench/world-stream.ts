/**
 * Streams every entity of a world, counts them and prints seconds and peak RSS.
 *   npx tsx bench/world-stream.ts --scale 1 [--seed 1] [--as-of 2025-12-31] [--truth]
 * A benchmark, not a test: it prints numbers and asserts nothing.
 */
import { parseArgs } from 'node:util';
import { computeTruth, createWorld } from '../simulator/world/index.js';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, 'as-of': { type: 'string' }, truth: { type: 'boolean', default: false } },
});
const world = createWorld({ seed: Number(values.seed), scale: Number(values.scale), ...(values['as-of'] === undefined ? {} : { asOf: values['as-of'] }) });

const started = performance.now();
const expected = world.counts();
console.log(`counts() in ${((performance.now() - started) / 1000).toFixed(2)} s`, expected);

function stream(name: string, records: Iterable<unknown>): void {
  const t = performance.now();
  let n = 0;
  let components = 0;
  for (const record of records) {
    n++;
    if (name === 'dossiers') components += (record as { components: readonly unknown[] }).components.length;
  }
  const extra = name === 'dossiers' ? ` (${components} components)` : '';
  console.log(`${name.padEnd(22)} ${String(n).padStart(9)}${extra} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

stream('adminUnits', world.adminUnits());
stream('unitMappings', world.unitMappings());
stream('procedures', world.procedures());
stream('agencies', world.agencies());
stream('citizens', world.citizens());
stream('businesses', world.businesses());
stream('insuranceParticipants', world.insuranceParticipants());
stream('landParcels', world.landParcels());
stream('dossiers', world.dossiers());
if (values.truth) {
  const t = performance.now();
  computeTruth(world);
  console.log(`computeTruth in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`total ${seconds.toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
