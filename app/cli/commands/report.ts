import type { Command } from 'commander';
import { loadSettings } from '../../../src/config/settings.js';
import { redactUrl } from '../../../src/config/secrets.js';
import { connect } from '../../../src/db/postgres.js';
import { writeReport } from '../../report/write-report.js';

/** `lgsp report`: the indicators against the plan's targets as one self-contained HTML file. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the indicators against the plan targets, and the top missed re-use opportunities, as a self-contained HTML file')
    .option('--out <path>', 'where to write the HTML file', 'lgsp-report.html')
    .option('--no-refresh', 'do not refresh the mart first (read it as the last run left it)')
    .action(async (o: { out: string; refresh: boolean }) => {
      const settings = loadSettings();
      const db = await connect(settings.DATABASE_URL);
      try {
        const written = await writeReport(db, { out: o.out, refresh: o.refresh });
        process.stdout.write(`Report of ${redactUrl(settings.DATABASE_URL)} written to ${written.path} (${Math.round(written.bytes / 1024)} KiB).\n`);
      } finally {
        await db.end();
      }
    });
}
