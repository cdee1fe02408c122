import { Argument, InvalidArgumentError, Option, type Command } from 'commander';
import { loadSettings, usesLocalPostgres, type Settings } from '../../../src/config/settings.js';
import { brokerDown, brokerStatus, brokerUp } from '../../local/broker.js';
import { postgresDown, postgresStatus, postgresUp } from '../../local/postgres.js';
import { createLogger } from '../../../src/logger.js';

type Service = 'kafka' | 'postgres';

const serviceArgument = (): Argument => new Argument('[service]', 'only this one (default: both)').choices(['kafka', 'postgres']);

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * `lgsp local up | down | status [kafka|postgres]`: the single-node Kafka broker and the PostgreSQL
 * server for development and tests, both run from packages (Maven jars, npm binaries), neither needing Docker.
 */
export function registerLocalCommand(program: Command): void {
  const local = program.command('local').description('run a local Kafka broker (jars from Maven Central; needs a JDK 17+ and Maven) and a local PostgreSQL (npm binaries); no Docker');

  local
    .command('up')
    .description('start the local broker on 127.0.0.1:LGSP_KAFKA_PORT and PostgreSQL on 127.0.0.1:LGSP_LOCAL_PG_PORT, unless KAFKA_BROKERS / the database URLs name other servers')
    .addArgument(serviceArgument())
    .option('--controller-port <port>', 'port of the KRaft controller listener (default: the broker port + 1)', parsePort)
    .addOption(new Option('--kafka-version <version>', 'run another broker version than the tested one (for trying upgrades)').env('LGSP_KAFKA_VERSION'))
    .option('--fresh', 'delete the broker data first: all topics and offsets are lost')
    .action(async (service: Service | undefined, options: { controllerPort?: number; kafkaVersion?: string; fresh?: boolean }) => {
      const settings = loadSettings();
      if (service !== 'postgres') await kafkaUp(settings, options);
      if (service !== 'kafka') await localPostgresUp(settings, service === 'postgres');
    });

  local
    .command('down')
    .description('stop the local broker and the local PostgreSQL (their data is kept)')
    .addArgument(serviceArgument())
    .action(async (service: Service | undefined) => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      if (service !== 'postgres') {
        const address = `127.0.0.1:${settings.LGSP_KAFKA_PORT}`;
        say((await brokerDown(settings, logger)) ? `Stopped the Kafka broker at ${address}.` : `No local Kafka broker was running at ${address}.`);
      }
      if (service !== 'kafka') {
        const address = `127.0.0.1:${settings.LGSP_LOCAL_PG_PORT}`;
        say((await postgresDown(settings, logger)) ? `Stopped the local PostgreSQL at ${address}.` : `No local PostgreSQL was running at ${address}.`);
      }
    });

  local
    .command('status')
    .description('tell whether the local broker and PostgreSQL run, and where their data and logs are; exit 3 when one lgsp needs is down')
    .addArgument(serviceArgument())
    .action(async (service: Service | undefined) => {
      const settings = loadSettings();
      const down = [service !== 'postgres' && !kafkaStatus(settings), service !== 'kafka' && !(await localPostgresStatus(settings, service === 'postgres'))];
      if (down.some(Boolean)) process.exitCode = 3;
    });
}

async function kafkaUp(settings: Settings, options: { controllerPort?: number; kafkaVersion?: string; fresh?: boolean }): Promise<void> {
  if (settings.KAFKA_BROKERS !== undefined) {
    say(`KAFKA_BROKERS is set: lgsp will use the cluster at ${settings.KAFKA_BROKERS.join(',')}; no local broker started.`);
    return;
  }
  const logger = createLogger({ level: settings.LOG_LEVEL });
  const started = Date.now();
  const result = await brokerUp(settings, logger, {
    ...(options.controllerPort === undefined ? {} : { controllerPort: options.controllerPort }),
    ...(options.kafkaVersion === undefined ? {} : { version: options.kafkaVersion }),
    fresh: options.fresh === true,
  });
  const how = result.alreadyRunning ? 'was already running' : `started in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  say(`Kafka ${result.version} is running at ${result.brokers.join(',')} (pid ${result.pid}; ${how})`);
}

/** Starts the local PostgreSQL when a database URL names it (unset URLs do), or when asked for by name. */
async function localPostgresUp(settings: Settings, asked: boolean): Promise<void> {
  if (!asked && !usesLocalPostgres(settings)) {
    say('DATABASE_URL, LGSP_SIM_DATABASE_URL and LGSP_ONESTOP_DATABASE_URL name other servers; no local PostgreSQL started.');
    return;
  }
  const logger = createLogger({ level: settings.LOG_LEVEL });
  const started = Date.now();
  const result = await postgresUp(settings, logger);
  const how = result.alreadyRunning ? 'was already running' : `started in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  say(`PostgreSQL ${result.version} is running at ${result.address} (pid ${result.pid}; ${how})`);
}

function kafkaStatus(settings: Settings): boolean {
  if (settings.KAFKA_BROKERS !== undefined) {
    say(`KAFKA_BROKERS is set: lgsp uses ${settings.KAFKA_BROKERS.join(',')}, not the local broker.`);
    return true;
  }
  const status = brokerStatus(settings);
  say(status.running
    ? `Kafka ${status.version ?? '?'} is running at ${status.address} (pid ${status.pid ?? '?'}, since ${status.startedAt ?? '?'})`
    : `No local Kafka broker is running at ${status.address}. Start it with \`npx lgsp local up\`.`);
  say(`  data: ${status.dataDir}\n  log:  ${status.logFile}`);
  return status.running;
}

/** True when it runs, or when lgsp does not need it (every database URL names another server). */
async function localPostgresStatus(settings: Settings, asked: boolean): Promise<boolean> {
  const needed = asked || usesLocalPostgres(settings);
  if (!needed) say('The database URLs name other servers: lgsp does not use the local PostgreSQL.');
  const status = await postgresStatus(settings);
  say(status.running
    ? `PostgreSQL ${status.version ?? '?'} is running at ${status.address} (pid ${status.pid ?? '?'}, since ${status.startedAt ?? '?'})`
    : `No local PostgreSQL is running at ${status.address}.${needed ? ' Start it with `npx lgsp local up`.' : ''}`);
  say(`  data: ${status.dataDir}\n  log:  ${status.logFile}`);
  return status.running || !needed;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('must be a port number (1-65535)');
  return port;
}
