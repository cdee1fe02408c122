import type { Knex } from 'knex';
import { rebuildMart } from '../mart/rebuild.js';

/**
 * The facts become tables kept up to date dossier by dossier: triggers on the tables they read
 * record what loads changed (`mart_build.pending`), and a refresh rebuilds only the dossiers that
 * depend on it (a delta night's refresh no longer grows with the warehouse). Keeps the reporting
 * period; the next refresh builds every fact.
 */
export async function up(knex: Knex): Promise<void> {
  await rebuildMart(knex);
}
