import pg from 'pg';
import { parseConnectorConfig } from '../../src/connect/lgsp-source-config.js';
import { createSqlStream, type SqlQueryable } from '../../src/connect/sql-stream.js';
import type { SourceConnector } from '../../src/connect/types.js';
import { asConnectionError, watchPool, type DatabaseTarget } from '../../src/db/postgres.js';
import type { Logger } from '../../src/logger.js';
import { timestamptzParser } from '../../src/db/timestamptz.js';
import { agenciesStream } from './agencies-stream.js';
import { onestopConfigSchema } from './config.js';
import { dossierComponentsStream } from './dossier-components-stream.js';
import { dossiersStream } from './dossiers-stream.js';
import { proceduresStream } from './procedures-stream.js';
import { ratingsStream } from './ratings-stream.js';

/** The one-stop system's database, as its connection errors name it. */
export const ONESTOP_DATABASE: DatabaseTarget = {
  what: 'the one-stop database',
  setting: 'LGSP_ONESTOP_DATABASE_URL',
  unreachableHint: 'is it up? Check LGSP_ONESTOP_DATABASE_URL; for the simulated one-stop system run `npx lgsp mock serve`',
};

const DATE_OID = 1082;
const INT8_OID = 20;
const TIMESTAMPTZ_OID = 1184;
const readTimestamptz = timestamptzParser(pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => unknown);

/**
 * The provincial one-stop system (hệ thống một cửa điện tử), read from its own PostgreSQL tables
 * like a JDBC source connector. The pool is created here, connects on first query, and is ended
 * by `close()` (the runner calls it after the last stream).
 */
export function createOnestopConnector(input: unknown, deps: { logger: Logger }): SourceConnector {
  const config = parseConnectorConfig('onestop', onestopConfigSchema, input);
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.poolSize,
    application_name: 'lgsp-connector-onestop',
    // Dates stay 'YYYY-MM-DD' (the raw schemas' date shape, no time-zone shift); bigints are VND
    // amounts, safe as numbers; timestamps are read by a cheaper parser than pg's (src/db/timestamptz.ts).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
        if (oid === DATE_OID) return (value: string) => value;
        if (oid === INT8_OID) return (value: string) => Number(value);
        if (oid === TIMESTAMPTZ_OID && format !== 'binary') return readTimestamptz;
        return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
      }) as typeof pg.types.getTypeParser,
    },
  });
  watchPool(pool, (err) => deps.logger.warn({ err, component: 'onestop-pool' }, 'a one-stop database connection failed'));
  // The streams see "cannot connect" as the LGSP sources' connectors do: one line naming the setting.
  const source: SqlQueryable = {
    query: async <R>(text: string, values: unknown[]) => {
      try {
        return await pool.query<R & pg.QueryResultRow>(text, values);
      } catch (err) {
        throw asConnectionError(err, config.databaseUrl, ONESTOP_DATABASE);
      }
    },
  };
  const { schema, pageSize } = config;
  return {
    name: 'onestop',
    streams: [
      proceduresStream(schema, pageSize),
      agenciesStream(schema, pageSize),
      dossiersStream(schema, pageSize),
      dossierComponentsStream(schema, pageSize),
      ratingsStream(schema, pageSize),
    ].map((definition) => createSqlStream(definition, source)),
    close: () => pool.end(),
  };
}
