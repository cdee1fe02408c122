import type { Consumer, Kafka } from 'kafkajs';
import pg from 'pg';
import { connect } from '../db/postgres.js';
import { rawTopic, type TopicNaming } from '../kafka/topics.js';
import type { Logger } from '../logger.js';
import { loadBatch, type MessageDecoder } from './batch-loader.js';
import { storeOffset, storedOffsets, lockOffset } from './offsets.js';
import type { LoadFigures, PipelineDefinition, PipelineInput } from './types.js';

export interface PipelineRunnerDeps {
  readonly kafka: Kafka;
  readonly databaseUrl: string;
  readonly naming: TopicNaming;
  readonly decode: MessageDecoder;
  readonly logger: Logger;
}

export interface LoadOptions {
  readonly runId?: number | null;
  readonly signal?: AbortSignal;
  /** How often to check whether the end offsets are reached, in ms. */
  readonly pollMs?: number;
  readonly onProgress?: (figures: LoadFigures) => void;
}

/** Consumer group of a pipeline: every process running the pipeline joins it and shares partitions. */
export function consumerGroupId(naming: TopicNaming, pipeline: string): string {
  return `${naming.prefix}lgsp.pipeline.${pipeline}`;
}

/**
 * Runs a pipeline until the offsets stored in the warehouse reach the end offsets its topics had
 * when the run started (other processes of the same group may load some partitions), then stops.
 */
export async function runPipelineToEnd(definition: PipelineDefinition, deps: PipelineRunnerDeps, options: LoadOptions = {}): Promise<LoadFigures> {
  const logger = deps.logger.child({ component: 'pipeline-runner', pipeline: definition.name });
  const started = Date.now();
  const figures: LoadFigures = { pipeline: definition.name, consumed: 0, loaded: 0, updated: 0, deleted: 0, rejected: 0, skipped: 0, seconds: 0 };
  const byTopic = new Map<string, PipelineInput>(definition.inputs.map((input) => [rawTopic(deps.naming, input.source, input.entity), input]));
  const topics = [...byTopic.keys()];

  const admin = deps.kafka.admin();
  await admin.connect();
  const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics) {
      if (!existing.has(topic)) {
        logger.warn({ topic }, 'topic does not exist yet: nothing to load from it (run the connector first)');
        continue;
      }
      const partitions = new Map<number, { low: bigint; high: bigint }>();
      for (const p of await admin.fetchTopicOffsets(topic)) partitions.set(p.partition, { low: BigInt(p.low), high: BigInt(p.high) });
      ends.set(topic, partitions);
    }
  } finally {
    await admin.disconnect();
  }
  const loadTopics = [...ends.keys()];

  const client = await connect(deps.databaseUrl);
  // Offset checks, seeks and marker skips run beside the batch transactions, on their own connections.
  const monitor = new pg.Pool({ connectionString: deps.databaseUrl, max: 3 });
  let consumer: Consumer | null = null;
  try {
    if (await reachedEnd(monitor, definition.name, ends)) {
      figures.seconds = (Date.now() - started) / 1000;
      return figures;
    }
    consumer = deps.kafka.consumer({ groupId: consumerGroupId(deps.naming, definition.name), readUncommitted: false, allowAutoTopicCreation: false });
    const group = consumer;
    await group.connect();
    await group.subscribe({ topics: loadTopics, fromBeginning: true });

    // On every assignment, start from the offsets stored in the warehouse (the source of truth).
    group.on(group.events.GROUP_JOIN, (event) => {
      void (async () => {
        const stored = await storedOffsets(monitor, definition.name, loadTopics);
        for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
          for (const partition of partitions) {
            const next = stored.get(topic)?.get(partition);
            if (next !== undefined && next > 0n) group.seek({ topic, partition, offset: next.toString() });
          }
        }
      })().catch((err: unknown) => logger.warn({ err }, 'could not seek to stored offsets; stored offsets still filter replays'));
    });
    // A fetched batch holding only transaction markers never reaches eachBatch; move past it so
    // the end offsets (which count markers) can be reached.
    group.on(group.events.END_BATCH_PROCESS, (event) => {
      if (event.payload.batchSize !== 0) return;
      const { topic, partition, lastOffset } = event.payload;
      void advancePastMarkers(monitor, definition.name, topic, partition, BigInt(lastOffset) + 1n, options.runId ?? null).catch((err: unknown) =>
        logger.warn({ err }, 'could not store the offset after transaction markers'),
      );
    });

    let failure: unknown = null;
    const crashed = new Promise<void>((resolve) => {
      group.on(group.events.CRASH, (event) => {
        failure = event.payload.error;
        resolve();
      });
    });

    await group.run({
      eachBatchAutoResolve: true,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const input = byTopic.get(batch.topic);
        if (input === undefined) return;
        const result = await loadBatch(client, {
          pipeline: definition.name,
          input,
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          nextOffset: BigInt(batch.lastOffset()) + 1n,
          runId: options.runId ?? null,
          decode: deps.decode,
        });
        figures.consumed += result.consumed;
        figures.loaded += result.loaded;
        figures.updated += result.updated;
        figures.deleted += result.deleted;
        figures.rejected += result.rejected;
        figures.skipped += result.skipped;
        figures.seconds = (Date.now() - started) / 1000;
        options.onProgress?.(figures);
        await payload.heartbeat();
      },
    });

    const finished = waitForEnd(monitor, definition.name, ends, options.pollMs ?? 250, options.signal);
    await Promise.race([finished, crashed]);
    if (failure !== null) throw failure instanceof Error ? failure : new Error('the consumer crashed');
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await client.end().catch(() => undefined);
    await monitor.end().catch(() => undefined);
  }
  figures.seconds = (Date.now() - started) / 1000;
  logger.info({ ...figures }, 'pipeline loaded up to the end offsets');
  return figures;
}

async function advancePastMarkers(pool: pg.Pool, pipeline: string, topic: string, partition: number, next: bigint, runId: number | null): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await lockOffset(client, pipeline, topic, partition);
    await storeOffset(client, pipeline, topic, partition, next, runId);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function reachedEnd(client: pg.Pool, pipeline: string, ends: Map<string, Map<number, { low: bigint; high: bigint }>>): Promise<boolean> {
  const stored = await storedOffsets(client, pipeline, [...ends.keys()]);
  for (const [topic, partitions] of ends) {
    for (const [partition, { low, high }] of partitions) {
      if (high <= low) continue;
      const next = stored.get(topic)?.get(partition) ?? 0n;
      if (next < high) return false;
    }
  }
  return true;
}

async function waitForEnd(
  client: pg.Pool,
  pipeline: string,
  ends: Map<string, Map<number, { low: bigint; high: bigint }>>,
  pollMs: number,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    if (signal?.aborted === true) return;
    if (await reachedEnd(client, pipeline, ends)) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
