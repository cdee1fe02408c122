import type { ConnectorDeps, ConnectorFactory } from '../src/connect/types.js';
import type { Logger } from '../src/logger.js';
import { createBusinessConnector } from './business/connector.js';
import { createInsuranceConnector } from './insurance/connector.js';
import { createLandConnector } from './land/connector.js';
import { createOnestopConnector } from './onestop/connector.js';
import { createPopulationConnector } from './population/connector.js';

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

/**
 * Every source connector, by name. Adding a source = one folder + one line here. The application
 * hands this table to its runtime (app/deployment.ts); nothing else reads it.
 */
export const CONNECTORS: Readonly<Record<string, ConnectorFactory>> = {
  population: (deps) => createPopulationConnector(lgspInput(deps, deps.settings.LGSP_POPULATION_URL), clientDeps(deps)),
  business: (deps) => createBusinessConnector(lgspInput(deps, deps.settings.LGSP_BUSINESS_URL), clientDeps(deps)),
  insurance: (deps) => createInsuranceConnector(lgspInput(deps, deps.settings.LGSP_INSURANCE_URL), clientDeps(deps)),
  land: (deps) => createLandConnector(lgspInput(deps, deps.settings.LGSP_LAND_URL), clientDeps(deps)),
  onestop: (deps) => createOnestopConnector({ databaseUrl: deps.settings.LGSP_ONESTOP_DATABASE_URL, ...deps.overrides }, { logger: deps.logger }),
};
