/**
 * Generates a world and loads it into a fresh simulator store; prints seconds, rows per table and
 * peak RSS. With --advance N, then moves the stored world on N days and times that too.
 *   npx tsx bench/store-load.ts --scale 1 [--seed 1] [--advance 1] [--url postgres://…/lgsp_sim_bench]
 * A benchmark, not a test: it prints numbers and asserts nothing. It drops and recreates its database.
 */
import { parseArgs } from 'node:util';
import { connect, dropDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { createWorld } from '../simulator/world/index.js';
import { advanceWorld } from '../simulator/store/advance.js';
import { ensureWorldLoaded } from '../simulator/store/load-world.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    advance: { type: 'string' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/lgsp_sim_bench' },
  },
});
const url = values.url;
const logger = createLogger({ level: 'warn' });
const rssMiB = (): string => (process.resourceUsage().maxRSS / 1024).toFixed(0);

await dropDatabase(url);
const world = createWorld({ seed: Number(values.seed), scale: Number(values.scale) });
let started = performance.now();
const { counts } = await ensureWorldLoaded(url, world, logger);
const loadSeconds = (performance.now() - started) / 1000;
for (const [table, n] of Object.entries(counts)) console.log(`${table.padEnd(28)} ${String(n).padStart(9)}`);
console.log(`load (generate + COPY + ANALYZE) ${loadSeconds.toFixed(1)} s, peak RSS ${rssMiB()} MiB`);

if (values.advance !== undefined) {
  const client = await connect(url);
  try {
    started = performance.now();
    const result = await advanceWorld(client, Number(values.advance), logger);
    for (const [table, c] of Object.entries(result.counts)) console.log(`${table.padEnd(28)} +${c.inserted} ~${c.updated} -${c.deleted}`);
    console.log(`advance ${values.advance} day(s) to ${result.to.asOf} in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${rssMiB()} MiB`);
  } finally {
    await client.end();
  }
}
