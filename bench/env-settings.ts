import { settingsSchema } from '../src/config/settings.js';

/**
 * The LGSP_* settings set in the environment, for a benchmark to apply before its own databases,
 * broker, topic prefix and log level — to compare a setting's values without editing code (e.g.
 * LGSP_EXTRACT_RECORDS_PER_TRANSACTION=250).
 */
export function lgspSettingsFromEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('LGSP_') && e[0] in settingsSchema.shape && e[1] !== undefined));
}
