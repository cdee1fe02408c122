import type { Command } from 'commander';
import { loadCatalogue } from '../../../src/avro/catalogue.js';
import { checkDeclarations } from '../../declarations.js';
import { DECLARED } from '../../deployment.js';
import { loadSettings, settingsSchema, showSetting, type Settings } from '../../../src/config/settings.js';
import { createLogger } from '../../../src/logger.js';
import { renderTable } from '../table.js';

/** A setting as printed: secrets hidden as the schema marks them (the client secret, passwords in every URL). */
function shown(key: keyof Settings, value: unknown): string {
  if (Array.isArray(value)) return showSetting(key, value.join(','));
  return typeof value === 'string' || typeof value === 'number' ? showSetting(key, String(value)) : '(unset)';
}

/** `lgsp config check`: validate the settings and the declared connectors and pipelines. */
export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('configuration: settings from the environment (.env), connectors and pipelines declared in code')
    .command('check')
    .description('validate every setting and declaration and print them (secrets hidden); exit 1 naming the first problem')
    .action(async () => {
      const settings = loadSettings();
      const logger = createLogger({ level: settings.LOG_LEVEL });
      const summary = await checkDeclarations(DECLARED, settings, loadCatalogue(), logger);
      const out = (s: string): void => void process.stdout.write(`${s}\n`);
      out('Settings');
      out(renderTable(['setting', 'value', 'from'], Object.keys(settingsSchema.shape).map((k) => {
        const key = k as keyof Settings;
        return [key, shown(key, settings[key]), process.env[key] === undefined || process.env[key] === '' ? 'default' : 'environment'];
      })));
      out('\nConnectors');
      out(renderTable(['connector', 'stream', 'schema'], summary.connectors.flatMap((c) => c.streams.map((s) => [c.name, s.name, s.schema]))));
      out('\nPipelines');
      out(renderTable(['pipeline', 'input', 'schema', 'table'], summary.pipelines.flatMap((p) => p.inputs.map((i) => [p.name, `${i.source}/${i.entity}`, i.schema, i.table]))));
      out('\nConfiguration OK.');
    });
}
