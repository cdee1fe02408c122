import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';

/**
 * Runs a block of mart DDL. knex turns every `?` into a positional parameter, even without
 * bindings, so a `?` in the text (a jsonb operator, a question in a COMMENT) is refused up front.
 */
export async function runMartSql(knex: Knex, sql: string): Promise<void> {
  const at = sql.indexOf('?');
  if (at >= 0) throw new Error(`mart SQL must not contain '?' (knex reads it as a binding): …${sql.slice(Math.max(0, at - 60), at + 20)}…`);
  await knex.raw(sql);
}

/** The text of `warehouse/mart/<name>`. */
export async function martSqlFile(name: string): Promise<string> {
  return readFile(new URL(`./${name}`, import.meta.url), 'utf8');
}
