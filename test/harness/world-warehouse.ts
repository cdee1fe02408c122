/**
 * A generated world loaded into a test deployment's warehouse, the way production data gets there:
 * the world's records produced to the raw topics as the connectors write them (deletions after the
 * first load, so they delete loaded rows), every pipeline loaded, then the mart refreshed with the
 * world's asOf as the reporting cut-off.
 *
 *   const t = useDeployment();
 *   beforeAll(() => loadWorld(t, createWorld({ seed: 21, scale: 0.003 })));
 */
import { load } from '../../app/batch/load.js';
import { withRetry, type RetryPolicy } from '../../src/retry.js';
import type { World } from '../../simulator/world/index.js';
import { refreshMart } from '../../warehouse/mart/refresh.js';
import type { TestDeployment } from './deployment.js';
import { produceRaw, worldMessages, type RawMessage } from './world-messages.js';

/**
 * A shared broker under load sometimes answers topic creation with a retriable metadata error
 * (UNKNOWN_TOPIC_OR_PARTITION while the new topic propagates); producing again is harmless here
 * because the loads merge by key.
 */
const PRODUCE_RETRY: RetryPolicy = { retries: 3, minTimeoutMs: 1_000, maxTimeoutMs: 3_000 };

export async function loadWorld(t: TestDeployment, world: World): Promise<void> {
  const { runtime } = t;
  const produce = (messages: readonly RawMessage[]): Promise<number> =>
    withRetry(() => produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, messages), { what: 'producing the world to the raw topics', policy: PRODUCE_RETRY, logger: t.logger });
  const messages = [...worldMessages(world)];
  await produce(messages.filter((m) => m.value !== null));
  await load(runtime, ['all']);
  const tombstones = messages.filter((m) => m.value === null);
  if (tombstones.length > 0) {
    await produce(tombstones);
    await load(runtime, ['all']);
  }
  const db = await t.db();
  await db.query('UPDATE mart.reporting_period SET as_of = $1, note = $2', [world.options.asOf, "the generated world's asOf"]);
  await refreshMart(db);
}
