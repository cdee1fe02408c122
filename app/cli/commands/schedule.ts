import { InvalidArgumentError, type Command } from 'commander';
import { createSchedulerMetrics } from '../../schedule/metrics.js';
import { runNightly } from '../../batch/nightly-run.js';
import { createRuntime } from '../../runtime.js';
import { startScheduler, type CatchUpPolicy } from '../../schedule/scheduler.js';
import { loadSettings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { migrateLatest } from '../../../warehouse/migrator.js';
import { stopOnSignals } from '../signals.js';
import { DECLARED } from '../../deployment.js';

/** `lgsp schedule`: run the nightly batch on a cron schedule until stopped. */
export function registerScheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description('run the nightly batch on a schedule; one run per night across all schedulers; SIGTERM finishes the current commit and exits')
    .option('--cron <expr>', 'when to run (cron, read in --timezone)', '0 1 * * *')
    .option('--timezone <tz>', 'IANA time zone of the cron expression', 'Asia/Ho_Chi_Minh')
    .option('--catch-up <policy>', 'nights missed while down: once (run one catch-up), all (one per night), none', parsePolicy, 'once')
    .option('--name <name>', 'schedule name (ticks are unique per name)', 'nightly')
    .option('--metrics-port <port>', 'serve Prometheus metrics on <metrics-host>:<port>/metrics', parsePort)
    .option('--metrics-host <host>', 'address the metrics server binds (0.0.0.0 in a container)', '127.0.0.1')
    .action(async (o: { cron: string; timezone: string; catchUp: CatchUpPolicy; name: string; metricsPort?: number; metricsHost: string }) => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const stop = stopOnSignals((sig) => logger.warn({ signal: sig }, 'shutting down: the current run stops at its next commit'));
      await migrateLatest(settings.DATABASE_URL, logger);
      const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-schedule' });
      const metrics = createSchedulerMetrics();
      if (o.metricsPort !== undefined) logger.info({ url: await metrics.listen(o.metricsPort, o.metricsHost) }, 'metrics served');
      const scheduler = await startScheduler({
        databaseUrl: settings.DATABASE_URL,
        cron: o.cron,
        timezone: o.timezone,
        catchUp: o.catchUp,
        name: o.name,
        logger,
        signal: stop.signal,
        run: async (signal) => {
          const result = await runNightly(runtime, { signal });
          metrics.recordRun(result);
          return { runId: result.runId };
        },
        onTick: (outcome) => {
          metrics.recordTick(outcome);
          logger.info({ ...outcome }, 'tick done');
        },
      });
      process.stdout.write(`Scheduler "${o.name}" running: ${o.cron} (${o.timezone}); next run ${scheduler.nextRun()?.toISOString() ?? 'never'}. Stop with SIGTERM or Ctrl-C.\n`);
      await scheduler.stopped;
      await metrics.close();
      process.stdout.write('Scheduler stopped.\n');
    });
}

function parsePolicy(value: string): CatchUpPolicy {
  if (value === 'once' || value === 'all' || value === 'none') return value;
  throw new InvalidArgumentError('must be once, all or none');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number');
  return port;
}
