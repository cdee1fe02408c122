import type { Kafka } from 'kafkajs';
import { loadCatalogue, type Catalogue } from '../src/avro/catalogue.js';
import { publishedForm } from '../src/avro/published-schema.js';
import type { Settings } from '../src/config/settings.js';
import { assertKafkaReachable, createKafka, resolveBrokers } from '../src/kafka/client.js';
import { readSchemaTopic } from '../src/kafka/schema-topic.js';
import { schemaTopic, type TopicNaming } from '../src/kafka/topics.js';
import { createWriterSchemas, type WriterSchemas } from '../src/sink/writer-schemas.js';
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
  /** Writers its schema files do not hold, learnt from the schema topic by the pipelines. */
  readonly writers: WriterSchemas;
}

export interface RuntimeOptions {
  readonly settings: Settings;
  readonly logger: Logger;
  /** The connectors and pipelines it runs (app/deployment.ts: this deployment's). */
  readonly declarations: Declarations;
  /** Kafka client id, for the broker's logs and quotas. */
  readonly clientId?: string;
  /** The schema files deployed with it (default: LGSP_SCHEMA_DIR, else the repository's `schemas/`). */
  readonly schemaDir?: string;
}

/** Builds the runtime and fails fast, with a hint, when Kafka cannot be reached. */
export async function createRuntime({ settings, logger, declarations, clientId = 'lgsp', schemaDir }: RuntimeOptions): Promise<Runtime> {
  const brokers = resolveBrokers(settings);
  await assertKafkaReachable(brokers, logger);
  const catalogue = loadCatalogue(schemaDir ?? settings.LGSP_SCHEMA_DIR);
  const kafka = createKafka({ brokers, clientId, logger });
  const naming = { prefix: settings.LGSP_TOPIC_PREFIX };
  return {
    connectors: declarations.connectors,
    pipelines: declarations.pipelines,
    settings,
    logger,
    brokers,
    kafka,
    catalogue,
    naming,
    codec: {
      validate: (fullName, value, version) => catalogue.validate(fullName, value, version),
      encode: (fullName, value, version) => catalogue.encode(fullName, value, version),
      published: (fullName) => catalogue.registry.versions(fullName).map(publishedForm),
    },
    decode: (value, readerSchema) => {
      const decoded = catalogue.decode<Record<string, unknown>>(value, readerSchema);
      return { value: decoded.value, schema: decoded.writer.fullName, version: decoded.writer.version, fingerprint: decoded.writer.fingerprint };
    },
    writers: createWriterSchemas({
      catalogue,
      readPublished: () => readSchemaTopic(kafka, naming),
      where: schemaTopic(naming),
      backfillHint: (topic) => `\`lgsp backfill ${sourceOfTopic(topic)} --from <the day it started writing it> --to <now>\``,
      logger,
    }),
  };
}

/** `<prefix>lgsp.raw.population.citizen.v1` → `population`: the source a backfill re-extracts. */
function sourceOfTopic(topic: string): string {
  return /lgsp\.raw\.([^.]+)\./.exec(topic)?.[1] ?? '<source>';
}
