/**
 * A generated world loaded into an isolated warehouse, the way production data gets there: the
 * world's records produced to the raw topics as the connectors write them (deletions after the
 * first load, so they delete loaded rows), every pipeline loaded, then the mart refreshed with the
 * world's asOf as the reporting cut-off.
 */
import pg from 'pg';
import { load } from '../../app/batch/load.js';
import { refreshMart } from '../../warehouse/mart/refresh.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import type { World } from '../../simulator/world/index.js';
import { produceRaw, worldMessages } from './world-messages.js';
import { isolatedEnv, type IsolatedEnv } from './isolation.js';
import { DECLARED } from '../../app/deployment.js';

export interface WorldWarehouse {
  readonly env: IsolatedEnv;
  readonly runtime: Runtime;
  /** A connection to the warehouse (as the superuser that owns it). */
  readonly db: pg.Client;
  close(): Promise<void>;
}

/**
 * A shared broker under load sometimes answers topic creation with a retriable metadata error
 * (UNKNOWN_TOPIC_OR_PARTITION while the new topic propagates); producing again is harmless here
 * because the loads merge by key.
 */
async function produceWithRetry(produce: () => Promise<number>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await produce();
      return;
    } catch (err) {
      if (attempt >= 4 || (err as { retriable?: boolean }).retriable !== true) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

export async function loadWorldIntoWarehouse(world: World): Promise<WorldWarehouse> {
  const env = isolatedEnv();
  const logger = createLogger({ level: env.settings.LOG_LEVEL });
  await migrateLatest(env.settings.DATABASE_URL, logger);
  const runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
  const db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
  await db.connect();
  const messages = [...worldMessages(world)];
  await produceWithRetry(() => produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, messages.filter((m) => m.value !== null)));
  await load(runtime, ['all']);
  const tombstones = messages.filter((m) => m.value === null);
  if (tombstones.length > 0) {
    await produceWithRetry(() => produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, tombstones));
    await load(runtime, ['all']);
  }
  await db.query('UPDATE mart.reporting_period SET as_of = $1, note = $2', [world.options.asOf, 'the generated world\'s asOf']);
  await refreshMart(db);
  return {
    env,
    runtime,
    db,
    async close() {
      await db.end();
      await env.cleanup();
    },
  };
}
