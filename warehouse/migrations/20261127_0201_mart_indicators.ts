import type { Knex } from 'knex';
import { runMartSql } from '../mart/sql-file.js';
import { INDICATOR_BY_UNIT_SQL, INDICATOR_COUNTS_SQL, INDICATOR_SQL, MISSED_REUSE_SQL, STAFF_PRODUCTIVITY_SQL } from '../mart/indicator-views.js';

/** The indicators: counters by window × level × agency × procedure × unit, and the views over them. */
export async function up(knex: Knex): Promise<void> {
  for (const sql of [INDICATOR_COUNTS_SQL, INDICATOR_SQL, INDICATOR_BY_UNIT_SQL, MISSED_REUSE_SQL, STAFF_PRODUCTIVITY_SQL]) await runMartSql(knex, sql);
}
