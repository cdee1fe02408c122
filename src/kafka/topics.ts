import type { Admin, ITopicConfig } from 'kafkajs';
import { LgspError } from '../errors.js';
import { withRetry } from '../retry.js';

/**
 * Topic naming convention (README "Topics"):
 *   lgsp.raw.<source>.<entity>.v<N>       raw source records, keyed by entity id, compacted
 *   lgsp.raw.<source>.<entity>.v<N>.dlq   records that failed validation, with the reason in headers
 *   lgsp.connect.offsets                   connectors' source offsets (compacted), as in Kafka Connect
 *   lgsp.schemas                           every writer schema a connector writes with, keyed by fingerprint (compacted)
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

/**
 * The schema topic: connectors publish each writer schema there before writing with it, so that a
 * pipeline deployed with older schema files can still learn the writer of a message it meets.
 */
export function schemaTopic(naming: TopicNaming): string {
  return `${naming.prefix}lgsp.schemas`;
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
    await admin.createTopics({ topics: missing, waitForLeaders: false, timeout: 30_000 });
  } catch (err) {
    // A concurrent creator won the race; anything else is real.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  }
  await waitForLeaders(admin, missing.map((t) => t.topic));
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own wait gives up after 5 s
 * and only retries "leader not available"; a single-node broker that has just started (loading a
 * few thousand partitions) or is busy answers "unknown topic or partition" for a while instead.
 */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  await withRetry(
    async () => {
      // Metadata errors while partitions are being placed (unknown topic, leader not available) are retriable kafkajs errors.
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (found.length === topics.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      throw new LgspError('KAFKA_NO_LEADER', `topics ${topics.join(', ')} have no leader after ${timeoutMs} ms`, {
        retriable: true,
        hint: 'the broker may still be starting or overloaded; run again',
      });
    },
    { what: 'waiting for topic leaders', policy: { retries: 1000, minTimeoutMs: 100, maxTimeoutMs: 2_000, maxRetryTimeMs: timeoutMs } },
  );
}
