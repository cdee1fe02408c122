import { randomBytes } from 'node:crypto';
import { dropDatabase, withDatabase } from '../../src/db/postgres.js';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import { testInfra } from './infra.js';

/**
 * Each test gets its own databases (warehouse and simulator store) and its own topic prefix, so
 * test files run in parallel against one broker and one PostgreSQL without seeing each other.
 */
export interface IsolatedEnv {
  readonly id: string;
  readonly settings: Settings;
  readonly simStoreUrl: string;
  cleanup(): Promise<void>;
}

export function isolatedEnv(overrides: Partial<Record<keyof Settings, string>> = {}): IsolatedEnv {
  const infra = testInfra();
  const id = `t${randomBytes(4).toString('hex')}`;
  const databaseUrl = withDatabase(infra.databaseUrl, `lgsp_${id}`);
  const simStoreUrl = withDatabase(infra.databaseUrl, `lgsp_sim_${id}`);
  const settings = parseSettings({
    DATABASE_URL: databaseUrl,
    LGSP_SIM_DATABASE_URL: simStoreUrl,
    KAFKA_BROKERS: infra.brokers.join(','),
    LGSP_TOPIC_PREFIX: `${id}.`,
    LGSP_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    ...overrides,
  });
  return {
    id,
    settings,
    simStoreUrl,
    async cleanup() {
      if (process.env['LGSP_KEEP_TEST_DATA'] === '1') return;
      await dropDatabase(databaseUrl);
      await dropDatabase(simStoreUrl);
    },
  };
}
