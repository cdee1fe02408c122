import type pg from 'pg';
import type { Logger } from '../../src/logger.js';
import type { World } from '../world/index.js';
import { clearStore, copyRecords, loadedWorld, stampWorld, type StoredRecord } from './sim-store.js';

/**
 * Puts a generated world into the source systems' store, unless that very world (seed, scale,
 * asOf) is already there. Streams with COPY: scale 1.0 never sits in memory.
 */
export async function ensureWorldLoaded(client: pg.Client, world: World, logger: Logger): Promise<{ loaded: boolean; counts: Record<string, number> }> {
  const { seed, scale, asOf } = world.options;
  const current = await loadedWorld(client);
  if (current !== null && current.seed === seed && current.scale === scale && current.asOf === asOf) {
    return { loaded: false, counts: {} };
  }
  const started = Date.now();
  await client.query('BEGIN');
  try {
    await clearStore(client);
    const counts: Record<string, number> = {};
    counts['population.citizen'] = await copyRecords(client, 'population', citizenRecords(world));
    await stampWorld(client, { seed, scale, asOf });
    await client.query('COMMIT');
    logger.info({ seed, scale, asOf, counts, seconds: (Date.now() - started) / 1000 }, 'world loaded into the source systems');
    return { loaded: true, counts };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function* citizenRecords(world: World): Generator<StoredRecord> {
  for (const citizen of world.citizens()) {
    const { deleted, ...body } = citizen;
    yield {
      entity: 'citizen',
      id: citizen.personalId,
      updatedAt: citizen.updatedAt,
      deletedAt: deleted === true ? citizen.updatedAt : null,
      body,
    };
  }
}
