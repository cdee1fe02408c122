/**
 * Two things a connector's transactional producer must do that kafkajs does not, both found by the
 * fault suite restarting a single-node Kafka 4.x broker mid-run:
 *
 * 1. Close what an earlier incarnation left open, before reading where to resume. A commit
 *    handled while the broker shuts down can be recorded as complete by the transaction
 *    coordinator without its markers ever reaching the partitions (seen in the logs: Ongoing →
 *    PrepareCommit → CompleteCommit within 1 ms, no marker written). Those records stay pending
 *    forever: read_committed readers stop before them, so the resumed connector re-read that page,
 *    and its next commit marker — same producer id, newer epoch — committed the stale copy as well:
 *    the page twice. Initialising the transactional id does not abort them (the coordinator
 *    believes them finished). What does: a transaction of the new epoch that touches every
 *    partition the connector writes, then aborts — its abort markers end the stale transaction in
 *    each partition, as aborted. The page is then written once, by the resumed connector.
 * 2. Wait until what it committed is readable. A commit returns once the coordinator has recorded
 *    it; the markers that make the records visible to read_committed readers follow a moment later
 *    (after a broker restart, seconds later). A pipeline that starts right after the extract took
 *    the topic's end before the markers landed and loaded nothing.
 */
import type { Admin, Producer, RecordMetadata } from 'kafkajs';
import { LgspError } from '../errors.js';
import { endOffsets } from '../kafka/read-to-end.js';
import { withRetry } from '../retry.js';

/** Key of the records written only to be aborted: never visible to read_committed readers. */
export const ABORT_SWEEP_KEY = 'lgsp.abort-sweep';

/**
 * Initialises the producer's transactional id (fencing an earlier incarnation) and aborts whatever
 * transaction of this producer id is still pending in any partition of `topics`. Returns the
 * partitions touched.
 */
export async function sweepPendingTransactions(producer: Producer, admin: Admin, topics: readonly string[]): Promise<number> {
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  const topicMessages = metadata.topics.map((t) => ({
    topic: t.name,
    messages: t.partitions.map((p) => ({ key: ABORT_SWEEP_KEY, value: null, partition: p.partitionId, headers: { 'lgsp.control': 'abort-sweep' } })),
  }));
  const transaction = await producer.transaction();
  try {
    await transaction.sendBatch({ topicMessages });
  } finally {
    await transaction.abort();
  }
  return topicMessages.reduce((n, t) => n + t.messages.length, 0);
}

/** The newest batch written per topic partition by committed transactions, to wait for. */
export class CommittedWrites {
  private readonly pending = new Map<string, Map<number, bigint>>();

  note(written: readonly RecordMetadata[]): void {
    for (const r of written) {
      if (r.baseOffset === undefined) continue;
      const partitions = this.pending.get(r.topicName) ?? new Map<number, bigint>();
      const base = BigInt(r.baseOffset);
      if ((partitions.get(r.partition) ?? -1n) < base) partitions.set(r.partition, base);
      this.pending.set(r.topicName, partitions);
    }
  }

  /**
   * Resolves once every noted batch lies below its partition's last stable offset — what a
   * read_committed reader (a pipeline) can see — or fails after `timeoutMs`.
   */
  async readable(admin: Admin, timeoutMs = 30_000): Promise<void> {
    await withRetry(
      async () => {
        for (const [topic, partitions] of this.pending) {
          for (const p of await endOffsets(admin, topic)) {
            const base = partitions.get(p.partition);
            if (base !== undefined && BigInt(p.high) > base) partitions.delete(p.partition);
          }
          if (partitions.size === 0) this.pending.delete(topic);
        }
        const [topic, partitions] = [...this.pending][0] ?? [undefined, new Map<number, bigint>()];
        if (topic === undefined) return;
        const [partition, offset] = [...partitions][0] ?? [-1, -1n];
        throw new LgspError('KAFKA_COMMIT_NOT_READABLE', `records committed to ${topic}[${partition}] at offset ${offset} are still not readable after ${timeoutMs} ms`, {
          retriable: true,
          context: { topic, partition, offset: String(offset) },
          hint: 'a transaction is pending on that partition; `kafka-transactions.sh --bootstrap-server … find-hanging` lists it',
        });
      },
      { what: 'waiting for committed records to be readable', policy: { retries: 1000, minTimeoutMs: 20, maxTimeoutMs: 500, maxRetryTimeMs: timeoutMs } },
    );
  }
}
