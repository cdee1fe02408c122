import type { z } from 'zod';
import { lgspSourceConfigSchema } from '../../src/connect/lgsp-source-config.js';

/** Settings of the population connector; validated at start-up. */
export const populationConfigSchema = lgspSourceConfigSchema;

export type PopulationConfig = z.output<typeof populationConfigSchema>;
