/**
 * One simulated province served by the mock sources for the whole suite, and warehouses (each an
 * isolated env: own databases, own topic prefix) that `lgsp run` fills from it.
 */
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { NO_FAULTS, type FaultConfig } from '../../simulator/mocks/faults.js';
import { startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { cliEnv } from '../harness/cli.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';

export interface FaultWorld {
  readonly mock: MockSources;
  /** A new migrated warehouse with its own topic prefix, removed by `close`. */
  newWarehouse(): Promise<IsolatedEnv>;
  /** The environment of `lgsp run` against a warehouse and this world's sources. */
  cliEnv(env: IsolatedEnv, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Sets the request faults of every mock source (each source its own seed), or of those named in `only`. */
  setFaults(faults: Partial<FaultConfig>, only?: readonly string[]): void;
  close(): Promise<void>;
}

export async function startFaultWorld(options: { seed: number; scale: number }): Promise<FaultWorld> {
  const logger = createLogger({ level: 'error' });
  const store = isolatedEnv();
  const mock = await startMockSources({ seed: options.seed, scale: options.scale, storeUrl: store.simStoreUrl, logger, ports: 'any', faults: NO_FAULTS });
  const warehouses: IsolatedEnv[] = [store];
  return {
    mock,
    async newWarehouse() {
      const env = isolatedEnv();
      warehouses.push(env);
      await migrateLatest(env.settings.DATABASE_URL, logger);
      return env;
    },
    cliEnv(env, extra = {}) {
      return cliEnv(env.settings, {
        LGSP_SIM_DATABASE_URL: store.simStoreUrl,
        LGSP_ONESTOP_DATABASE_URL: store.simStoreUrl,
        LGSP_POPULATION_URL: mock.urls.population,
        LGSP_BUSINESS_URL: mock.urls.business,
        LGSP_INSURANCE_URL: mock.urls.insurance,
        LGSP_LAND_URL: mock.urls.land,
        // A killed load holds its partitions until its session expires: the broker's minimum.
        LGSP_LOAD_SESSION_TIMEOUT_MS: '6000',
        // The `step started` lines tell where a fault landed.
        LOG_LEVEL: 'info',
        // A failed run's error with its stack, for the suite's notes.
        LGSP_DEBUG: '1',
        ...extra,
      });
    },
    setFaults(faults, only) {
      for (const [i, service] of mock.services.entries()) {
        if (only === undefined || only.includes(service.source)) service.faults.config = { ...NO_FAULTS, ...faults, seed: (faults.seed ?? 1) + i };
      }
    },
    async close() {
      await mock.close();
      for (const env of warehouses) await env.cleanup();
    },
  };
}
