/**
 * The schema topic (`<prefix>lgsp.schemas`, compacted, one partition): every writer schema a
 * connector writes with, keyed by its fingerprint (16 hex digits), the value the schema's JSON
 * with its name, version and file (src/avro/published-schema.ts). Connectors publish their
 * schemas before they write with them; a pipeline deployed with older schema files reads the topic
 * when it meets a fingerprint it does not know. Messages stay single-object encoded: the topic is
 * a way to learn a writer, not a registry messages depend on.
 */
import type { Admin, Kafka } from 'kafkajs';
import { parsePublished, type PublishedSchema } from '../avro/published-schema.js';
import { readToEnd } from './read-to-end.js';
import { ensureTopics, schemaTopic, type TopicNaming } from './topics.js';

/** Creates the schema topic when it does not exist yet. */
export async function ensureSchemaTopic(admin: Admin, naming: TopicNaming): Promise<void> {
  await ensureTopics(admin, [{ topic: schemaTopic(naming), partitions: 1, compacted: true }]);
}

/**
 * Publishes writer schemas (the topic must exist: {@link ensureSchemaTopic}). Idempotent: the same
 * schema is the same key and value, which compaction keeps once.
 */
export async function publishSchemas(kafka: Kafka, naming: TopicNaming, schemas: readonly PublishedSchema[]): Promise<void> {
  if (schemas.length === 0) return;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic: schemaTopic(naming),
      acks: -1,
      messages: schemas.map((s) => ({ key: s.fingerprint, value: JSON.stringify(s) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Every schema published so far, by fingerprint (empty when no connector has published yet). */
export async function readSchemaTopic(kafka: Kafka, naming: TopicNaming): Promise<Map<string, PublishedSchema>> {
  const topic = schemaTopic(naming);
  const found = new Map<string, PublishedSchema>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return found;
  } finally {
    await admin.disconnect();
  }
  await readToEnd(kafka, topic, (message) => {
    const published = message.value === null ? undefined : parsePublished(message.value);
    // The key is the fingerprint a message names; a record whose value says otherwise is not trusted.
    if (published !== undefined && message.key?.toString('utf8') === published.fingerprint) found.set(published.fingerprint, published);
  });
  return found;
}
