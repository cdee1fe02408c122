import type { Knex } from 'knex';

/**
 * The `meta` schema: what ran, how far each pipeline has loaded (its consumed offsets, written in
 * the same transaction as the rows), what was rejected and why, and which writer schemas were seen.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE SCHEMA IF NOT EXISTS meta;
    CREATE SCHEMA IF NOT EXISTS core;

    CREATE TABLE meta.runs (
      run_id       bigserial PRIMARY KEY,
      kind         text NOT NULL,
      target       text NOT NULL,
      started_at   timestamptz NOT NULL DEFAULT now(),
      finished_at  timestamptz,
      status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
      figures      jsonb NOT NULL DEFAULT '{}'::jsonb,
      error        text
    );
    COMMENT ON TABLE meta.runs IS 'One row per extract or load run, with its figures.';

    CREATE TABLE meta.consumer_offsets (
      pipeline     text NOT NULL,
      topic        text NOT NULL,
      partition    integer NOT NULL,
      next_offset  bigint NOT NULL,
      run_id       bigint REFERENCES meta.runs (run_id),
      updated_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (pipeline, topic, partition)
    );
    COMMENT ON TABLE meta.consumer_offsets IS 'Next offset to load per pipeline and partition; committed in the same transaction as the rows it covers.';

    CREATE TABLE meta.rejected_records (
      rejected_id  bigserial PRIMARY KEY,
      pipeline     text NOT NULL,
      topic        text NOT NULL,
      partition    integer NOT NULL,
      "offset"     bigint NOT NULL,
      record_key   text,
      error_code   text NOT NULL,
      reason       text NOT NULL,
      payload      bytea,
      run_id       bigint REFERENCES meta.runs (run_id),
      rejected_at  timestamptz NOT NULL DEFAULT now(),
      UNIQUE (pipeline, topic, partition, "offset")
    );
    COMMENT ON TABLE meta.rejected_records IS 'Records a pipeline could not load, with the reason and where they came from.';

    CREATE TABLE meta.schema_versions_seen (
      pipeline     text NOT NULL,
      schema_name  text NOT NULL,
      version      integer NOT NULL,
      fingerprint  text NOT NULL,
      first_seen   timestamptz NOT NULL DEFAULT now(),
      last_seen    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (pipeline, fingerprint)
    );
    COMMENT ON TABLE meta.schema_versions_seen IS 'Writer schemas each pipeline has decoded.';
  `);
}
