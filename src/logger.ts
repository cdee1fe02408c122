import { pino, type Logger, type LoggerOptions } from 'pino';
import { secretSettingNames } from './config/settings.js';

export type { Logger } from 'pino';

/**
 * Paths redacted from every log line. Secrets must never reach logs: connection strings carry
 * passwords and source APIs use client secrets and bearer tokens. The settings marked secret in
 * the settings schema are redacted under their own names too (a settings object logged whole).
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
  ...secretSettingNames().flatMap((setting) => [setting, `*.${setting}`]),
];

/**
 * Creates the root logger. Components take it as a dependency and derive their own with
 * `logger.child({ component })`; there is no global logger.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    base: { app: 'lgsp' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(config, pino.destination(2)) : pino(config, options.destination);
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
