import type pg from 'pg';
import { connect } from '../../src/db/postgres.js';
import { copyOnestop, ONESTOP_TABLES, type OnestopTable } from '../../simulator/store/onestop-store.js';
import { buildLoadIndexes, dropLoadIndexes, openSimStore, stampWorld } from '../../simulator/store/sim-store.js';
import type { World } from '../../simulator/world/index.js';

/** The one-stop tables both stacks move, as `onestop.<table>` → its key columns. */
export const MOVED_TABLES: readonly OnestopTable[] = ONESTOP_TABLES;

/**
 * Loads only the one-stop system's tables of `world` into the simulator store at `url` (the
 * national sources' tables stay empty: neither stack reads them). The same COPY path as
 * `ensureWorldLoaded`, indexes dropped before and built after.
 */
export async function loadOnestopRows(url: string, world: World): Promise<Record<string, number>> {
  const client = await openSimStore(url);
  const helpers = [await connect(url), await connect(url)];
  try {
    await dropLoadIndexes(client);
    const counts = await copyOnestop([client, helpers[0] as pg.Client, helpers[1] as pg.Client], world);
    await buildLoadIndexes([client, ...helpers]);
    await client.query('ANALYZE');
    await stampWorld(client, world.options);
    return counts;
  } finally {
    await Promise.all([client, ...helpers].map((c) => c.end().catch(() => undefined)));
  }
}

/** Rows of one table and a digest of its keys in key order: equal digests = the same set of keys. */
export interface TableFingerprint {
  readonly rows: number;
  readonly keyDigest: string;
}

/**
 * Counts and key digests of the moved tables at `url`, where table `onestop.x` is named by
 * `nameOf` (the peer's sink may name its tables otherwise). Keys are cast to text and sorted
 * bytewise, so a target whose sink chose other column types (int4 vs int8) or another server's
 * collation still compares.
 */
export async function fingerprint(url: string, nameOf: (table: OnestopTable) => string = (t) => t.name): Promise<Record<string, TableFingerprint>> {
  const client = await connect(url);
  try {
    const result: Record<string, TableFingerprint> = {};
    for (const table of MOVED_TABLES) {
      const key = table.key.map((c) => `${c}::text`).join(` || '|' || `);
      const { rows } = await client.query<{ n: string; digest: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(k, ',' ORDER BY k COLLATE "C")) AS digest FROM (SELECT ${key} AS k FROM ${nameOf(table)}) t`,
      );
      result[table.name] = { rows: Number(rows[0]?.n ?? 0), keyDigest: rows[0]?.digest ?? '' };
    }
    return result;
  } finally {
    await client.end();
  }
}
