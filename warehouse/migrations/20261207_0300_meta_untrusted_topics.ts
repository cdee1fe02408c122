import type { Knex } from 'knex';

/**
 * What the pipelines keep so that nothing on a topic can stop or fool them (src/sink/):
 * - `meta.dlq_outbox.pipeline`: each pipeline flushes only its own dead letters, so one that cannot
 *   be written delays that pipeline's outbox alone;
 * - `meta.consumer_offsets.witness_*`: the last record a pipeline loaded from each partition
 *   (offset, timestamp, key hash), to notice a topic that was deleted and created again — its
 *   offsets start over, and loading on from the stored ones would skip every record below them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE meta.dlq_outbox ADD COLUMN pipeline text;
    UPDATE meta.dlq_outbox SET pipeline = coalesce(headers->>'lgsp.pipeline', '');
    ALTER TABLE meta.dlq_outbox ALTER COLUMN pipeline SET NOT NULL;
    CREATE INDEX dlq_outbox_pipeline ON meta.dlq_outbox (pipeline, outbox_id);
    COMMENT ON COLUMN meta.dlq_outbox.pipeline IS 'Pipeline that rejected the record; each flushes its own dead letters.';

    ALTER TABLE meta.consumer_offsets
      ADD COLUMN witness_offset bigint,
      ADD COLUMN witness_timestamp bigint,
      ADD COLUMN witness_key_md5 text;
    COMMENT ON COLUMN meta.consumer_offsets.witness_offset IS 'Offset of the last record loaded from the partition: read again at the next load, it must be the same record, or the topic was recreated.';
    COMMENT ON COLUMN meta.consumer_offsets.witness_timestamp IS 'Kafka timestamp (ms) of the record at witness_offset.';
    COMMENT ON COLUMN meta.consumer_offsets.witness_key_md5 IS 'md5 of the key of the record at witness_offset.';
  `);
}
