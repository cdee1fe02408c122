import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { ServiceUnreachableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Settings } from '../config/settings.js';
import { assertKafkajsPatched } from './kafkajs-patch.js';

export interface CreateKafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** Milliseconds to wait for a TCP connection to a broker (kafkajs default: 1000). */
  readonly connectionTimeout?: number;
  /** kafkajs retry policy for the whole client; defaults to kafkajs's own (5 retries, up to 30 s). */
  readonly retry?: { readonly retries?: number; readonly initialRetryTime?: number; readonly maxRetryTime?: number };
}

/**
 * Creates a kafkajs client whose logs go to pino as `component: 'kafkajs'`. kafkajs is chatty at INFO
 * (every join, every commit), so its INFO becomes debug and its DEBUG becomes trace.
 *
 * Refuses to create one when kafkajs lacks the project's patch (./kafkajs-patch.ts).
 *
 * Producers pass `createPartitioner: javaCompatiblePartitioner` (./partitioner.ts: Kafka's key →
 * partition rule, fast); the warning kafkajs prints about partitioners concerns only clients
 * upgraded from 1.x and is switched off here.
 */
export function createKafka(options: CreateKafkaOptions): Kafka {
  assertKafkajsPatched();
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const logger = options.logger.child({ component: 'kafkajs', clientId: options.clientId });
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeout ?? 3000,
    ...(options.retry === undefined ? {} : { retry: { ...options.retry } }),
    logLevel: kafkajsLevelFor(logger),
    logCreator: pinoLogCreator(logger),
  });
}

/** The brokers to use: `KAFKA_BROKERS` when set, else the local broker of `lgsp local up`. */
export function resolveBrokers(settings: Pick<Settings, 'KAFKA_BROKERS' | 'LGSP_KAFKA_PORT'>): string[] {
  return settings.KAFKA_BROKERS ?? [`127.0.0.1:${settings.LGSP_KAFKA_PORT}`];
}

/**
 * Fails within a few seconds, with a hint, when no broker answers — instead of kafkajs's default of
 * retrying for half a minute. Call it once at start-up, before creating producers and consumers.
 */
export async function assertKafkaReachable(brokers: readonly string[], logger: Logger, options: { readonly timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const kafka = new Kafka({
    clientId: 'lgsp-probe',
    brokers: [...brokers],
    connectionTimeout: Math.min(2000, timeoutMs),
    requestTimeout: timeoutMs,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    // Connection errors are the expected outcome when nothing runs; the thrown error says it once.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.describeCluster();
      })(),
      deadline,
    ]);
    logger.debug({ brokers }, 'Kafka is reachable');
  } catch (err) {
    throw new ServiceUnreachableError('Kafka', brokers.join(','), 'start the local broker with `npx lgsp local up`, or set KAFKA_BROKERS', {
      cause: err,
      setting: 'KAFKA_BROKERS',
    });
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

function kafkajsLevelFor(logger: Logger): logLevel {
  if (logger.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('debug')) return logLevel.INFO;
  return logger.isLevelEnabled('info') ? logLevel.WARN : logLevel.NOTHING;
}

function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const fields = { namespace, ...extra };
      switch (level) {
        // kafkajs logs every failed request at ERROR or WARN, the retriable ones it then retries
        // too (coordinator loading, concurrent transactions, not the leader): on a fresh broker
        // that is dozens of lines for a run that succeeds. What really fails is thrown to our
        // code, which reports it; here it is information.
        case logLevel.ERROR:
        case logLevel.WARN:
          logger.info(fields, message);
          break;
        case logLevel.INFO:
          logger.debug(fields, message);
          break;
        default:
          logger.trace(fields, message);
      }
    };
}
