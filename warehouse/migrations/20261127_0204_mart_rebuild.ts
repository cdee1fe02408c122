import type { Knex } from 'knex';
import { rebuildMart } from '../mart/rebuild.js';

/**
 * Rebuilds the mart: mart.dossier_fact joins the receipt-day district and the new unit instead of
 * looking them up per dossier (same rows, a third of the time). Keeps the reporting period.
 */
export async function up(knex: Knex): Promise<void> {
  await rebuildMart(knex);
}
