import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Each command lives in its own file and registers itself on the program. Only the module of the
 * command being run is loaded, so one command's dependencies (the simulator, the Kafka client…)
 * neither slow down nor break another; `--help` without a command loads them all.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  demo: async () => (await import('./demo.js')).registerDemoCommand,
  local: async () => (await import('./local.js')).registerLocalCommand,
  migrate: async () => (await import('./migrate.js')).registerMigrateCommand,
  mock: async () => (await import('./mock.js')).registerMockCommand,
  extract: async () => (await import('./extract.js')).registerExtractCommand,
  load: async () => (await import('./load.js')).registerLoadCommand,
  schemas: async () => (await import('./schemas.js')).registerSchemasCommand,
  run: async () => (await import('./run.js')).registerRunCommand,
  schedule: async () => (await import('./schedule.js')).registerScheduleCommand,
  status: async () => (await import('./status.js')).registerStatusCommand,
  offsets: async () => (await import('./offsets.js')).registerOffsetsCommand,
  backfill: async () => (await import('./backfill.js')).registerBackfillCommand,
  dlq: async () => (await import('./dlq.js')).registerDlqCommand,
  reconcile: async () => (await import('./reconcile.js')).registerReconcileCommand,
  config: async () => (await import('./config.js')).registerConfigCommand,
  report: async () => (await import('./report.js')).registerReportCommand,
  analyst: async () => (await import('./analyst.js')).registerAnalystCommand,
  sql: async () => (await import('./sql.js')).registerSqlCommand,
};

export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const requested = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const only = requested === undefined ? undefined : COMMANDS[requested];
  const loaders = only === undefined ? Object.values(COMMANDS) : [only];
  for (const load of loaders) (await load())(program);
}
