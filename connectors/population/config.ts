import { z } from 'zod';

/** Settings of the population connector; validated at start-up. */
export const populationConfigSchema = z.object({
  /** Base URL of the population database's LGSP adapter, e.g. http://127.0.0.1:8401/population. */
  baseUrl: z.url(),
  /** OAuth2 client id issued by the LGSP. */
  clientId: z.string().min(1),
  /** OAuth2 client secret. Secret: never logged. */
  clientSecret: z.string().min(1),
  /** Records per request (the adapter allows at most 1000). */
  pageSize: z.number().int().min(1).max(1000).default(500),
  /** Retries of a failed request before the run fails (backoff doubles from 200 ms to 10 s, with jitter). */
  retries: z.number().int().min(0).max(50).default(8),
});

export type PopulationConfig = z.output<typeof populationConfigSchema>;
