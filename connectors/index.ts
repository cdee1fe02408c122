import type { SourceConnector } from '../src/connect/types.js';
import type { Settings } from '../src/config/settings.js';
import type { Logger } from '../src/logger.js';
import { createPopulationConnector } from './population/connector.js';

export interface ConnectorDeps {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly onRetry?: () => void;
  /** Overrides of the connector's settings (tests and the demo point at a mock on another port). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Every source connector, by name. Adding a source = one folder + one line here. */
export const CONNECTORS: Readonly<Record<string, (deps: ConnectorDeps) => SourceConnector>> = {
  population: (deps) =>
    createPopulationConnector(
      {
        baseUrl: deps.settings.LGSP_POPULATION_URL,
        clientId: deps.settings.LGSP_CLIENT_ID,
        clientSecret: deps.settings.LGSP_CLIENT_SECRET,
        retries: deps.settings.LGSP_HTTP_RETRIES,
        ...deps.overrides,
      },
      { logger: deps.logger, ...(deps.onRetry === undefined ? {} : { onRetry: deps.onRetry }) },
    ),
};
