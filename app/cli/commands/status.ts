import type { Command } from 'commander';
import { createRuntime } from '../../runtime.js';
import { platformStatus } from '../../admin/status.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { renderTable } from '../table.js';
import { DECLARED } from '../../deployment.js';

/** `lgsp status`: last runs, pipeline lag, source freshness, the mart's last refresh, dead-letter counts. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the last runs, the lag of each pipeline, how fresh each source and the mart are, and dead-lettered records')
    .option('--runs <n>', 'how many runs to show', Number, 10)
    .option('--json', 'print JSON instead of tables')
    .action(async (o: { runs: number; json?: boolean }) => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-status' });
      const status = await platformStatus(runtime, { runs: o.runs });
      if (o.json === true) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      const out = (s: string): void => void process.stdout.write(`${s}\n`);
      out('Last runs');
      out(
        renderTable(
          ['run', 'kind', 'target', 'status', 'started', 'seconds', 'error'],
          status.runs.map((r) => [r.runId, r.kind, r.target, r.status, r.startedAt.toISOString(), r.seconds === null ? '-' : Number(r.seconds.toFixed(1)), r.error ?? '']),
        ),
      );
      out('\nPipelines');
      out(renderTable(['pipeline', 'lag (offsets)', 'dead letters waiting'], status.lag.map((l) => [l.pipeline, l.lag, l.deadLettersWaiting])));
      out('\nSources');
      out(renderTable(['source', 'stream', 'extracted up to'], status.freshness.map((f) => [f.source, f.stream, f.extractedUpTo ?? 'never'])));
      out('\nMart');
      const m = status.mart;
      out(
        renderTable(
          ['last refreshed by a run', 'facts rebuilt', 'seconds', 'changes pending'],
          [[m.lastRefresh === null ? 'never' : `${m.lastRefresh.at} (run ${m.lastRefresh.runId})`, m.lastRefresh === null ? '-' : `${m.lastRefresh.facts}: ${m.lastRefresh.dossiers} dossiers`, m.lastRefresh === null ? '-' : Number(m.lastRefresh.seconds.toFixed(1)), m.pendingChanges ?? '-']],
        ),
      );
      out('\nDead-letter topics');
      out(status.dlq.length === 0 ? '(none)' : renderTable(['topic', 'records'], status.dlq.map((d) => [d.topic, d.records])));
    });
}
