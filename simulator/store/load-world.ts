import type pg from 'pg';
import type { Logger } from '../../src/logger.js';
import type { World } from '../world/index.js';
import { copyOnestop } from './onestop-store.js';
import { clearStore, copyRecords, loadedWorld, stampWorld } from './sim-store.js';
import { businessRecords, citizenRecords, parcelRecords, participantRecords } from './national-records.js';

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
    const counts: Record<string, number> = {
      'population.citizen': await copyRecords(client, 'population', citizenRecords(world.citizens())),
      'business.enterprise': await copyRecords(client, 'business', businessRecords(world.businesses())),
      'insurance.participant': await copyRecords(client, 'insurance', participantRecords(world.insuranceParticipants())),
      'land.parcel': await copyRecords(client, 'land', parcelRecords(world.landParcels())),
      ...(await copyOnestop(client, world.procedures(), world.agencies(), () => world.dossiers(), `${asOf}T00:00:00.000Z`)),
    };
    await stampWorld(client, { seed, scale, asOf });
    await client.query('COMMIT');
    logger.info({ seed, scale, asOf, counts, seconds: (Date.now() - started) / 1000 }, 'world loaded into the source systems');
    return { loaded: true, counts };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
