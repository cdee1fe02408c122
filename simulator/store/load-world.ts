import type pg from 'pg';
import { connect } from '../../src/db/postgres.js';
import type { Logger } from '../../src/logger.js';
import type { World } from '../world/index.js';
import { NATIONAL_TABLES, nationalRecords } from './national-records.js';
import { copyOnestop } from './onestop-store.js';
import { buildLoadIndexes, clearStore, copyRecords, dropLoadIndexes, LOAD_LOCK, loadedWorld, NATIONAL_SOURCES, openSimStore, SIM_STORE, stampWorld, type WorldStamp } from './sim-store.js';

/**
 * Puts a generated world into the source systems' store, unless that very world (seed, scale,
 * asOf, vneidFrom) is already there — or, with `keepAdvanced`, the same world moved on by advance().
 * A stored world whose records the new options leave as they are (a `vneidFrom` neither world has
 * reached at the stored asOf) is kept, with the new options in its stamp. Streams with COPY, so scale 1.0 never sits in memory, and generates
 * the dossiers once for their three tables (three connections, three concurrent COPYs).
 *
 * The big tables' primary keys and cursor indexes are dropped before and built after (sorted
 * builds, three at a time). Not one transaction (the three COPYs run on separate connections):
 * the stamp is cleared first and written last, so a load that stops half-way leaves "no world loaded" and the next start
 * loads again. Concurrent loaders of the same store wait for each other on an advisory lock.
 */
export async function ensureWorldLoaded(
  url: string,
  world: World,
  logger: Logger,
  options: { readonly keepAdvanced?: boolean } = {},
): Promise<{ loaded: boolean; stamp: WorldStamp; counts: Record<string, number> }> {
  const { seed, scale, asOf, vneidFrom } = world.options;
  const client = await openSimStore(url);
  const helpers: pg.Client[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOAD_LOCK]);
    const current = await loadedWorld(client);
    const same = current !== null && current.seed === seed && current.scale === scale;
    if (same && (current.asOf === asOf || (options.keepAdvanced === true && current.asOf > asOf))) {
      if (current.vneidFrom === vneidFrom) return { loaded: false, stamp: current, counts: {} };
      // The change is still ahead of the stored world in both: its records are the same either way.
      const ahead = (day: string | null): boolean => day === null || day > current.asOf;
      if (ahead(current.vneidFrom) && ahead(vneidFrom)) {
        const stamp: WorldStamp = { ...current, vneidFrom };
        await stampWorld(client, stamp);
        return { loaded: false, stamp, counts: {} };
      }
    }
    const started = Date.now();
    await clearStore(client);
    await dropLoadIndexes(client);
    const counts: Record<string, number> = {};
    const records = nationalRecords(world);
    for (const source of NATIONAL_SOURCES) counts[NATIONAL_TABLES[source]] = await copyRecords(client, source, records[source]());
    helpers.push(await connect(url, SIM_STORE), await connect(url, SIM_STORE));
    const [second, third] = helpers as [pg.Client, pg.Client];
    Object.assign(counts, await copyOnestop([client, second, third], world));
    await buildLoadIndexes([client, second, third]);
    await client.query('ANALYZE');
    await stampWorld(client, { seed, scale, asOf, vneidFrom });
    logger.info({ seed, scale, asOf, vneidFrom, counts, seconds: (Date.now() - started) / 1000 }, 'world loaded into the source systems');
    return { loaded: true, stamp: { seed, scale, asOf, vneidFrom }, counts };
  } finally {
    await Promise.all(helpers.map((h) => h.end().catch(() => undefined)));
    await client.end().catch(() => undefined);
  }
}
