import type { Knex } from 'knex';

/**
 * `meta.dlq_outbox`: dead letters written in the same transaction as the reject and the offset,
 * sent to `<topic>.dlq` after the commit and then deleted (src/sink/dlq-outbox.ts). What it holds
 * at any time is what a crash left unsent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE meta.dlq_outbox (
      outbox_id      bigserial PRIMARY KEY,
      topic          text NOT NULL,
      message_key    bytea,
      message_value  bytea,
      headers        jsonb NOT NULL,
      created_at     timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE meta.dlq_outbox IS 'Dead letters committed with their batch and not yet sent to the DLQ topic (transactional outbox).';
  `);
}
