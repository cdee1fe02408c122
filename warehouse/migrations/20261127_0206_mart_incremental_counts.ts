import type { Knex } from 'knex';
import { rebuildMart } from '../mart/rebuild.js';

/**
 * mart.indicator_counts becomes a table kept up to date by the refresh (windows whose bounds moved
 * recounted, the others adjusted by the dossiers rebuilt) instead of a materialised view counted
 * whole every night. Keeps the reporting period; the next refresh builds everything.
 */
export async function up(knex: Knex): Promise<void> {
  await rebuildMart(knex);
}
