import type pg from 'pg';
import { GENERATOR_VERSION } from '../world/version.js';
import { connect, ensureDatabase, type DatabaseTarget } from '../../src/db/postgres.js';
import { redactUrl } from '../../src/config/secrets.js';
import { LgspError } from '../../src/errors.js';
import { copyRows } from './copy-rows.js';
import { createOnestopSchema, truncateOnestop } from './onestop-store.js';

/**
 * The simulated source systems keep their data in their own PostgreSQL database (not the
 * warehouse), as the real national databases do: one schema per source system, one generic
 * `records` table per schema holding each entity's current JSON body. Serving scale 1.0 then
 * needs no world in memory.
 */
export const NATIONAL_SOURCES = ['population', 'business', 'insurance', 'land'] as const;
export type NationalSource = (typeof NATIONAL_SOURCES)[number];

/** Advisory lock serialising loads and advances of one store (between processes). */
export const LOAD_LOCK = 84002;

/** One record as a source system stores it. */
export interface StoredRecord {
  readonly entity: string;
  readonly id: string;
  readonly updatedAt: string;
  readonly deletedAt: string | null;
  readonly body: unknown;
}

export interface WorldStamp {
  readonly seed: number;
  readonly scale: number;
  readonly asOf: string;
  /** The world option of that name: when the population DB starts recording e-identification; null = never. */
  readonly vneidFrom: string | null;
}

/** The simulator's store (LGSP_SIM_DATABASE_URL), named in its connection errors. */
export const SIM_STORE: DatabaseTarget = {
  what: 'the simulator store (PostgreSQL)',
  setting: 'LGSP_SIM_DATABASE_URL',
  missingHint: 'load a world with `lgsp mock serve`: it creates the store',
};

export async function openSimStore(url: string): Promise<pg.Client> {
  await ensureDatabase(url, SIM_STORE);
  const client = await connect(url, SIM_STORE);
  await createSchema(client);
  return client;
}

async function createSchema(client: pg.Client): Promise<void> {
  // Several test processes may open the same store at once; serialise the DDL.
  await client.query('SELECT pg_advisory_lock(84001)');
  try {
    // The store plays the national systems: analysts (lgsp_analyst) and any other role of the server
    // have no business here. PostgreSQL lets PUBLIC connect to a new database; the store's owner,
    // and the role creating it (which the simulator and the one-stop connector use), keep CONNECT.
    await client.query(`DO $$
      BEGIN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), current_user);
      END $$`);
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS sim;
      CREATE TABLE IF NOT EXISTS sim.world (
        singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seed        integer NOT NULL,
        scale       double precision NOT NULL,
        as_of       date NOT NULL,
        loaded_at   timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE sim.world ADD COLUMN IF NOT EXISTS generator integer NOT NULL DEFAULT 0;
      ALTER TABLE sim.world ADD COLUMN IF NOT EXISTS vneid_from date;
      -- Bumped by every statement that writes a source's records (a trigger, so writes from tests and
      -- psql count too): the mock adapters keep page cursors only while it stays the same.
      CREATE TABLE IF NOT EXISTS sim.records_version (
        source  text PRIMARY KEY,
        n       bigint NOT NULL
      );
      CREATE OR REPLACE FUNCTION sim.bump_records_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO sim.records_version AS v (source, n) VALUES (TG_TABLE_SCHEMA, 1)
        ON CONFLICT (source) DO UPDATE SET n = v.n + 1;
        RETURN NULL;
      END $$;`);
    for (const source of NATIONAL_SOURCES) {
      await client.query(`
        CREATE SCHEMA IF NOT EXISTS ${source};
        CREATE TABLE IF NOT EXISTS ${source}.records (
          entity      text NOT NULL,
          id          text NOT NULL,
          updated_at  timestamptz NOT NULL,
          deleted_at  timestamptz,
          body        jsonb NOT NULL,
          PRIMARY KEY (entity, id)
        );
        CREATE INDEX IF NOT EXISTS records_cursor ON ${source}.records (entity, updated_at, id);
        CREATE OR REPLACE TRIGGER records_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${source}.records
          FOR EACH STATEMENT EXECUTE FUNCTION sim.bump_records_version();`);
    }
    await createOnestopSchema(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock(84001)');
  }
}

/** The world currently loaded in the store, if any. */
export async function loadedWorld(client: pg.ClientBase): Promise<WorldStamp | null> {
  const result = await client.query<{ seed: number; scale: number; as_of: string; generator: number; vneid_from: string | null }>(
    `SELECT seed, scale, to_char(as_of, 'YYYY-MM-DD') AS as_of, generator, to_char(vneid_from, 'YYYY-MM-DD') AS vneid_from FROM sim.world`,
  );
  const row = result.rows[0];
  // A world from another generator version is not the world these options would generate now.
  if (row === undefined || row.generator !== GENERATOR_VERSION) return null;
  return { seed: row.seed, scale: row.scale, asOf: row.as_of, vneidFrom: row.vneid_from };
}

/**
 * Empties every source table (before loading another world). The stamp goes first: a load that
 * stops half-way leaves "no world loaded", so the next start loads again.
 */
export async function clearStore(client: pg.ClientBase): Promise<void> {
  await client.query('DELETE FROM sim.world');
  for (const source of NATIONAL_SOURCES) await client.query(`TRUNCATE ${source}.records`);
  await truncateOnestop(client);
}

/** Indexes a bulk load drops first and builds after (a sorted build beats millions of inserts): table → [index, definition]. */
const LOAD_INDEXES: readonly (readonly [table: string, primaryKey: string, cursor: readonly [name: string, columns: string] | null])[] = [
  ...NATIONAL_SOURCES.map((s) => [`${s}.records`, 'entity, id', [`${s}.records_cursor`, 'entity, updated_at, id']] as const),
  ['onestop.dossier', 'dossier_code', ['onestop.dossier_cursor', 'updated_at, dossier_code']],
  ['onestop.dossier_component', 'dossier_code, seq', ['onestop.dossier_component_cursor', 'updated_at, dossier_code, seq']],
  ['onestop.rating', 'dossier_code', ['onestop.rating_cursor', 'updated_at, dossier_code']],
];

/**
 * Drops the primary keys and cursor indexes of the big tables before a bulk load (call on empty
 * tables, with the stamp cleared: until {@link buildLoadIndexes} the store counts as not loaded).
 */
export async function dropLoadIndexes(client: pg.ClientBase): Promise<void> {
  for (const [table, , cursor] of LOAD_INDEXES) {
    await client.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table.split('.')[1] ?? table}_pkey`);
    if (cursor !== null) await client.query(`DROP INDEX IF EXISTS ${cursor[0]}`);
  }
}

/** Builds what {@link dropLoadIndexes} dropped; one table per given connection at a time. */
export async function buildLoadIndexes(clients: readonly pg.ClientBase[]): Promise<void> {
  const queue = [...LOAD_INDEXES];
  await Promise.all(
    clients.map(async (client) => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [table, primaryKey, cursor] = next;
        await client.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${primaryKey})`);
        if (cursor !== null) await client.query(`CREATE INDEX IF NOT EXISTS ${cursor[0].split('.')[1] ?? cursor[0]} ON ${table} (${cursor[1]})`);
      }
    }),
  );
}

/** The loaded world's stamp, or a clear error saying how to load one. */
export async function requireLoadedWorld(client: pg.Client, url: string): Promise<WorldStamp> {
  const stamp = await loadedWorld(client);
  if (stamp === null) {
    throw new LgspError('SIM_WORLD_NOT_LOADED', `no simulated world is loaded in ${new URL(url).pathname.slice(1) || redactUrl(url)}`, {
      hint: 'load one with `lgsp mock serve` (it generates the world into LGSP_SIM_DATABASE_URL), then try again',
    });
  }
  return stamp;
}

/** Rows per stored table (national records by entity, with how many are deleted). */
export async function storeCounts(client: pg.ClientBase | pg.Pool): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const source of NATIONAL_SOURCES) {
    const result = await client.query<{ entity: string; n: string; deleted: string }>(
      `SELECT entity, count(*) AS n, count(deleted_at) AS deleted FROM ${source}.records GROUP BY entity ORDER BY entity`,
    );
    for (const row of result.rows) {
      counts[`${source}.${row.entity}`] = Number(row.n);
      if (Number(row.deleted) > 0) counts[`${source}.${row.entity} (deleted)`] = Number(row.deleted);
    }
  }
  for (const table of ['procedure', 'agency', 'dossier', 'dossier_component', 'rating']) {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM onestop.${table}`);
    counts[`onestop.${table}`] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

export async function stampWorld(client: pg.ClientBase, stamp: WorldStamp): Promise<void> {
  await client.query(
    `INSERT INTO sim.world (seed, scale, as_of, generator, vneid_from) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (singleton) DO UPDATE SET seed = EXCLUDED.seed, scale = EXCLUDED.scale, as_of = EXCLUDED.as_of, generator = EXCLUDED.generator,
       vneid_from = EXCLUDED.vneid_from, loaded_at = now()`,
    [stamp.seed, stamp.scale, stamp.asOf, GENERATOR_VERSION, stamp.vneidFrom],
  );
}

/** Streams records into a source's table with COPY; returns how many were written. */
export async function copyRecords(client: pg.ClientBase, source: NationalSource, records: Iterable<StoredRecord>): Promise<number> {
  return copyRows(client, `${source}.records`, RECORD_COLUMNS, recordRows(records));
}

export const RECORD_COLUMNS = ['entity', 'id', 'updated_at', 'deleted_at', 'body'] as const;

export function* recordRows(records: Iterable<StoredRecord>): Generator<readonly (string | null)[]> {
  for (const r of records) yield [r.entity, r.id, r.updatedAt, r.deletedAt, JSON.stringify(r.body)];
}
