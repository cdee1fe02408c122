import type { Command } from 'commander';
import { loadSettings } from '../../../src/config/settings.js';
import { UsageError } from '../../../src/errors.js';
import { cellText, csvField, readOnlyQuery } from '../../admin/sql-query.js';
import { numericColumns, renderTable } from '../table.js';

/** `lgsp sql '<statement>'`: an analyst's query against the warehouse, printed as a table or CSV. */
export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .argument('<statement>', 'one SQL statement, e.g. "select * from mart.indicator_vs_target limit 5"')
    .description('run one read-only SQL statement against the warehouse (DATABASE_URL) and print its rows: no psql needed')
    .option('--csv', 'print every row as CSV (with a header line) instead of a table')
    .option('--max-rows <n>', 'rows shown in the table (--csv prints them all)', '1000')
    .action(async (statement: string, o: { csv?: boolean; maxRows: string }) => {
      const maxRows = Number(o.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError(`--max-rows must be a positive whole number, not ${JSON.stringify(o.maxRows)}`);
      const settings = loadSettings();
      const result = await readOnlyQuery(settings.DATABASE_URL, statement);
      const text = result.rows.map((row) => row.map(cellText));
      if (o.csv === true) {
        for (const line of [result.columns, ...text]) process.stdout.write(`${line.map(csvField).join(',')}\n`);
        return;
      }
      if (result.columns.length === 0) {
        process.stdout.write(`${result.command}\n`);
        return;
      }
      // Values as the server gave them (renderTable would round numbers to one decimal), numbers right-aligned.
      const shown = text.slice(0, maxRows);
      process.stdout.write(`${renderTable(result.columns, shown, { rightAligned: numericColumns(result.columns, result.rows) })}\n`);
      const more = result.rows.length - shown.length;
      process.stdout.write(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${more > 0 ? `; ${shown.length} shown, --csv prints them all` : ''})\n`);
    });
}
