import type { Knex } from 'knex';
import { up as facts } from '../migrations/20261127_0200_mart_facts.js';
import { up as indicators } from '../migrations/20261127_0201_mart_indicators.js';
import { up as targets } from '../migrations/20261127_0202_mart_targets.js';
import { up as access } from '../migrations/20261127_0203_mart_access.js';
import { CHANGE_LOG_SQL } from './change-log.js';
import { runMartSql } from './sql-file.js';

/**
 * Rebuilds the mart from warehouse/mart/ as it is now. Everything in `mart` is derived and
 * refreshed each run, except the reporting period an analyst may have set, which is kept. The
 * facts are empty afterwards and `mart_build.pending` holds `all`: the next refresh builds them.
 */
export async function rebuildMart(knex: Knex): Promise<void> {
  const period = await knex.raw<{ rows: { as_of: string | null; reorganisation_date: string; note: string | null }[] }>(
    `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, to_char(reorganisation_date, 'YYYY-MM-DD') AS reorganisation_date, note FROM mart.reporting_period`,
  );
  await knex.raw('DROP SCHEMA mart CASCADE');
  await facts(knex);
  await runMartSql(knex, CHANGE_LOG_SQL);
  for (const step of [indicators, targets, access]) await step(knex);
  const kept = period.rows[0];
  if (kept !== undefined) {
    await knex.raw('UPDATE mart.reporting_period SET as_of = ?::date, reorganisation_date = ?::date, note = ?', [kept.as_of, kept.reorganisation_date, kept.note]);
  }
}
