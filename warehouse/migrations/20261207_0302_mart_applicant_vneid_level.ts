import type { Knex } from 'knex';
import { rebuildMart } from '../mart/rebuild.js';

/**
 * mart.dossier_fact gains applicant_vneid_level (core.citizen.vneid_level of the applicant or the
 * business's legal representative), so analysts can ask which applicants could have filed online.
 * Keeps the reporting period; the next refresh builds every fact.
 */
export async function up(knex: Knex): Promise<void> {
  await rebuildMart(knex);
}
