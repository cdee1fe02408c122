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

/** The last record loaded from a partition, to know the partition again (a recreated topic starts over). */
export interface Witness {
  readonly offset: string;
  /** Kafka timestamp, ms. */
  readonly timestamp: string;
  readonly keyMd5: string;
}

/** Stores the next offset to load (never moving it back) and, when given, the witness of the last record loaded. */
export async function storeOffset(
  client: pg.ClientBase,
  pipeline: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
  runId: number | null,
  witness?: Witness,
): Promise<void> {
  await client.query(
    `UPDATE meta.consumer_offsets SET next_offset = GREATEST(next_offset, $4), run_id = $5, updated_at = now(),
       witness_offset = coalesce($6, witness_offset), witness_timestamp = coalesce($7, witness_timestamp), witness_key_md5 = coalesce($8, witness_key_md5)
     WHERE pipeline = $1 AND topic = $2 AND partition = $3`,
    [pipeline, topic, partition, nextOffset.toString(), runId, witness?.offset ?? null, witness?.timestamp ?? null, witness?.keyMd5 ?? null],
  );
}

/** Each partition's witness, for the partitions that have one. */
export async function storedWitnesses(client: pg.Pool, pipeline: string, topics: readonly string[]): Promise<Map<string, Map<number, Witness>>> {
  const result = await client.query<{ topic: string; partition: number; offset: string; timestamp: string; key_md5: string }>(
    `SELECT topic, partition, witness_offset::text AS offset, witness_timestamp::text AS timestamp, witness_key_md5 AS key_md5
     FROM meta.consumer_offsets WHERE pipeline = $1 AND topic = ANY($2) AND witness_offset IS NOT NULL`,
    [pipeline, topics],
  );
  const byTopic = new Map<string, Map<number, Witness>>();
  for (const row of result.rows) {
    const partitions = byTopic.get(row.topic) ?? new Map<number, Witness>();
    partitions.set(row.partition, { offset: row.offset, timestamp: row.timestamp, keyMd5: row.key_md5 });
    byTopic.set(row.topic, partitions);
  }
  return byTopic;
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
