/** What the CLI does with the simulator store at `url` (LGSP_SIM_DATABASE_URL), each task on its own connection. */
import type { Logger } from '../../src/logger.js';
import { computeTruth, createWorld, type GroundTruth } from '../world/index.js';
import { advanceWorld, type AdvanceResult } from './advance.js';
import { openSimStore, requireLoadedWorld, type WorldStamp } from './sim-store.js';

/** Moves the loaded world on by `days`; refuses (SIM_WORLD_NOT_LOADED) when none is loaded. */
export async function advanceStore(url: string, days: number, logger?: Logger): Promise<AdvanceResult> {
  const client = await openSimStore(url);
  try {
    return await advanceWorld(client, days, logger);
  } finally {
    await client.end();
  }
}

/** The ground truth of the loaded world, recomputed from its stamp (seed, scale, asOf). */
export async function truthOfStore(url: string): Promise<{ stamp: WorldStamp; truth: GroundTruth }> {
  const client = await openSimStore(url);
  try {
    const stamp = await requireLoadedWorld(client, url);
    return { stamp, truth: computeTruth(createWorld(stamp)) };
  } finally {
    await client.end();
  }
}
