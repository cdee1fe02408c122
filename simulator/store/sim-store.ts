import type pg from 'pg';
import { connect, ensureDatabase } from '../../src/db/postgres.js';
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
}

export async function openSimStore(url: string): Promise<pg.Client> {
  await ensureDatabase(url);
  const client = await connect(url, 'the simulator store (PostgreSQL)');
  await createSchema(client);
  return client;
}

async function createSchema(client: pg.Client): Promise<void> {
  // Several test processes may open the same store at once; serialise the DDL.
  await client.query('SELECT pg_advisory_lock(84001)');
  try {
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS sim;
      CREATE TABLE IF NOT EXISTS sim.world (
        singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        seed        integer NOT NULL,
        scale       double precision NOT NULL,
        as_of       date NOT NULL,
        loaded_at   timestamptz NOT NULL DEFAULT now()
      );`);
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
        CREATE INDEX IF NOT EXISTS records_cursor ON ${source}.records (entity, updated_at, id);`);
    }
    await createOnestopSchema(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock(84001)');
  }
}

/** The world currently loaded in the store, if any. */
export async function loadedWorld(client: pg.Client): Promise<WorldStamp | null> {
  const result = await client.query<{ seed: number; scale: number; as_of: string }>(
    `SELECT seed, scale, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM sim.world`,
  );
  const row = result.rows[0];
  return row === undefined ? null : { seed: row.seed, scale: row.scale, asOf: row.as_of };
}

/** Empties every source table (before loading another world). */
export async function clearStore(client: pg.Client): Promise<void> {
  for (const source of NATIONAL_SOURCES) await client.query(`TRUNCATE ${source}.records`);
  await truncateOnestop(client);
  await client.query('DELETE FROM sim.world');
}

export async function stampWorld(client: pg.Client, stamp: WorldStamp): Promise<void> {
  await client.query(
    `INSERT INTO sim.world (seed, scale, as_of) VALUES ($1, $2, $3)
     ON CONFLICT (singleton) DO UPDATE SET seed = EXCLUDED.seed, scale = EXCLUDED.scale, as_of = EXCLUDED.as_of, loaded_at = now()`,
    [stamp.seed, stamp.scale, stamp.asOf],
  );
}

/** Streams records into a source's table with COPY; returns how many were written. */
export async function copyRecords(client: pg.ClientBase, source: NationalSource, records: Iterable<StoredRecord>): Promise<number> {
  const rows = function* (): Generator<readonly (string | null)[]> {
    for (const r of records) yield [r.entity, r.id, r.updatedAt, r.deletedAt, JSON.stringify(r.body)];
  };
  return copyRows(client, `${source}.records`, ['entity', 'id', 'updated_at', 'deleted_at', 'body'], rows());
}
