import { z } from 'zod';

/** Settings of the one-stop system's connector; validated at start-up. */
export const onestopConfigSchema = z.object({
  /** The one-stop system's PostgreSQL database (secret: may carry a password; logged redacted only). */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\/.+\/[^/]+$/, 'must be a URL like postgres://user@host:5432/database'),
  /** Schema holding the one-stop tables. */
  schema: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').default('onestop'),
  /** Rows per query (consecutive pages share a Kafka transaction: LGSP_EXTRACT_RECORDS_PER_TRANSACTION). */
  pageSize: z.number().int().min(1).max(10_000).default(1000),
  /** Connections the connector may open (its streams run one after another). */
  poolSize: z.number().int().min(1).max(20).default(2),
});

export type OnestopConfig = z.output<typeof onestopConfigSchema>;
