import type { Knex } from 'knex';
import { martSqlFile, runMartSql } from '../mart/sql-file.js';

/** The analysts' role: read the mart, nothing else (warehouse/mart/access.sql). */
export async function up(knex: Knex): Promise<void> {
  await runMartSql(knex, await martSqlFile('access.sql'));
}
