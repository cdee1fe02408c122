import type { Kafka } from 'kafkajs';
import { loadCatalogue, type Catalogue } from '../src/avro/catalogue.js';
import type { Settings } from '../src/config/settings.js';
import { assertKafkaReachable, createKafka, resolveBrokers } from '../src/kafka/client.js';
import type { TopicNaming } from '../src/kafka/topics.js';
import type { Logger } from '../src/logger.js';
import type { MessageDecoder } from '../src/sink/batch-loader.js';
import type { RecordCodec } from '../src/connect/source-runner.js';
import type { Declarations } from './declarations.js';

/** What extract and load share: the declarations, the Kafka client, the schema catalogue and the naming. */
export interface Runtime extends Declarations {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly brokers: readonly string[];
  readonly kafka: Kafka;
  readonly catalogue: Catalogue;
  readonly naming: TopicNaming;
  readonly codec: RecordCodec;
  readonly decode: MessageDecoder;
}

export interface RuntimeOptions {
  readonly settings: Settings;
  readonly logger: Logger;
  /** The connectors and pipelines it runs (app/deployment.ts: this deployment's). */
  readonly declarations: Declarations;
  /** Kafka client id, for the broker's logs and quotas. */
  readonly clientId?: string;
}

/** Builds the runtime and fails fast, with a hint, when Kafka cannot be reached. */
export async function createRuntime({ settings, logger, declarations, clientId = 'lgsp' }: RuntimeOptions): Promise<Runtime> {
  const brokers = resolveBrokers(settings);
  await assertKafkaReachable(brokers, logger);
  const catalogue = loadCatalogue();
  return {
    connectors: declarations.connectors,
    pipelines: declarations.pipelines,
    settings,
    logger,
    brokers,
    kafka: createKafka({ brokers, clientId, logger }),
    catalogue,
    naming: { prefix: settings.LGSP_TOPIC_PREFIX },
    codec: {
      validate: (fullName, value, version) => catalogue.validate(fullName, value, version),
      encode: (fullName, value, version) => catalogue.encode(fullName, value, version),
    },
    decode: (value, readerSchema) => {
      const decoded = catalogue.decode<Record<string, unknown>>(value, readerSchema);
      return { value: decoded.value, schema: decoded.writer.fullName, version: decoded.writer.version, fingerprint: decoded.writer.fingerprint };
    },
  };
}
