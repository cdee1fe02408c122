import type { Knex } from 'knex';
import { CHANGE_LOG_FUNCTIONS_SQL } from '../mart/change-log.js';
import { runMartSql } from '../mart/sql-file.js';

/**
 * While a full rebuild of the facts is pending, the change-log triggers record one `all` row per
 * statement instead of every key written (change-log.ts): a first load of the province no longer
 * writes, deletes and vacuums millions of keys the refresh never reads. Replaces the trigger
 * functions in place; the mart, its facts and the keys already pending are kept.
 */
export async function up(knex: Knex): Promise<void> {
  const exists = await knex.raw<{ rows: { ok: boolean }[] }>(`SELECT to_regclass('mart_build.pending') IS NOT NULL AS ok`);
  if (exists.rows[0]?.ok === true) await runMartSql(knex, CHANGE_LOG_FUNCTIONS_SQL);
}
