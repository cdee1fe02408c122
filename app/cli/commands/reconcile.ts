import { InvalidArgumentError, type Command } from 'commander';
import { reconcile, type Reconciliation } from '../../admin/reconcile.js';
import { DECLARED } from '../../deployment.js';
import { connect } from '../../../src/db/postgres.js';
import { loadSettings } from '../../../src/config/settings.js';
import { renderTable } from '../table.js';

const MARK = { ok: 'ok', note: 'note', unexplained: 'DOES NOT ADD UP' } as const;

function runNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a run id from meta.runs (lgsp status lists them)');
  return n;
}

/** `lgsp reconcile [--run N]`: one night's counts, stage by stage, and every one that does not add up. */
export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description('add up a nightly run: read → produced/tombstones/dead-lettered at extract, consumed → loaded/updated/deleted/unchanged/rejected at load, rows in core; exit 1 when a count does not add up')
    .option('--run <id>', 'the run to reconcile (default: the latest nightly run)', runNumber)
    .option('--json', 'print JSON instead of tables')
    .action(async (o: { run?: number; json?: boolean }) => {
      const settings = loadSettings();
      const db = await connect(settings.DATABASE_URL);
      try {
        const result = await reconcile(db, { ...(o.run === undefined ? {} : { runId: o.run }), pipelines: DECLARED.pipelines, naming: { prefix: settings.LGSP_TOPIC_PREFIX } });
        process.stdout.write(o.json === true ? `${JSON.stringify(result, null, 2)}\n` : `${renderReconciliation(result)}\n`);
        if (result.unexplained > 0) process.exitCode = 1;
      } finally {
        await db.end();
      }
    });
}

export function renderReconciliation(r: Reconciliation): string {
  const out: string[] = [`Reconciliation of run ${r.runId} (${r.kind}, ${r.status})`];
  if (r.extract.length > 0) {
    out.push('', 'Extract', renderTable(['stream', 'topic', 'read', 'produced', 'tombstones', 'dead-lettered'], r.extract.map((e) => [`${e.connector}.${e.stream}`, e.topic, e.read, e.produced, e.tombstones, e.deadLettered])));
  }
  if (r.load.length > 0) {
    out.push(
      '',
      'Load',
      renderTable(
        ['pipeline', 'topic', 'consumed', 'inserted', 'updated', 'deleted', 'unchanged', 'rejected', 'skipped'],
        r.load.map((l) => [l.pipeline, l.topic, l.consumed, l.inserted, l.updated, l.deleted, l.unchanged, l.rejected, l.skipped]),
      ),
    );
  }
  if (r.tables.length > 0) out.push('', 'Warehouse', renderTable(['table', 'rows (live + marked deleted)', 'inserted (counted loads)'], r.tables.map((t) => [t.table, t.rows, t.counted])));
  const flagged = r.lines.filter((l) => l.status !== 'ok');
  out.push('', `${r.lines.length - flagged.length} of ${r.lines.length} checks add up; ${r.unexplained} do not.`);
  if (flagged.length > 0) out.push(renderTable(['', 'where', 'what'], flagged.map((l) => [MARK[l.status], l.subject, l.text])));
  return out.join('\n');
}
