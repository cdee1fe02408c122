import pg from 'pg';
import type { Logger } from '../../src/logger.js';
import { ensureWorldLoaded } from '../store/load-world.js';
import { openSimStore } from '../store/sim-store.js';
import { createWorld, type WorldOptions } from '../world/index.js';
import type { FaultConfig } from './faults.js';
import { createSourceService, type SourceService } from './lgsp-adapter.js';
import { POPULATION_ENDPOINTS } from './population.js';

/** Default ports of the mock national databases (0 = any free port). */
export const DEFAULT_MOCK_PORTS = { population: 8401 } as const;

export interface MockSourcesOptions extends WorldOptions {
  readonly storeUrl: string;
  readonly logger: Logger;
  readonly faults?: FaultConfig;
  readonly tokenTtlSeconds?: number;
  /** Port per source; 0 picks a free port (tests). */
  readonly ports?: Partial<Record<keyof typeof DEFAULT_MOCK_PORTS, number>>;
  readonly host?: string;
}

export interface MockSources {
  /** Base URL of each running source adapter. */
  readonly urls: Readonly<Record<keyof typeof DEFAULT_MOCK_PORTS, string>>;
  readonly services: readonly SourceService[];
  /** Whether the world had to be generated into the store (false: it was already there). */
  readonly generated: boolean;
  readonly counts: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Starts the simulated national databases: makes sure the store holds the world for these
 * options, then serves each source's LGSP adapter over HTTP.
 */
export async function startMockSources(options: MockSourcesOptions): Promise<MockSources> {
  const world = createWorld(options);
  const client = await openSimStore(options.storeUrl);
  let loaded: { loaded: boolean; counts: Record<string, number> };
  try {
    loaded = await ensureWorldLoaded(client, world, options.logger);
  } finally {
    await client.end();
  }
  const store = new pg.Pool({ connectionString: options.storeUrl, max: 4 });
  const population = createSourceService({
    source: 'population',
    endpoints: POPULATION_ENDPOINTS,
    store,
    logger: options.logger,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.tokenTtlSeconds }),
  });
  const services = [population];
  try {
    const urls = { population: await population.listen(options.ports?.population ?? DEFAULT_MOCK_PORTS.population, options.host) };
    return {
      urls,
      services,
      generated: loaded.loaded,
      counts: loaded.counts,
      async close() {
        await Promise.all(services.map((s) => s.close()));
        await store.end();
      },
    };
  } catch (err) {
    await Promise.all(services.map((s) => s.close().catch(() => undefined)));
    await store.end();
    throw err;
  }
}
