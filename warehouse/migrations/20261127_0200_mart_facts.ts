import type { Knex } from 'knex';
import { martSqlFile, runMartSql } from '../mart/sql-file.js';

/** The `mart` schema and its base: reporting period and windows, component and dossier facts. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS mart');
  await knex.raw(`COMMENT ON SCHEMA mart IS 'Indicators of the administrative-reform plan and Decision 766, for analysts (role lgsp_analyst): aggregates and dossier-level facts without personal identifiers. Materialised views are refreshed at the end of each run (warehouse/mart/refresh.ts).'`);
  await runMartSql(knex, await martSqlFile('facts.sql'));
}
