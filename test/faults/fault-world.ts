/**
 * One simulated province served by the mock sources for the whole suite, and warehouses (each a
 * test deployment fed from that world: own warehouse, own topic prefix) that `lgsp run` fills from it.
 */
import { NO_FAULTS, type FaultConfig } from '../../simulator/mocks/faults.js';
import type { MockSources } from '../../simulator/mocks/serve.js';
import { TestDeployment } from '../harness/deployment.js';

export interface FaultWorld {
  readonly mock: MockSources;
  /** A new migrated warehouse with its own topic prefix, removed by `close`. */
  newWarehouse(): Promise<TestDeployment>;
  /** The environment of `lgsp run` against a warehouse and this world's sources. */
  cliEnv(warehouse: TestDeployment, extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Sets the request faults of every mock source (each source its own seed), or of those named in `only`. */
  setFaults(faults: Partial<FaultConfig>, only?: readonly string[]): void;
  close(): Promise<void>;
}

const QUIET = { LOG_LEVEL: 'error' } as const;

export async function startFaultWorld(options: { seed: number; scale: number }): Promise<FaultWorld> {
  const world = await new TestDeployment({ world: { ...options, faults: NO_FAULTS }, settings: QUIET, migrate: false, runtime: false }).start();
  const warehouses: TestDeployment[] = [];
  const mock = world.sources;
  return {
    mock,
    async newWarehouse() {
      const warehouse = new TestDeployment({ sourcesOf: world, settings: QUIET });
      warehouses.push(warehouse);
      return warehouse.start();
    },
    cliEnv(warehouse, extra = {}) {
      return warehouse.cliEnv({
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
      for (const warehouse of warehouses) await warehouse.cleanup();
      await world.cleanup();
    },
  };
}
