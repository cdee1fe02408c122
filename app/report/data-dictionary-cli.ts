/**
 * `npm run docs:dictionary`: migrates the warehouse (DATABASE_URL; creates it if missing) so the
 * mart exists, then writes docs/data-dictionary.md from the comments on the mart's objects.
 */
import { writeFile } from 'node:fs/promises';
import { loadSettings } from '../../src/config/settings.js';
import { connect } from '../../src/db/postgres.js';
import { createLogger } from '../../src/logger.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { dictionaryMarkdown, readMartDictionary } from './data-dictionary.js';

const out = process.argv[2] ?? 'docs/data-dictionary.md';
const settings = loadSettings();
await migrateLatest(settings.DATABASE_URL, createLogger({ level: settings.LOG_LEVEL }));
const db = await connect(settings.DATABASE_URL);
try {
  const entries = await readMartDictionary(db);
  await writeFile(out, dictionaryMarkdown(entries), 'utf8');
  process.stdout.write(`${out}: ${entries.length} mart objects, ${entries.reduce((n, e) => n + e.columns.length, 0)} columns\n`);
} finally {
  await db.end();
}
