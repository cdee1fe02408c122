import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from '../src/logger.js';
import { ensureDatabase } from '../src/db/postgres.js';

/** The warehouse's migrations: forward-only, one file each, applied in file-name order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/**
 * Loads migrations by dynamic import, so TypeScript migrations run under tsx exactly like the rest
 * of the code (knex's own loader resolves files with `require`, which ESM TypeScript defeats).
 */
class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<string[]> {
    const files = await readdir(this.dir);
    return files.filter((f) => /^\d+.*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.')).sort();
  }

  getMigrationName(migration: string): string {
    return migration.replace(/\.(ts|js)$/, '');
  }

  async getMigration(migration: string): Promise<Knex.Migration> {
    const mod = (await import(pathToFileURL(path.join(this.dir, migration)).href)) as MigrationModule;
    return {
      up: (knex) => mod.up(knex),
      // Forward-only: the warehouse is never migrated down in place; restore from backup instead.
      down: () => Promise.reject(new Error(`migration ${migration} is forward-only`)),
    };
  }
}

export function createKnex(databaseUrl: string): Knex {
  return knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
}

/** Creates the database when missing and applies every pending migration. Returns their names. */
export async function migrateLatest(databaseUrl: string, logger: Logger): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const knex = createKnex(databaseUrl);
  try {
    // knex keeps its bookkeeping in meta; the schema must exist before the first migration runs.
    await knex.raw('CREATE SCHEMA IF NOT EXISTS meta');
    const [, applied] = (await knex.migrate.latest({
      migrationSource: new DirectoryMigrationSource(MIGRATIONS_DIR),
      tableName: 'knex_migrations',
      schemaName: 'meta',
    })) as [number, string[]];
    for (const name of applied) logger.info({ migration: name }, 'migration applied');
    return applied;
  } finally {
    await knex.destroy();
  }
}
