import type { SourceConnector } from '../src/connect/types.js';
import type { Settings } from '../src/config/settings.js';
import type { Logger } from '../src/logger.js';
import { createBusinessConnector } from './business/connector.js';
import { createInsuranceConnector } from './insurance/connector.js';
import { createLandConnector } from './land/connector.js';
import { createOnestopConnector } from './onestop/connector.js';
import { createPopulationConnector } from './population/connector.js';

export interface ConnectorDeps {
  readonly settings: Settings;
  readonly logger: Logger;
  /** Called once per retried source request, with the stream it was made for (the run's figures). */
  readonly onRetry?: (stream: string) => void;
  /** Overrides of the connector's settings (tests and the demo point at a mock on another port). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** What every connector to an LGSP adapter takes from the settings. */
function lgspInput(deps: ConnectorDeps, baseUrl: string): Record<string, unknown> {
  return {
    baseUrl,
    clientId: deps.settings.LGSP_CLIENT_ID,
    clientSecret: deps.settings.LGSP_CLIENT_SECRET,
    retries: deps.settings.LGSP_HTTP_RETRIES,
    ...deps.overrides,
  };
}

function clientDeps(deps: ConnectorDeps): { logger: Logger; onRetry?: (stream: string) => void } {
  return { logger: deps.logger, ...(deps.onRetry === undefined ? {} : { onRetry: deps.onRetry }) };
}

/** Every source connector, by name. Adding a source = one folder + one line here. */
export const CONNECTORS: Readonly<Record<string, (deps: ConnectorDeps) => SourceConnector>> = {
  population: (deps) => createPopulationConnector(lgspInput(deps, deps.settings.LGSP_POPULATION_URL), clientDeps(deps)),
  business: (deps) => createBusinessConnector(lgspInput(deps, deps.settings.LGSP_BUSINESS_URL), clientDeps(deps)),
  insurance: (deps) => createInsuranceConnector(lgspInput(deps, deps.settings.LGSP_INSURANCE_URL), clientDeps(deps)),
  land: (deps) => createLandConnector(lgspInput(deps, deps.settings.LGSP_LAND_URL), clientDeps(deps)),
  onestop: (deps) => createOnestopConnector({ databaseUrl: deps.settings.LGSP_ONESTOP_DATABASE_URL, ...deps.overrides }, { logger: deps.logger }),
};
