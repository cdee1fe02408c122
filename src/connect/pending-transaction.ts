import type { Message, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import type { SourceOffset } from './types.js';

/**
 * Bytes (keys and values) after which a transaction commits even short of its record count: one
 * transaction is one produce request, whose batch per partition the broker refuses above its
 * `message.max.bytes` (1 MiB by default) — reached when a topic has a single partition.
 */
export const MAX_BYTES_PER_TRANSACTION = 768 * 1024;

/** A dead letter's headers carry its reason (up to 2,000 characters): counted with its bytes. */
const DEAD_LETTER_HEADER_BYTES = 2048;

/** Where a stream's transaction writes: its topic, its dead-letter topic, and (unless a backfill) its offset. */
export interface TransactionTarget {
  readonly topic: string;
  readonly dlqTopic: string;
  /** The source offset's message for the connector's offsets topic; null in a backfill (offsets stay). */
  readonly offsetMessage: ((offset: SourceOffset) => { readonly topic: string; readonly message: Message }) | null;
}

/**
 * The records, dead letters and last source offset of consecutive pages not committed yet. They
 * are written, with the new source offset, in one Kafka transaction: a crash before the commit
 * leaves nothing, after it everything, and the next run resumes from the offset committed.
 */
export class PendingTransaction {
  private records: Message[] = [];
  private dead: Message[] = [];
  private bytes = 0;
  private last: SourceOffset | undefined;

  constructor(
    private readonly target: TransactionTarget,
    private readonly limits: { readonly records: number; readonly bytes: number },
  ) {}

  produce(message: Message): void {
    this.records.push(message);
    this.bytes += (message.key?.length ?? 0) + (message.value === null || message.value === undefined ? 0 : message.value.length);
  }

  deadLetter(message: Message): void {
    this.dead.push(message);
    this.bytes += (message.key?.length ?? 0) + (message.value === null || message.value === undefined ? 0 : message.value.length) + DEAD_LETTER_HEADER_BYTES;
  }

  /** The page's last record's offset: where the next run resumes once this transaction commits. */
  advance(offset: SourceOffset): void {
    this.last = offset;
  }

  /** Whether it holds enough to commit (a page is never split: checked after whole pages). */
  full(): boolean {
    return this.records.length + this.dead.length >= this.limits.records || this.bytes >= this.limits.bytes;
  }

  /**
   * Commits what it holds with the new source offset, in one produce request of one transaction;
   * returns what was written to the stream's topic and its dead-letter topic (both are read by
   * others right after the run: pipelines, `lgsp dlq list`), or null when there was nothing to commit.
   */
  async commit(producer: Producer): Promise<RecordMetadata[] | null> {
    if (this.last === undefined) return null;
    const topicMessages: TopicMessages[] = [];
    if (this.records.length > 0) topicMessages.push({ topic: this.target.topic, messages: this.records });
    if (this.dead.length > 0) topicMessages.push({ topic: this.target.dlqTopic, messages: this.dead });
    const offset = this.target.offsetMessage?.(this.last);
    if (offset !== undefined) topicMessages.push({ topic: offset.topic, messages: [offset.message] });
    const transaction = await producer.transaction();
    let metadata: RecordMetadata[];
    try {
      metadata = topicMessages.length > 0 ? await transaction.sendBatch({ topicMessages }) : [];
      await transaction.commit();
    } catch (err) {
      await transaction.abort().catch(() => undefined);
      throw err;
    }
    this.records = [];
    this.dead = [];
    this.bytes = 0;
    this.last = undefined;
    return metadata.filter((m) => m.topicName === this.target.topic || m.topicName === this.target.dlqTopic);
  }
}
