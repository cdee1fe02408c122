import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * Topic naming convention (README "Topics"):
 *   lgsp.raw.<source>.<entity>.v<N>       raw source records, keyed by entity id, compacted
 *   lgsp.raw.<source>.<entity>.v<N>.dlq   records that failed validation, with the reason in headers
 *   lgsp.connect.offsets                   connectors' source offsets (compacted), as in Kafka Connect
 * A prefix (`LGSP_TOPIC_PREFIX`, tests use one each) keeps separate deployments apart on one cluster.
 */
export interface TopicNaming {
  readonly prefix: string;
}

export const DEFAULT_NAMING: TopicNaming = { prefix: '' };

export function rawTopic(naming: TopicNaming, source: string, entity: string, version = 1): string {
  return `${naming.prefix}lgsp.raw.${source}.${entity}.v${version}`;
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

export function offsetsTopic(naming: TopicNaming): string {
  return `${naming.prefix}lgsp.connect.offsets`;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** Entity-state topics keep the latest record per key forever; logs (DLQ) age out. */
  readonly compacted: boolean;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = specs
    .filter((s) => !existing.has(s.topic))
    .map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions,
      configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    }));
  if (missing.length === 0) return;
  try {
    // kafkajs waits 5 s for the new partitions' leaders by default: too short for a busy
    // single-node broker creating a connector's dozen topics while tests run beside it.
    await admin.createTopics({ topics: missing, waitForLeaders: true, timeout: 30_000 });
  } catch (err) {
    // A concurrent creator won the race; anything else is real.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  }
}
