import type { z } from 'zod';
import { lgspSourceConfigSchema } from '../../src/connect/lgsp-source-config.js';

/** Settings of the land connector; validated at start-up. */
export const landConfigSchema = lgspSourceConfigSchema;

export type LandConfig = z.output<typeof landConfigSchema>;
