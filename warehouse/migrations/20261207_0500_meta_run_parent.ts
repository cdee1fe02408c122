import type { Knex } from 'knex';

/**
 * A nightly run's loads are runs of their own (`kind = 'load'`, each with its figures and its
 * meta.load_counts); `parent_run_id` ties them to the run that started them, so `lgsp reconcile`
 * can add up one night: what the extracts wrote, what each load did with it, and what is left.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE meta.runs ADD COLUMN parent_run_id bigint REFERENCES meta.runs (run_id);
    CREATE INDEX runs_parent ON meta.runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
    COMMENT ON COLUMN meta.runs.parent_run_id IS 'The nightly run (kind run) that started this load; null for a load run on its own.';
  `);
}
