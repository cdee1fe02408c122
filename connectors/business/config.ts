import { z } from 'zod';
import { lgspSourceConfigSchema } from '../../src/connect/lgsp-source-config.js';

/** Settings of the business-registry connector; validated at start-up. */
export const businessConfigSchema = lgspSourceConfigSchema.extend({
  /** The widest `updated_since`…`updated_until` window the registry answers, in days. */
  windowDays: z.number().int().min(1).max(366).default(5),
  /**
   * Where the first run starts walking windows: before the registry's oldest change (the
   * simulated registry's first registrations are from 1995).
   */
  snapshotFrom: z.iso.datetime().default('1990-01-01T00:00:00.000Z'),
  /** Windows fetched ahead concurrently (a snapshot walks ~75 windows per year, most of them empty). */
  lookahead: z.number().int().min(1).max(32).default(4),
});

export type BusinessConfig = z.output<typeof businessConfigSchema>;
