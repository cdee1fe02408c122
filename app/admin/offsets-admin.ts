import { endOffsets } from '../../src/kafka/read-to-end.js';
import type pg from 'pg';
import { connect } from '../../src/db/postgres.js';
import { LgspError } from '../../src/errors.js';
import { rawTopic } from '../../src/kafka/topics.js';
import { consumerGroupId } from '../../src/sink/pipeline-runner.js';
import { selectPipelines } from '../declarations.js';
import { RUN_LOCK_KEY } from '../batch/run-lock.js';
import type { Runtime } from '../runtime.js';

export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** Next offset to load, as stored in the warehouse (null: never loaded). */
  readonly stored: string | null;
  readonly low: string;
  readonly high: string;
  readonly lag: number;
}

/** Where to move a pipeline's offsets: the start of each partition, its end, or the first offset at or after a time. */
export type ResetTarget = { readonly to: 'earliest' } | { readonly to: 'latest' } | { readonly to: 'time'; readonly at: Date };

export class PipelineRunningError extends LgspError {
  constructor(pipeline: string, why: string) {
    super('PIPELINE_RUNNING', `refusing to move the offsets of pipeline ${pipeline}: ${why}`, { hint: 'stop the load (or wait for the run to end) and try again' });
  }
}

function topicsOf(runtime: Runtime, pipeline: string): string[] {
  const [name] = selectPipelines(runtime, [pipeline]);
  const definition = runtime.pipelines[name ?? ''];
  return definition === undefined ? [] : definition.inputs.map((i) => rawTopic(runtime.naming, i.source, i.entity));
}

/** The offsets a pipeline has stored in the warehouse beside each partition's range. */
export async function showOffsets(runtime: Runtime, pipeline: string): Promise<PartitionOffsets[]> {
  const topics = topicsOf(runtime, pipeline);
  const db = await connect(runtime.settings.DATABASE_URL);
  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const stored = await db.query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset FROM meta.consumer_offsets WHERE pipeline = $1`,
      [pipeline],
    );
    const rows: PartitionOffsets[] = [];
    for (const topic of topics.filter((t) => existing.has(t))) {
      const partitions = (await endOffsets(admin, topic)).sort((a, b) => a.partition - b.partition);
      for (const p of partitions) {
        const s = stored.rows.find((r) => r.topic === topic && r.partition === p.partition)?.next_offset ?? null;
        rows.push({ topic, partition: p.partition, stored: s, low: p.low, high: p.high, lag: Number(BigInt(p.high) - BigInt(s ?? p.low)) });
      }
    }
    return rows;
  } finally {
    await admin.disconnect();
    await db.end();
  }
}

/**
 * Moves a pipeline's stored offsets (the warehouse's, which are the truth) and its consumer
 * group's committed offsets to the target. Refuses while the pipeline's consumer group has
 * members or a run holds the run lock: moving offsets under a running load would be undone by it.
 */
export async function resetOffsets(runtime: Runtime, pipeline: string, target: ResetTarget): Promise<PartitionOffsets[]> {
  const topics = topicsOf(runtime, pipeline);
  const groupId = consumerGroupId(runtime.naming, pipeline);
  const db = await connect(runtime.settings.DATABASE_URL);
  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const members = groups[0]?.members.length ?? 0;
    if (members > 0) throw new PipelineRunningError(pipeline, `its consumer group ${groupId} has ${members} member(s)`);
    await assertNoRun(db, pipeline);

    const existing = new Set(await admin.listTopics());
    await db.query('BEGIN');
    try {
      for (const topic of topics.filter((t) => existing.has(t))) {
        const ranges = await endOffsets(admin, topic);
        const atTime = target.to === 'time' ? await admin.fetchTopicOffsetsByTimestamp(topic, target.at.getTime()) : [];
        const positions = ranges.map((r) => {
          const offset =
            target.to === 'earliest' ? r.low : target.to === 'latest' ? r.high : (atTime.find((t) => t.partition === r.partition)?.offset ?? r.high);
          // An offset of -1 from a time lookup means "after the last message".
          return { partition: r.partition, offset: offset === '-1' ? r.high : offset };
        });
        for (const p of positions) {
          await db.query(
            `INSERT INTO meta.consumer_offsets (pipeline, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
             ON CONFLICT (pipeline, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now(),
               -- The operator accepts the topic as it is now (a recreated one, say): no witness of what was loaded before.
               witness_offset = NULL, witness_timestamp = NULL, witness_key_md5 = NULL`,
            [pipeline, topic, p.partition, p.offset],
          );
        }
        await admin.setOffsets({ groupId, topic, partitions: positions });
      }
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await admin.disconnect();
    await db.end();
  }
  return showOffsets(runtime, pipeline);
}

async function assertNoRun(db: pg.ClientBase, pipeline: string): Promise<void> {
  const got = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RUN_LOCK_KEY]);
  if (got.rows[0]?.locked !== true) throw new PipelineRunningError(pipeline, 'a nightly run is in progress');
  await db.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK_KEY]);
}
