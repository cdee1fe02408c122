/**
 * The one fixture of the integration tests: a deployment of the platform of its own — its own
 * warehouse and simulator store (databases on the test PostgreSQL), its own topic prefix on the
 * test broker — with, on request, the simulated sources serving a world, the warehouse migrated,
 * a runtime and connections to the warehouse and the store. Test files run in parallel without
 * seeing each other.
 *
 *   const t = useDeployment({ world: { seed: 9, scale: 0.002 } });   // registers beforeAll/afterAll
 *   it('…', async () => { await extract(t.runtime, ['population'], { overrides: t.overrides }); … });
 *
 * Several warehouses fed from one world: `useDeployment({ sourcesOf: t })` (declared after `t`).
 *
 * `LGSP_KEEP_TEST_DATA=1` keeps the databases after the tests, to look at them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Declarations } from '../../app/declarations.js';
import { DECLARED } from '../../app/deployment.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { ensureTopics, type TopicSpec } from '../../src/kafka/topics.js';
import { connect, dropDatabase, watchPool, withDatabase } from '../../src/db/postgres.js';
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
  readonly world?: { readonly seed: number; readonly scale: number; readonly asOf?: string; readonly vneidFrom?: string; readonly faults?: FaultConfig; readonly tokenTtlSeconds?: number };
  /**
   * Serve no world of its own: use the simulated sources and store of that deployment (started
   * before this one, cleaned up after it), so that several warehouses are fed from one world.
   */
  readonly sourcesOf?: TestDeployment;
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
  private started: { runtime?: Runtime; sources?: MockSources; db?: Promise<pg.Client>; store?: pg.Pool } | null = null;

  constructor(private readonly options: DeploymentOptions = {}) {
    const infra = testInfra();
    this.simStoreUrl = options.sourcesOf?.simStoreUrl ?? withDatabase(infra.databaseUrl, `lgsp_sim_${this.id}`);
    this.settings = parseSettings({
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

  /** Another runtime of this deployment, deployed with other schema files (a pipeline older or newer than its connectors). */
  async runtimeWith(schemaDir: string, logger: Logger = this.logger): Promise<Runtime> {
    const declarations = this.options.declarations ?? DECLARED;
    return createRuntime({ settings: this.settings, logger, declarations, clientId: `lgsp-test-${this.id}`, schemaDir });
  }

  get runtime(): Runtime {
    return this.need('runtime', this.started?.runtime);
  }

  /** The simulated sources serving the deployment's world (or the world of `sourcesOf`). */
  get sources(): MockSources {
    return this.need('world', this.servedSources());
  }

  /** Connector settings pointing every connector at the simulated sources (extract's and runNightly's `overrides`). */
  get overrides(): Record<string, Record<string, unknown>> {
    return connectorOverrides(this.sources, this.simStoreUrl);
  }

  /** The environment of a child `lgsp` process of this deployment (pointed at its sources, when it has them). */
  cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const sources = this.servedSources();
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

  /** Creates the topics that do not exist yet on the deployment's broker (names as given: with the prefix). */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const admin = this.runtime.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, specs);
    } finally {
      await admin.disconnect();
    }
  }

  /** A connection to the warehouse (as the superuser that owns it), opened on first use, closed at cleanup. */
  db(): Promise<pg.Client> {
    const started = this.need('start()', this.started);
    if (started.db !== undefined) return started.db;
    const forget = (): void => {
      if (started.db === opening) delete started.db;
    };
    // Opened once however many ask at the same time.
    const opening = connect(this.settings.DATABASE_URL).then((client) => {
      // A PostgreSQL restart (the fault suite) ends the session: the next use opens a new one.
      client.on('error', forget);
      return client;
    });
    opening.catch(forget);
    started.db = opening;
    return opening;
  }

  /** A query on the warehouse, for the rows. */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await (await this.db()).query<R>(sql, values)).rows;
  }

  /** A query on the simulator's store (what the simulated sources serve), for the rows. */
  async queryStore<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    const started = this.need('start()', this.started);
    // A pool: the queries a test runs side by side (Promise.all) each get a connection.
    started.store ??= watchPool(new pg.Pool({ connectionString: this.simStoreUrl, max: 4 }), () => undefined);
    return (await started.store.query<R>(sql, values)).rows;
  }

  async cleanup(): Promise<void> {
    const started = this.started;
    this.started = null;
    await started?.db?.then((db) => db.end()).catch(() => undefined);
    await started?.store?.end();
    await started?.sources?.close();
    if (process.env['LGSP_KEEP_TEST_DATA'] === '1') return;
    await dropDatabase(this.settings.DATABASE_URL);
    // A store borrowed from `sourcesOf` is its owner's to drop.
    if (this.options.sourcesOf === undefined) await dropDatabase(this.simStoreUrl);
  }

  private servedSources(): MockSources | undefined {
    return this.options.sourcesOf?.servedSources() ?? this.started?.sources;
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
