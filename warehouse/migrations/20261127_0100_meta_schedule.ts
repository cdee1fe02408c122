import type { Knex } from 'knex';

/**
 * `meta.schedule_ticks`: one row per scheduled night that was run (by whichever scheduler took it),
 * so two schedulers on two hosts never run the same night twice, and a restarted scheduler knows
 * which nights it missed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE meta.schedule_ticks (
      schedule     text NOT NULL,
      tick_at      timestamptz NOT NULL,
      host         text NOT NULL,
      pid          integer NOT NULL,
      run_id       bigint REFERENCES meta.runs (run_id),
      status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
      started_at   timestamptz NOT NULL DEFAULT now(),
      finished_at  timestamptz,
      catch_up     boolean NOT NULL DEFAULT false,
      PRIMARY KEY (schedule, tick_at)
    );
    COMMENT ON TABLE meta.schedule_ticks IS 'Scheduled nights taken by a scheduler (one row per night, whichever host ran it).';
  `);
}
