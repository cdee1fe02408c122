import type { Knex } from 'knex';

/**
 * `core.citizen`: one row per personal ID, current state. Deletes in the source are kept as soft
 * deletes; every row carries its lineage (run and Kafka coordinates of the message that set it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE core.citizen (
      personal_id             char(12) PRIMARY KEY,
      full_name               text NOT NULL,
      birth_date              date NOT NULL,
      sex                     char(1) NOT NULL CHECK (sex IN ('M', 'F')),
      household_id            text NOT NULL,
      residence_commune_code  char(5) NOT NULL,
      death_date              date,
      source_updated_at       timestamptz NOT NULL,
      deleted_at              timestamptz,
      run_id                  bigint,
      src_topic               text NOT NULL,
      src_partition           integer NOT NULL,
      src_offset              bigint NOT NULL,
      loaded_at               timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE core.citizen IS 'Citizens from the national population database, current state; deleted_at marks deletions in the source.';
  `);
}
