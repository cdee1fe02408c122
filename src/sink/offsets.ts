import type pg from 'pg';

/**
 * The warehouse is the source of truth for how far a pipeline has loaded: `meta.consumer_offsets`
 * holds the next offset per partition, written in the same transaction as the rows.
 */

/** Locks a partition's stored offset for this transaction and returns it (0 when never loaded). */
export async function lockOffset(client: pg.ClientBase, pipeline: string, topic: string, partition: number): Promise<bigint> {
  await client.query(
    `INSERT INTO meta.consumer_offsets (pipeline, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
     ON CONFLICT DO NOTHING`,
    [pipeline, topic, partition],
  );
  const result = await client.query<{ next_offset: string }>(
    `SELECT next_offset FROM meta.consumer_offsets WHERE pipeline = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
    [pipeline, topic, partition],
  );
  return BigInt(result.rows[0]?.next_offset ?? '0');
}

export async function storeOffset(
  client: pg.ClientBase,
  pipeline: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
  runId: number | null,
): Promise<void> {
  await client.query(
    `UPDATE meta.consumer_offsets SET next_offset = GREATEST(next_offset, $4), run_id = $5, updated_at = now()
     WHERE pipeline = $1 AND topic = $2 AND partition = $3`,
    [pipeline, topic, partition, nextOffset.toString(), runId],
  );
}

/** Stored next offsets of a pipeline's topics, by topic and partition. */
export async function storedOffsets(
  client: pg.Client | pg.Pool,
  pipeline: string,
  topics: readonly string[],
): Promise<Map<string, Map<number, bigint>>> {
  const result = await client.query<{ topic: string; partition: number; next_offset: string }>(
    `SELECT topic, partition, next_offset FROM meta.consumer_offsets WHERE pipeline = $1 AND topic = ANY($2)`,
    [pipeline, topics],
  );
  const byTopic = new Map<string, Map<number, bigint>>();
  for (const row of result.rows) {
    const partitions = byTopic.get(row.topic) ?? new Map<number, bigint>();
    partitions.set(row.partition, BigInt(row.next_offset));
    byTopic.set(row.topic, partitions);
  }
  return byTopic;
}
