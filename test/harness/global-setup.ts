import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { localPostgresUrl, loadSettings } from '../../src/config/settings.js';
import { assertKafkaReachable } from '../../src/kafka/client.js';
import { brokerDown, brokerUp } from '../../app/local/broker.js';
import { KAFKA_VERSION } from '../../app/local/kafka-version.js';
import { postgresDown, postgresUp } from '../../app/local/postgres.js';
import { loadTestcontainers } from '../containers/load.js';
import { createLogger, type Logger } from '../../src/logger.js';
// The ProvidedContext augmentation (kafkaBrokers, databaseUrl); type-only, so vitest is not loaded here.
import type {} from './infra.js';

interface Infra {
  readonly brokers: string[];
  readonly databaseUrl: string;
  readonly teardown: () => Promise<void>;
}

/**
 * Runs once before the integration tests, in the main vitest process. Where Kafka comes from:
 * 1. `KAFKA_BROKERS` when set (CI with its own cluster, docker-compose);
 * 2. containers when `LGSP_TEST_INFRA=testcontainers` (needs Docker, and `npm install --prefix test/containers`);
 * 3. otherwise the local broker of `lgsp local up`, started here if needed and stopped at teardown
 *    only if it was started here.
 * PostgreSQL likewise: `DATABASE_URL` when set (a server; each test creates its own databases on it),
 * the container with testcontainers, else the local PostgreSQL of `lgsp local up` (started if needed,
 * stopped at teardown only if started here).
 * Tests read the result with `testInfra()` (test/harness/infra.ts); it is also put in `process.env`
 * so that code calling `loadSettings()` in the workers, which inherit it, finds the same services.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const settings = loadSettings();
  const logger = createLogger({ level: process.env['LOG_LEVEL'] ?? 'warn' }).child({ component: 'test-infra' });
  const containers = process.env['LGSP_TEST_INFRA'] === 'testcontainers';
  const infra = containers
    ? await startContainers(logger)
    : await withPostgres(
        settings,
        logger,
        settings.KAFKA_BROKERS !== undefined ? { brokers: settings.KAFKA_BROKERS, teardown: () => Promise.resolve() } : await startLocalBroker(settings, logger),
      );

  // A wrong KAFKA_BROKERS would otherwise show up as every test hanging in kafkajs's retries.
  await assertKafkaReachable(infra.brokers, logger).catch(async (err: unknown) => {
    await infra.teardown();
    throw err;
  });
  project.provide('kafkaBrokers', infra.brokers);
  project.provide('databaseUrl', infra.databaseUrl);
  process.env['KAFKA_BROKERS'] = infra.brokers.join(',');
  process.env['DATABASE_URL'] = infra.databaseUrl;
  logger.info({ brokers: infra.brokers }, 'integration tests use these Kafka brokers');
  return infra.teardown;
}

type Kafka = Omit<Infra, 'databaseUrl'>;

async function startLocalBroker(settings: ReturnType<typeof loadSettings>, logger: Logger): Promise<Kafka> {
  const up = await brokerUp(settings, logger);
  return {
    brokers: up.brokers,
    teardown: async () => {
      if (!up.alreadyRunning) await brokerDown(settings, logger);
    },
  };
}

/**
 * The server named by `DATABASE_URL` (set outside; the settings' default is the local server, which is
 * why the environment is read here), else the local PostgreSQL on LGSP_LOCAL_PG_PORT.
 */
async function withPostgres(settings: ReturnType<typeof loadSettings>, logger: Logger, kafka: Kafka): Promise<Infra> {
  const given = process.env['DATABASE_URL'];
  if (given !== undefined && given !== '') return { ...kafka, databaseUrl: given };
  const up = await postgresUp(settings, logger).catch(async (err: unknown) => {
    await kafka.teardown();
    throw err;
  });
  return {
    brokers: kafka.brokers,
    databaseUrl: localPostgresUrl(settings.LGSP_LOCAL_PG_PORT, 'lgsp_test'),
    teardown: async () => {
      await kafka.teardown();
      if (!up.alreadyRunning) await postgresDown(settings, logger);
    },
  };
}

/**
 * Kafka in the same version as the local broker (the official apache/kafka image, KRaft, one node)
 * and PostgreSQL 15. `@testcontainers/kafka`'s KafkaContainer drives only Confluent images, whose Kafka
 * versions differ, so Kafka runs as a GenericContainer advertising the host port it is bound to.
 */
async function startContainers(logger: Logger): Promise<Infra> {
  const { GenericContainer, Wait, PostgreSqlContainer } = await loadTestcontainers();
  const hostPort = await freePort();
  const [kafka, postgres] = await Promise.all([
    new GenericContainer(`apache/kafka:${KAFKA_VERSION}`)
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withExposedPorts({ container: 9092, host: hostPort })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .withStartupTimeout(180_000)
      .start(),
    new PostgreSqlContainer('postgres:15-alpine').withDatabase('lgsp_test').start(),
  ]);
  logger.info({ kafka: kafka.getId(), postgres: postgres.getId() }, 'started test containers');
  return {
    brokers: [`127.0.0.1:${hostPort}`],
    databaseUrl: postgres.getConnectionUri(),
    teardown: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
