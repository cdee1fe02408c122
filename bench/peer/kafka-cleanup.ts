import { createKafka } from '../../src/kafka/client.js';
import type { Logger } from '../../src/logger.js';

/**
 * Deletes the topics and consumer groups whose names start with one of `prefixes` (this run's, and
 * those an interrupted earlier run left behind), so the shared broker does not keep the benchmark's
 * partitions (a broker holding thousands of partitions slows everything on the machine).
 */
export async function deleteBenchTopics(brokers: readonly string[], prefixes: readonly string[], logger: Logger): Promise<{ topics: number; groups: number }> {
  const admin = createKafka({ brokers, clientId: 'lgsp-bench-peer', logger }).admin();
  await admin.connect();
  try {
    const matches = (name: string): boolean => prefixes.some((p) => name.startsWith(p));
    const topics = (await admin.listTopics()).filter(matches);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(matches);
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    return { topics: topics.length, groups: groups.length };
  } finally {
    await admin.disconnect();
  }
}
