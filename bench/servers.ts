/**
 * The servers a benchmark runs against: the broker named by KAFKA_BROKERS and the PostgreSQL server
 * named by DATABASE_URL when they are set, else the local ones of `lgsp local up`, started here
 * when they are not running (a fresh clone needs nothing preinstalled). Started services outlive
 * the benchmark, as `lgsp local up`'s do; measure on a freshly formatted broker
 * (`lgsp local up --fresh`), started before the benchmark.
 */
import { brokerUp } from '../app/local/broker.js';
import { postgresUp } from '../app/local/postgres.js';
import { loadSettings, localPostgresUrl } from '../src/config/settings.js';
import type { Logger } from '../src/logger.js';

export interface BenchServers {
  /** A URL of the server's `postgres` database; benchmarks name their own databases with withDatabase. */
  readonly server: string;
  readonly brokers: string;
}

export async function benchServers(logger: Logger): Promise<BenchServers> {
  const settings = loadSettings();
  const givenDb = process.env['DATABASE_URL'];
  const givenBrokers = process.env['KAFKA_BROKERS'];
  const [server, brokers] = await Promise.all([
    givenDb !== undefined && givenDb !== ''
      ? givenDb
      : postgresUp(settings, logger).then(() => localPostgresUrl(settings.LGSP_LOCAL_PG_PORT, 'postgres')),
    givenBrokers !== undefined && givenBrokers !== '' ? givenBrokers : brokerUp(settings, logger).then((up) => up.brokers.join(',')),
  ]);
  return { server, brokers };
}
