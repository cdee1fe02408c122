import pg from 'pg';
import type { Logger } from '../../src/logger.js';
import { watchPool } from '../../src/db/postgres.js';
import { ensureWorldLoaded } from '../store/load-world.js';
import { storeCounts } from '../store/sim-store.js';
import { createWorld, type WorldOptions } from '../world/index.js';
import type { FaultConfig } from './faults.js';
import { createSourceService, type EntityEndpoint, type SourceService } from './lgsp-adapter.js';
import { BUSINESS_ENDPOINTS, INSURANCE_ENDPOINTS, LAND_ENDPOINTS } from './national-endpoints.js';
import { POPULATION_ENDPOINTS } from './population.js';

/** Default ports of the mock national databases (0 = any free port). */
export const DEFAULT_MOCK_PORTS = { population: 8401, business: 8402, insurance: 8403, land: 8404 } as const;
export type MockSourceName = keyof typeof DEFAULT_MOCK_PORTS;

const ENDPOINTS: Readonly<Record<MockSourceName, readonly EntityEndpoint[]>> = {
  population: POPULATION_ENDPOINTS,
  business: BUSINESS_ENDPOINTS,
  insurance: INSURANCE_ENDPOINTS,
  land: LAND_ENDPOINTS,
};

export interface MockSourcesOptions extends WorldOptions {
  readonly storeUrl: string;
  readonly logger: Logger;
  readonly faults?: FaultConfig;
  readonly tokenTtlSeconds?: number;
  /** Port per source (0 picks a free one), or 'any' for free ports everywhere (tests, the demo). */
  readonly ports?: Partial<Record<MockSourceName, number>> | 'any';
  readonly host?: string;
}

export interface MockSources {
  /** Base URL of each running source adapter. */
  readonly urls: Readonly<Record<MockSourceName, string>>;
  readonly services: readonly SourceService[];
  /** Whether the world had to be generated into the store (false: it was already there). */
  readonly generated: boolean;
  /** asOf of the world served (later than asked for when an advanced world was kept). */
  readonly asOf: string;
  /** The day the population DB starts serving `vneidLevel` in the world served; null = never. */
  readonly vneidFrom: string | null;
  /** Rows the store holds per table (`population.citizen`, `onestop.dossier`, …; deleted ones apart). */
  readonly counts: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Starts the simulated national databases: makes sure the store holds the world for these
 * options, then serves each source's LGSP adapter over HTTP.
 */
export async function startMockSources(options: MockSourcesOptions): Promise<MockSources> {
  const world = createWorld(options);
  // Without an explicit asOf, a world moved on by `lgsp mock advance` is kept, not reloaded.
  const loaded = await ensureWorldLoaded(options.storeUrl, world, options.logger, { keepAdvanced: options.asOf === undefined });
  const store = new pg.Pool({ connectionString: options.storeUrl, max: 4 });
  // An idle connection dropped by a PostgreSQL restart must not crash the server: the pool reconnects.
  watchPool(store, (err) => options.logger.warn({ err }, 'a simulator store connection failed'));
  const counts = await storeCounts(store).catch(async (err: unknown) => {
    await store.end();
    throw err;
  });
  const names = Object.keys(ENDPOINTS) as MockSourceName[];
  const services = names.map((source) =>
    createSourceService({
      source,
      endpoints: ENDPOINTS[source],
      store,
      logger: options.logger,
      ...(options.faults === undefined ? {} : { faults: { ...options.faults, seed: options.faults.seed + names.indexOf(source) } }),
      ...(options.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.tokenTtlSeconds }),
    }),
  );
  try {
    const urls = {} as Record<MockSourceName, string>;
    for (const [i, source] of names.entries()) {
      const port = options.ports === 'any' ? 0 : (options.ports?.[source] ?? DEFAULT_MOCK_PORTS[source]);
      const service = services[i];
      if (service !== undefined) urls[source] = await service.listen(port, options.host);
    }
    return {
      urls,
      services,
      generated: loaded.loaded,
      asOf: loaded.stamp.asOf,
      vneidFrom: loaded.stamp.vneidFrom,
      counts,
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

/**
 * Connector settings that point every connector at these mock sources (the one-stop connector at
 * the simulator's store, which holds the one-stop system's tables): for `runNightly`'s overrides.
 */
export function connectorOverrides(mock: Pick<MockSources, 'urls'>, onestopDatabaseUrl: string): Record<string, Record<string, unknown>> {
  return {
    population: { baseUrl: mock.urls.population },
    business: { baseUrl: mock.urls.business },
    insurance: { baseUrl: mock.urls.insurance },
    land: { baseUrl: mock.urls.land },
    onestop: { databaseUrl: onestopDatabaseUrl },
  };
}
