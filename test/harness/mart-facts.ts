/**
 * Whether the mart's fact tables and counters, as the refreshes left them, equal a build from
 * scratch of the same warehouse: the full build runs inside a transaction that is rolled back, and each table is
 * compared both ways (rows one side lacks, duplicates included).
 */
import type pg from 'pg';
import { componentFactInsert, dossierFactInsert } from '../../warehouse/mart/fact-queries.js';
import { INDICATOR_COUNTS_COLUMNS, countsSelect } from '../../warehouse/mart/indicator-views.js';

export interface FactDifferences {
  readonly component_fact: { readonly missing: number; readonly extra: number };
  readonly dossier_fact: { readonly missing: number; readonly extra: number };
  readonly indicator_counts: { readonly missing: number; readonly extra: number };
}

export const NO_DIFFERENCES: FactDifferences = {
  component_fact: { missing: 0, extra: 0 },
  dossier_fact: { missing: 0, extra: 0 },
  indicator_counts: { missing: 0, extra: 0 },
};

export async function factsAgainstFullBuild(db: pg.ClientBase): Promise<FactDifferences> {
  await db.query('BEGIN');
  try {
    await db.query('CREATE TEMP TABLE kept_component_fact ON COMMIT DROP AS TABLE mart.component_fact');
    await db.query('CREATE TEMP TABLE kept_dossier_fact ON COMMIT DROP AS TABLE mart.dossier_fact');
    await db.query('CREATE TEMP TABLE kept_indicator_counts ON COMMIT DROP AS TABLE mart.indicator_counts');
    await db.query('TRUNCATE mart.component_fact, mart.dossier_fact, mart.indicator_counts');
    await db.query(componentFactInsert('all'));
    await db.query(dossierFactInsert('all'));
    await db.query(`INSERT INTO mart.indicator_counts (${INDICATOR_COUNTS_COLUMNS.join(', ')}) ${countsSelect([{ facts: 'mart.dossier_fact', windows: 'mart.reporting_window' }])}`);
    const diff = async (table: string): Promise<{ missing: number; extra: number }> => {
      // EXCEPT ALL: a row kept twice, or built twice, counts too.
      const r = await db.query<{ missing: number; extra: number }>(
        `SELECT (SELECT count(*) FROM (TABLE mart.${table} EXCEPT ALL TABLE kept_${table}) x)::int AS missing,
                (SELECT count(*) FROM (TABLE kept_${table} EXCEPT ALL TABLE mart.${table}) x)::int AS extra`,
      );
      return r.rows[0] ?? { missing: -1, extra: -1 };
    };
    return { component_fact: await diff('component_fact'), dossier_fact: await diff('dossier_fact'), indicator_counts: await diff('indicator_counts') };
  } finally {
    await db.query('ROLLBACK');
  }
}
