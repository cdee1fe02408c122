import type { Knex } from 'knex';

/**
 * What the pipelines keep so that nothing on a topic can stop or fool them (src/sink/):
 * - `meta.dlq_outbox.pipeline`: each pipeline flushes only its own dead letters, so one that cannot
 *   be written delays that pipeline's outbox alone;
 * - `meta.consumer_offsets.witness_*`: the last record a pipeline loaded from each partition
 *   (offset, timestamp, key hash), to notice a topic that was deleted and created again — its
 *   offsets start over, and loading on from the stored ones would skip every record below them;
 * - `meta.load_counts`: what each run's loads did, per partition, committed in each batch's
 *   transaction like the offsets — exact even for a load killed mid-way (`lgsp reconcile`).
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

    CREATE TABLE meta.load_counts (
      run_id     bigint NOT NULL DEFAULT 0,
      pipeline   text NOT NULL,
      topic      text NOT NULL,
      partition  integer NOT NULL,
      consumed   bigint NOT NULL DEFAULT 0,
      inserted   bigint NOT NULL DEFAULT 0,
      updated    bigint NOT NULL DEFAULT 0,
      deleted    bigint NOT NULL DEFAULT 0,
      unchanged  bigint NOT NULL DEFAULT 0,
      rejected   bigint NOT NULL DEFAULT 0,
      skipped    bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (run_id, pipeline, topic, partition)
    );
    COMMENT ON TABLE meta.load_counts IS 'What the loads of each run did to the messages of each partition, committed with the rows: consumed = inserted + updated + deleted + unchanged + rejected + skipped.';
    COMMENT ON COLUMN meta.load_counts.run_id IS 'The load''s run (meta.runs); 0 for a load outside any run.';
  `);
}
