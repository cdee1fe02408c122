/**
 * The one fixture of the integration tests: a deployment of the platform of its own — its own
 * warehouse and simulator store (databases on the test PostgreSQL), its own topic prefix on the
 * test broker — with, on request, the simulated sources serving a world, the warehouse migrated,
 * a runtime and a warehouse connection. Test files run in parallel without seeing each other.
 *
 *   const t = useDeployment({ world: { seed: 9, scale: 0.002 } });   // registers beforeAll/afterAll
 *   it('…', async () => { await extract(t.runtime, ['population'], { overrides: t.overrides }); … });
 *
 * `LGSP_KEEP_TEST_DATA=1` keeps the databases after the tests, to look at them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Declarations } from '../../app/declarations.js';
import { DECLARED } from '../../app/deployment.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { settingsSchema, type Settings } from '../../src/config/settings.js';
import { dropDatabase, withDatabase } from '../../src/db/postgres.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import type { FaultConfig } from '../../simulator/mocks/faults.js';
import { connectorOverrides, startMockSources, type MockSources } from '../../simulator/mocks/serve.js';
import { cliEnv } from './cli.js';
import { testInfra } from './infra.js';

export interface DeploymentOptions {
  /** Settings over the test defaults (3 partitions, LOG_LEVEL warn). */
  readonly settings?: Partial<Record<keyof Settings, string>>;
  /** Serve the simulated sources for this world from the deployment's store (one world per store). */
  readonly world?: { readonly seed: number; readonly scale: number; readonly asOf?: string; readonly faults?: FaultConfig; readonly tokenTtlSeconds?: number };
  /** Apply the warehouse migrations (default true). */
  readonly migrate?: boolean;
  /** Build a runtime (default true; needs the broker). */
  readonly runtime?: boolean;
  /** The connectors and pipelines the runtime runs (default: the deployment's own, app/deployment.ts). */
  readonly declarations?: Declarations;
}

/** A deployment for one test file; what needs set-up is there once `start()` has resolved. */
export class TestDeployment {
  readonly id = `t${randomBytes(4).toString('hex')}`;
  readonly settings: Settings;
  readonly simStoreUrl: string;
  readonly logger: Logger;
  private started: { runtime?: Runtime; sources?: MockSources; db?: pg.Client } | null = null;

  constructor(private readonly options: DeploymentOptions = {}) {
    const infra = testInfra();
    this.simStoreUrl = withDatabase(infra.databaseUrl, `lgsp_sim_${this.id}`);
    this.settings = settingsSchema.parse({
      DATABASE_URL: withDatabase(infra.databaseUrl, `lgsp_${this.id}`),
      LGSP_SIM_DATABASE_URL: this.simStoreUrl,
      LGSP_ONESTOP_DATABASE_URL: this.simStoreUrl,
      KAFKA_BROKERS: infra.brokers.join(','),
      LGSP_TOPIC_PREFIX: `${this.id}.`,
      LGSP_TOPIC_PARTITIONS: '3',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      ...options.settings,
    });
    this.logger = createLogger({ level: this.settings.LOG_LEVEL });
  }

  /** Serves the world (if asked), migrates, builds the runtime. */
  async start(): Promise<this> {
    const { world, migrate = true, runtime = true, declarations = DECLARED } = this.options;
    const started: NonNullable<TestDeployment['started']> = {};
    this.started = started;
    if (world !== undefined) {
      started.sources = await startMockSources({ ...world, storeUrl: this.simStoreUrl, logger: this.logger, ports: 'any' });
    }
    if (migrate) await migrateLatest(this.settings.DATABASE_URL, this.logger);
    if (runtime) started.runtime = await createRuntime({ settings: this.settings, logger: this.logger, declarations, clientId: `lgsp-test-${this.id}` });
    return this;
  }

  get runtime(): Runtime {
    return this.need('runtime', this.started?.runtime);
  }

  /** The simulated sources serving the deployment's world. */
  get sources(): MockSources {
    return this.need('world', this.started?.sources);
  }

  /** Connector settings pointing every connector at the simulated sources (extract's and runNightly's `overrides`). */
  get overrides(): Record<string, Record<string, unknown>> {
    return connectorOverrides(this.sources, this.simStoreUrl);
  }

  /** The environment of a child `lgsp` process of this deployment (pointed at its sources, when it has them). */
  cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const sources = this.started?.sources;
    const urls: Record<string, string> =
      sources === undefined
        ? {}
        : {
            LGSP_POPULATION_URL: sources.urls.population,
            LGSP_BUSINESS_URL: sources.urls.business,
            LGSP_INSURANCE_URL: sources.urls.insurance,
            LGSP_LAND_URL: sources.urls.land,
            LGSP_ONESTOP_DATABASE_URL: this.simStoreUrl,
          };
    return cliEnv(this.settings, { ...urls, ...extra });
  }

  /** A connection to the warehouse (as the superuser that owns it), opened on first use, closed at cleanup. */
  async db(): Promise<pg.Client> {
    const started = this.need('start()', this.started);
    if (started.db === undefined) {
      const db = new pg.Client({ connectionString: this.settings.DATABASE_URL });
      await db.connect();
      started.db = db;
    }
    return started.db;
  }

  /** A query on the warehouse, for the rows. */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await (await this.db()).query<R>(sql, values)).rows;
  }

  async cleanup(): Promise<void> {
    const started = this.started;
    this.started = null;
    await started?.db?.end().catch(() => undefined);
    await started?.sources?.close();
    if (process.env['LGSP_KEEP_TEST_DATA'] === '1') return;
    await dropDatabase(this.settings.DATABASE_URL);
    await dropDatabase(this.simStoreUrl);
  }

  private need<T>(what: string, value: T | undefined | null): T {
    if (value === undefined || value === null) throw new Error(`the test deployment has no ${what}: ask for it in useDeployment's options, and use it inside a test or hook`);
    return value;
  }
}

/** A deployment started before the file's tests and cleaned up after them. */
export function useDeployment(options: DeploymentOptions = {}): TestDeployment {
  const deployment = new TestDeployment(options);
  beforeAll(async () => {
    await deployment.start();
  });
  afterAll(async () => {
    await deployment.cleanup();
  });
  return deployment;
}
