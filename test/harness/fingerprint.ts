/**
 * The one warehouse fingerprint of the tests: per table, its row count, an md5 of its rows in key
 * order (as JSON, less the columns left out) and its duplicate keys. Two warehouses — or one
 * before and after — are equal when their fingerprints are.
 */
import type pg from 'pg';
import { INDICATOR_COUNTS_KEYS } from '../../warehouse/mart/indicator-views.js';

export interface TableFingerprint {
  readonly rows: number;
  readonly md5: string | null;
  /** Rows minus distinct keys: must be 0. */
  readonly duplicateKeys: number;
}

/** Warehouse tables the pipelines load, with their key columns (for ordering). */
export const LOADED_TABLES: Readonly<Record<string, string>> = {
  'core.citizen': 'personal_id',
  'core.citizen_residence_history': 'personal_id, valid_from',
  'core.business': 'enterprise_code',
  'core.business_status_history': 'enterprise_code, valid_from',
  'core.insurance_participant': 'insurance_code',
  'core.insurance_contribution_period': 'insurance_code, seq',
  'core.land_parcel': 'parcel_id',
  'core.land_ownership': 'parcel_id, seq',
  'core.procedure': 'procedure_code',
  'core.agency': 'agency_code',
  'core.dossier': 'dossier_code',
  'core.dossier_component': 'dossier_code, seq',
  'core.dossier_rating': 'dossier_code',
};

/** The mart's facts and counters, derived by each refresh (incremental or full). */
export const MART_TABLES: Readonly<Record<string, string>> = {
  'mart.component_fact': 'dossier_code, seq',
  'mart.dossier_fact': 'dossier_code',
  'mart.indicator_counts': INDICATOR_COUNTS_KEYS.join(', '),
};

/** Lineage: which run, topic, partition and offset loaded a row, and when — what two correct loads may differ in. */
export const LINEAGE_COLUMNS = ['run_id', 'loaded_at', 'src_topic', 'src_partition', 'src_offset'] as const;

/**
 * What differs between two correct loads of the same messages into two deployments: the run, the
 * load time, and the topic (whose name carries the deployment's prefix). Partitions and offsets stay in.
 */
export const RUN_COLUMNS = ['run_id', 'loaded_at', 'src_topic'] as const;

export async function tableFingerprint(db: pg.ClientBase, table: string, key: string, without: readonly string[] = []): Promise<TableFingerprint> {
  const drop = without.map((c) => ` - '${c}'`).join('');
  const result = await db.query<TableFingerprint>(
    `SELECT count(*)::int AS rows, md5(string_agg((to_jsonb(t)${drop})::text, E'\\n' ORDER BY ${key})) AS md5,
            (count(*) - count(DISTINCT (${key})))::int AS "duplicateKeys"
       FROM ${table} t`,
  );
  return result.rows[0] ?? { rows: 0, md5: null, duplicateKeys: 0 };
}

/** The fingerprint of every table of `tables` (default: those the pipelines load; any database's tables will do, the simulator's store too). */
export async function warehouseFingerprint(
  db: pg.ClientBase,
  options: { readonly without?: readonly string[]; readonly tables?: Readonly<Record<string, string>> } = {},
): Promise<Record<string, TableFingerprint>> {
  const fingerprints: Record<string, TableFingerprint> = {};
  for (const [table, key] of Object.entries(options.tables ?? LOADED_TABLES)) fingerprints[table] = await tableFingerprint(db, table, key, options.without);
  return fingerprints;
}
