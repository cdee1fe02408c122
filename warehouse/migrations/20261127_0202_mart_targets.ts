import type { Knex } from 'knex';
import { runMartSql } from '../mart/sql-file.js';
import { TARGET_SQL } from '../mart/targets-views.js';

/** The plan's targets (warehouse/mart/targets.ts) and the indicators next to them. */
export async function up(knex: Knex): Promise<void> {
  await runMartSql(knex, TARGET_SQL);
}
