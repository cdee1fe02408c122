import { afterAll, describe, expect, it } from 'vitest';
import { connect, dropDatabase, withDatabase } from '../../src/db/postgres.js';
import { createLogger } from '../../src/logger.js';
import { DEFAULT_CLIENT } from '../../simulator/mocks/oauth.js';
import { startMockSources } from '../../simulator/mocks/serve.js';
import { advanceWorld, type AdvanceResult } from '../../simulator/store/advance.js';
import { addDays } from '../../simulator/world/index.js';
import { testInfra } from '../harness/infra.js';

/**
 * The population database starting to serve `vneidLevel` (world option vneidFrom), through the
 * simulator's store: served before and after the change, moved across it by `advance`, and kept or
 * reloaded when the option changes.
 */
const SEED = 5;
const SCALE = 0.003;
const CHANGE = '2026-01-05';
const START = '2026-01-02';
const DAYS = 6;
const logger = createLogger({ level: 'warn' });
const dbName = (suffix: string): string => `lgsp_sim_it_vneid_${suffix}_${process.pid}`;
const urls: string[] = [];
const storeUrl = (suffix: string): string => {
  const url = withDatabase(testInfra().databaseUrl, dbName(suffix));
  urls.push(url);
  return url;
};

type Served = Record<string, unknown>;

/** Every citizen the population adapter serves (changed at or after `since`, when given). */
async function servedCitizens(base: string, since?: string): Promise<Served[]> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret });
  const token = ((await (await fetch(`${base}/oauth2/token`, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
  const all: Served[] = [];
  for (let offset = 0; ; offset += 1000) {
    const query = new URLSearchParams({ offset: String(offset), limit: '1000', ...(since === undefined ? {} : { updated_since: since }) });
    const page = (await (await fetch(`${base}/v1/citizens?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: Served[] };
    all.push(...page.data);
    if (page.data.length < 1000) return all;
  }
}

async function served(url: string, since?: string): Promise<Served[]> {
  const sources = await startMockSources({ seed: SEED, scale: SCALE, vneidFrom: CHANGE, storeUrl: url, logger, ports: 'any' });
  try {
    return await servedCitizens(sources.urls.population, since);
  } finally {
    await sources.close();
  }
}

async function populationHash(url: string): Promise<string> {
  const client = await connect(url);
  try {
    const result = await client.query<{ n: string; h: string }>(`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY entity, id)) AS h FROM population.records t`);
    return `${result.rows[0]?.n}:${result.rows[0]?.h}`;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const url of urls) await dropDatabase(url);
});

describe('simulator: the population database starts serving vneidLevel', () => {
  const advanced = storeUrl('advanced');
  let advance: AdvanceResult;

  it('serves no vneidLevel before the change day; advanced across it, every citizen has one and an incremental read gets the dated records', async () => {
    await dropDatabase(advanced);
    const start = await startMockSources({ seed: SEED, scale: SCALE, asOf: START, vneidFrom: CHANGE, storeUrl: advanced, logger, ports: 'any' });
    const before = await servedCitizens(start.urls.population).finally(() => start.close());
    expect(before.length).toBeGreaterThan(2000);
    expect(before.filter((c) => 'vneidLevel' in c)).toEqual([]);

    const client = await connect(advanced);
    advance = await advanceWorld(client, DAYS).finally(() => client.end());
    expect(advance.to).toMatchObject({ asOf: addDays(START, DAYS), vneidFrom: CHANGE });
    const undated = advance.schemaChanges[0]?.records ?? 0;
    expect(advance.schemaChanges).toEqual([{ table: 'population.citizen', field: 'vneidLevel', records: undated }]);
    expect(undated).toBeGreaterThan(0);

    const after = await served(advanced);
    expect(after.filter((c) => !('vneidLevel' in c))).toEqual([]);
    const changed = await served(advanced, advance.changedSince);
    // The backfill of the change day is a dated change: the incremental read carries every account.
    const withAccount = after.filter((c) => c['vneidLevel'] !== null && c['deletedAt'] === undefined).length;
    expect(changed.filter((c) => c['vneidLevel'] !== null).length).toBe(withAccount);
    // Every stored citizen either changed on a day in between (or is new), or only gained the null.
    expect(changed.length + undated).toBe(after.length);
  });

  it('equals the store loaded at the later day directly', async () => {
    const direct = storeUrl('direct');
    await dropDatabase(direct);
    const sources = await startMockSources({ seed: SEED, scale: SCALE, asOf: addDays(START, DAYS), vneidFrom: CHANGE, storeUrl: direct, logger, ports: 'any' });
    await sources.close();
    expect(await populationHash(advanced)).toBe(await populationHash(direct));
  });

  it('keeps a stored world when only a change day still ahead of it differs, and reloads it when the day is behind', async () => {
    const url = storeUrl('restamp');
    await dropDatabase(url);
    const options = { seed: SEED, scale: SCALE, asOf: START, storeUrl: url, logger, ports: 'any' } as const;
    await (await startMockSources(options)).close();
    const kept = await startMockSources({ ...options, vneidFrom: CHANGE });
    await kept.close();
    expect({ generated: kept.generated, vneidFrom: kept.vneidFrom }).toEqual({ generated: false, vneidFrom: CHANGE });
    const reloaded = await startMockSources({ ...options, vneidFrom: '2026-01-01' });
    await reloaded.close();
    expect({ generated: reloaded.generated, vneidFrom: reloaded.vneidFrom }).toEqual({ generated: true, vneidFrom: '2026-01-01' });
  });
});
