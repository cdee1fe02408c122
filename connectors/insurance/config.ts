import type { z } from 'zod';
import { lgspSourceConfigSchema } from '../../src/connect/lgsp-source-config.js';

/** Settings of the social-insurance connector; validated at start-up. */
export const insuranceConfigSchema = lgspSourceConfigSchema;

export type InsuranceConfig = z.output<typeof insuranceConfigSchema>;
