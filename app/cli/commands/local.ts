import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadSettings } from '../../../src/config/settings.js';
import { brokerDown, brokerStatus, brokerUp } from '../../local/broker.js';
import { createLogger } from '../../../src/logger.js';

/** `lgsp local up | down | status`: the single-node Kafka broker for development and tests. */
export function registerLocalCommand(program: Command): void {
  const local = program.command('local').description('run a local single-node Kafka broker (no Docker; needs a JDK 17+ and Maven)');

  local
    .command('up')
    .description('start the local broker on 127.0.0.1:LGSP_KAFKA_PORT (resolves the jars from Maven Central the first time)')
    .option('--controller-port <port>', 'port of the KRaft controller listener (default: the broker port + 1)', parsePort)
    .addOption(new Option('--kafka-version <version>', 'run another broker version than the tested one (for trying upgrades)').env('LGSP_KAFKA_VERSION'))
    .option('--fresh', 'delete the broker data first: all topics and offsets are lost')
    .action(async (options: { controllerPort?: number; kafkaVersion?: string; fresh?: boolean }) => {
      const settings = loadSettings();
      if (settings.KAFKA_BROKERS !== undefined) {
        process.stdout.write(`KAFKA_BROKERS is set: lgsp will use the cluster at ${settings.KAFKA_BROKERS.join(',')}; no local broker started.\n`);
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
      process.stdout.write(`Kafka ${result.version} is running at ${result.brokers.join(',')} (pid ${result.pid}; ${how})\n`);
    });

  local
    .command('down')
    .description('stop the local broker (its data is kept)')
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const stopped = await brokerDown(settings, logger);
      const address = `127.0.0.1:${settings.LGSP_KAFKA_PORT}`;
      process.stdout.write(stopped ? `Stopped the Kafka broker at ${address}.\n` : `No local Kafka broker was running at ${address}.\n`);
    });

  local
    .command('status')
    .description('tell whether the local broker runs, and where')
    .action(() => {
      const settings = loadSettings();
      if (settings.KAFKA_BROKERS !== undefined) process.stdout.write(`KAFKA_BROKERS is set: lgsp uses ${settings.KAFKA_BROKERS.join(',')}, not the local broker.\n`);
      const status = brokerStatus(settings);
      const lines = status.running
        ? [`Kafka ${status.version ?? '?'} is running at ${status.address} (pid ${status.pid ?? '?'}, since ${status.startedAt ?? '?'})`]
        : [`No local Kafka broker is running at ${status.address}. Start it with \`npx lgsp local up\`.`];
      lines.push(`  data: ${status.dataDir}`, `  log:  ${status.logFile}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!status.running) process.exitCode = 3;
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('must be a port number (1-65535)');
  return port;
}
