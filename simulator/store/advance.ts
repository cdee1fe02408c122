import type pg from 'pg';
import { LgspError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { addDays, createWorld, endOfDay, type DossierWithComponents, type World } from '../world/index.js';
import { NATIONAL_TABLES, nationalRecords } from './national-records.js';
import { AGENCY_TABLE, agencyRows, COMPONENT_TABLE, DOSSIER_TABLE, dossierTableRows, PROCEDURE_TABLE, procedureRows, RATING_TABLE, type OnestopTable } from './onestop-store.js';
import { LOAD_LOCK, loadedWorld, NATIONAL_SOURCES, RECORD_COLUMNS, recordRows, stampWorld, type StoredRecord, type WorldStamp } from './sim-store.js';
import { applySchemaChanges, type SchemaChange } from './schema-changes.js';
import { upsertRows, type UpsertCounts } from './upsert-rows.js';

export interface AdvanceResult {
  readonly from: WorldStamp;
  readonly to: WorldStamp;
  /** First instant after the old asOf (local midnight, UTC ISO): `updated_since` for what changed. */
  readonly changedSince: string;
  /** What changed, per table. */
  readonly counts: Readonly<Record<string, UpsertCounts>>;
  /** Fields the sources added to their records on a day in between (e.g. the population DB's vneidLevel). */
  readonly schemaChanges: readonly SchemaChange[];
}

/**
 * Moves the stored world on by `days`: generates the world at asOf + days and writes every record
 * updated after the old asOf — new records inserted, changed ones (moves, deaths, corrections,
 * dissolutions, dossier progress) updated, cancelled ones with deleted_at set — then the new
 * stamp, all in one transaction. Because every change in the world is dated and a later asOf is
 * a superset, the result equals loading the world at asOf + days directly (tested).
 *
 * Holds the loaders' advisory lock for the duration, so it cannot interleave with a load.
 */
export async function advanceWorld(client: pg.Client, days: number, logger?: Logger): Promise<AdvanceResult> {
  if (!Number.isInteger(days) || days < 1) {
    throw new LgspError('INVALID_ARGUMENT', `days must be a whole number ≥ 1 (got ${days})`, { hint: 'e.g. lgsp mock advance --days 1' });
  }
  const started = Date.now();
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOAD_LOCK]);
    const from = await loadedWorld(client);
    if (from === null) {
      throw new LgspError('SIM_WORLD_NOT_LOADED', 'no simulated world is loaded, so there is nothing to advance', {
        hint: 'load one with `lgsp mock serve` (it generates the world into LGSP_SIM_DATABASE_URL), then try again',
      });
    }
    const to: WorldStamp = { ...from, asOf: addDays(from.asOf, days) };
    const world = createWorld(to);
    const after = endOfDay(from.asOf);
    const counts = await writeChanges(client, world, from.asOf, after);
    const schemaChanges = await applySchemaChanges(client, from, to);
    await stampWorld(client, to);
    await client.query('COMMIT');
    logger?.info({ from: from.asOf, to: to.asOf, counts, schemaChanges, seconds: (Date.now() - started) / 1000 }, 'simulated world advanced');
    return { from, to, changedSince: new Date(Date.parse(after) + 1).toISOString(), counts, schemaChanges };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function writeChanges(client: pg.ClientBase, world: World, oldAsOf: string, after: string): Promise<Record<string, UpsertCounts>> {
  const counts: Record<string, UpsertCounts> = {};
  const records = nationalRecords(world);
  for (const source of NATIONAL_SOURCES) {
    const changed = filter(records[source](), (r: StoredRecord) => r.updatedAt > after);
    counts[NATIONAL_TABLES[source]] = await upsertRows(client, `${source}.records`, RECORD_COLUMNS, ['entity', 'id'], recordRows(changed));
  }
  const upsert = (table: OnestopTable, rows: Iterable<readonly (string | number | boolean | null)[]>): Promise<UpsertCounts> =>
    upsertRows(client, table.name, table.columns, table.key, rows);
  const isNew = (row: readonly unknown[]): boolean => String(row[row.length - 1]) > after;
  counts[PROCEDURE_TABLE.name] = await upsert(PROCEDURE_TABLE, procedureRows(world.procedures()).filter(isNew));
  counts[AGENCY_TABLE.name] = await upsert(AGENCY_TABLE, agencyRows(world.agencies(), world.options.asOf).filter(isNew));
  // Only dossiers still open near the old asOf can have changed; each table takes its own pass.
  const changedDossiers = (): Iterable<DossierWithComponents> => filter(world.dossiersChangingAfter(oldAsOf), (d) => d.dossier.updatedAt > after);
  for (const [i, table] of [DOSSIER_TABLE, COMPONENT_TABLE, RATING_TABLE].entries()) {
    counts[table.name] = await upsert(table, flatMap(changedDossiers(), (d) => dossierTableRows(d)[i] ?? []));
  }
  return counts;
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

function* flatMap<T, U>(items: Iterable<T>, map: (item: T) => Iterable<U>): Generator<U> {
  for (const item of items) yield* map(item);
}
