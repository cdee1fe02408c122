import type { Command } from 'commander';
import { loadSettings } from '../../../src/config/settings.js';
import { redactUrl } from '../../../src/config/secrets.js';
import { createLogger } from '../../../src/logger.js';
import { migrateLatest } from '../../../warehouse/migrator.js';

/** `lgsp migrate`: create the warehouse database if missing and apply pending migrations. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create the warehouse database if missing and apply pending migrations (DATABASE_URL)')
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const applied = await migrateLatest(settings.DATABASE_URL, logger);
      process.stdout.write(
        applied.length === 0
          ? `Warehouse ${redactUrl(settings.DATABASE_URL)} is up to date.\n`
          : `Applied ${applied.length} migration(s) to ${redactUrl(settings.DATABASE_URL)}:\n${applied.map((m) => `  ${m}`).join('\n')}\n`,
      );
    });
}
