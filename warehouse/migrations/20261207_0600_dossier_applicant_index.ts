import type { Knex } from 'knex';

/**
 * A night's mart refresh rebuilds the facts of the dossiers that what the loads changed reaches —
 * among them every dossier of a changed applicant, and each fact looks up the applicant's earlier
 * results. Without an index on the applicant both were whole scans of core.dossier: at scale 1.0
 * (972,843 dossiers) ~0.3 s each per night for ~8,600 dossiers rebuilt, and the planner, expecting
 * that many rows, scanned the other big tables too. Delta night at 1.0, its mart refresh: 16.1 s
 * without the index, 9.5 and 9.8 s with it (nights one after another, one day of changes each).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX IF NOT EXISTS dossier_applicant ON core.dossier (applicant_kind, applicant_id)`);
}
