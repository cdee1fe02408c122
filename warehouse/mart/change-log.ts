/**
 * What a mart refresh must rebuild: statement triggers on every table the facts read write the
 * keys a load touched into `mart_build.pending`; the refresh (refresh.ts) takes them,
 * turns them into the dossiers whose facts depend on them, and rebuilds those alone.
 *
 * Triggers rather than `loaded_at > last refresh`: a load that commits while the refresh runs is
 * invisible to the refresh's snapshot, and so are its pending rows — they wait for the next
 * refresh instead of being skipped, and child rows deleted by a load are recorded too.
 */

/** Kinds of pending rows; key1/key2 per kind. */
const KINDS = {
  all: 'rebuild every fact (reference data or the reporting period changed)',
  dossier: 'key1 = dossier_code',
  applicant: 'key1 = applicant kind (citizen | business), key2 = its identifier: every dossier of the applicant',
  citizen: 'key1 = personal_id: the citizen as applicant and the businesses they represent',
  parcel: 'key1 = parcel_id: the holders of the parcel',
  insurance: 'key1 = insurance_code: the participant',
  procedure: 'key1 = procedure_code: every dossier of the procedure',
} as const;

type Kind = keyof typeof KINDS;

/** Per table, the pending rows a written row `r` stands for: [kind, key1 expression, key2 expression]. */
const LOGGED: readonly (readonly [table: string, keys: readonly (readonly [Kind, string, string])[]])[] = [
  // A dossier's own facts, and (earlier results) those of its applicant's other dossiers.
  ['core.dossier', [['dossier', 'r.dossier_code', 'NULL'], ['applicant', 'r.applicant_kind', 'r.applicant_id']]],
  ['core.dossier_component', [['dossier', 'r.dossier_code', 'NULL']]],
  ['core.dossier_rating', [['dossier', 'r.dossier_code', 'NULL']]],
  ['core.citizen', [['citizen', 'r.personal_id::text', 'NULL']]],
  ['core.business', [['applicant', `'business'`, 'r.enterprise_code']]],
  ['core.land_ownership', [['applicant', 'r.holder_kind', 'r.holder_id']]],
  ['core.land_parcel', [['parcel', 'r.parcel_id', 'NULL']]],
  ['core.insurance_participant', [['citizen', 'r.personal_id::text', 'NULL']]],
  ['core.insurance_contribution_period', [['insurance', 'r.insurance_code::text', 'NULL']]],
  ['core.procedure', [['procedure', 'r.procedure_code', 'NULL']]],
  ['core.admin_unit', [['all', 'NULL', 'NULL']]],
  ['core.admin_unit_mapping', [['all', 'NULL', 'NULL']]],
  ['mart.reporting_period', [['all', 'NULL', 'NULL']]],
];

const functionName = (table: string): string => `mart_build.log_${table.replace('.', '_')}`;

const selectKeys = (keys: readonly (readonly [Kind, string, string])[], rows: string): string =>
  keys.map(([kind, key1, key2]) => `SELECT '${kind}', ${key1}, ${key2} FROM ${rows} r`).join(' UNION ');

/**
 * While an `all` row waits, the next refresh rebuilds every fact and reads no key, so a statement
 * records one more `all` instead of its keys: a first load of the province (scale 1.0) wrote 8.5 M
 * keys nobody read, deleted and vacuumed them again. One more `all`, not nothing: a refresh running
 * meanwhile may take the `all` seen here without seeing this statement's rows (its snapshot is
 * older), and this row makes the refresh after it rebuild them. The check is one probe of the
 * partial index pending_all.
 */
function logFunction(table: string, keys: readonly (readonly [Kind, string, string])[]): string {
  return `
CREATE OR REPLACE FUNCTION ${functionName(table)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM mart_build.pending WHERE kind = 'all') THEN
    INSERT INTO mart_build.pending (kind) VALUES ('all');
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO mart_build.pending (kind, key1, key2) ${selectKeys(keys, 'new_rows')};
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO mart_build.pending (kind, key1, key2) ${selectKeys(keys, 'old_rows')};
  END IF;
  RETURN NULL;
END
$$;`;
}

function logTable(table: string, keys: readonly (readonly [Kind, string, string])[]): string {
  const fn = functionName(table);
  const name = table.split('.')[1] ?? table;
  return `${logFunction(table, keys)}
CREATE TRIGGER ${name}_mart_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${name}_mart_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${name}_mart_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();
CREATE TRIGGER ${name}_mart_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION mart_build.log_truncate();`;
}

/** The triggers' question "is a full rebuild pending?" in one index probe, however many keys wait. */
const PENDING_ALL_INDEX_SQL = `CREATE INDEX IF NOT EXISTS pending_all ON mart_build.pending (kind) WHERE kind = 'all';`;

/** For a warehouse whose change log predates the `all` shortcut: the index and the functions, triggers kept. */
export const CHANGE_LOG_FUNCTIONS_SQL = `${PENDING_ALL_INDEX_SQL}
${LOGGED.map(([table, keys]) => logFunction(table, keys)).join('\n')}
`;

/**
 * `mart_build`: the pending changes and the triggers that record them. Recreated whole (with one
 * `all` row, so the next refresh builds every fact) whenever the mart is rebuilt.
 */
export const CHANGE_LOG_SQL = `
DROP SCHEMA IF EXISTS mart_build CASCADE;
CREATE SCHEMA mart_build;
COMMENT ON SCHEMA mart_build IS 'Bookkeeping of the mart refresh (not for analysts): which facts changed since the last refresh.';
CREATE TABLE mart_build.pending (
  kind  text NOT NULL CONSTRAINT pending_kind_check CHECK (kind IN (${Object.keys(KINDS).map((k) => `'${k}'`).join(', ')})),
  key1  text,
  key2  text
);
COMMENT ON TABLE mart_build.pending IS 'Keys written by loads since the last mart refresh, recorded by statement triggers on the tables the facts read; the refresh takes them in its transaction. Kinds: ${Object.entries(KINDS).map(([k, v]) => `${k} (${v})`).join('; ')}.';
${PENDING_ALL_INDEX_SQL}
INSERT INTO mart_build.pending (kind) VALUES ('all');
CREATE FUNCTION mart_build.log_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO mart_build.pending (kind) VALUES ('all');
  RETURN NULL;
END
$$;
${LOGGED.map(([table, keys]) => logTable(table, keys)).join('\n')}
`;
