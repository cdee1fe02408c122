import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, dropDatabase, withDatabase } from '../../src/db/postgres.js';
import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { createLogger } from '../../src/logger.js';
import { NO_FAULTS, type FaultConfig, type Malformation } from '../../simulator/mocks/faults.js';
import { createSourceService, type EntityEndpoint, type SourceService } from '../../simulator/mocks/lgsp-adapter.js';
import { BUSINESS_ENDPOINTS, INSURANCE_ENDPOINTS, LAND_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { DEFAULT_CLIENT } from '../../simulator/mocks/oauth.js';
import { POPULATION_ENDPOINTS } from '../../simulator/mocks/population.js';
import { startMockSources } from '../../simulator/mocks/serve.js';
import { advanceWorld, type AdvanceResult } from '../../simulator/store/advance.js';
import { NATIONAL_SOURCES, type NationalSource } from '../../simulator/store/sim-store.js';
import { addDays, createWorld, endOfDay, lookup } from '../../simulator/world/index.js';
import { useDeployment } from '../harness/deployment.js';
import { warehouseFingerprint, type TableFingerprint } from '../harness/fingerprint.js';
import { testInfra } from '../harness/infra.js';

const SEED = 5;
const SCALE = 0.01;
const logger = createLogger({ level: 'warn' });
const ENDPOINTS: Record<NationalSource, EntityEndpoint> = {
  population: POPULATION_ENDPOINTS[0] as EntityEndpoint,
  business: BUSINESS_ENDPOINTS[0] as EntityEndpoint,
  insurance: INSURANCE_ENDPOINTS[0] as EntityEndpoint,
  land: LAND_ENDPOINTS[0] as EntityEndpoint,
};

// ── a plain HTTP client: one connection per request, so a reset is seen as exactly one reset ──

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

function request(url: string, options: { method?: string; token?: string | null; form?: string } = {}): Promise<Answer | 'reset'> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token != null) headers['authorization'] = `Bearer ${options.token}`;
    if (options.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      res.on('error', () => resolve('reset'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.message === 'socket hang up' ? resolve('reset') : reject(err)));
    req.end(options.form);
  });
}

async function answer(url: string, token: string | null): Promise<Answer> {
  const a = await request(url, { token });
  if (a === 'reset') throw new Error(`connection reset: ${url}`);
  return a;
}

async function tokenFor(base: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret }).toString();
  const a = await request(`${base}/oauth2/token`, { method: 'POST', form });
  if (a === 'reset' || a.status !== 200) throw new Error('no token');
  return String(a.body['access_token']);
}

type Served = Record<string, unknown>;

/** Every record of an endpoint, page by page; windows of `windowDays` from `from` when the source insists on bounds. */
async function pageAll(base: string, token: string, endpoint: EntityEndpoint, limit: number, bounds: { since?: string; from?: string; to?: string } = {}): Promise<Served[]> {
  const records: Served[] = [];
  const windows: [string | null, string | null][] = [];
  if (endpoint.maxWindowDays === undefined) windows.push([bounds.since ?? null, null]);
  else {
    const step = endpoint.maxWindowDays * 86_400_000;
    const end = Date.parse(bounds.to ?? new Date().toISOString());
    for (let t = Date.parse(bounds.since ?? bounds.from ?? '1990-01-01T00:00:00.000Z'); t <= end; t += step) windows.push([new Date(t).toISOString(), new Date(t + step).toISOString()]);
  }
  for (const [since, until] of windows) {
    for (let offset = 0; ; offset += limit) {
      const query = new URLSearchParams({ offset: String(offset), limit: String(limit) });
      if (since !== null) query.set('updated_since', since);
      if (until !== null) query.set('updated_until', until);
      const a = await answer(`${base}/v1/${endpoint.path}?${query.toString()}`, token);
      expect(a.status).toBe(200);
      const data = a.body['data'] as Served[];
      records.push(...data);
      if (data.length < limit) break;
    }
  }
  return records;
}

interface StoredRow {
  readonly id: string;
  readonly updated_at: Date;
  readonly deleted_at: Date | null;
  readonly body: Served;
}

async function storedRows(client: pg.ClientBase, source: NationalSource, since?: string): Promise<StoredRow[]> {
  const result = await client.query<StoredRow>(
    `SELECT id, updated_at, deleted_at, body FROM ${source}.records WHERE $1::timestamptz IS NULL OR updated_at >= $1 ORDER BY updated_at, id`,
    [since ?? null],
  );
  return result.rows;
}

/** What a client sees of a stored row: its body, plus deletedAt when deleted. */
const asServed = (row: StoredRow): Served => (row.deleted_at === null ? row.body : { ...row.body, deletedAt: row.deleted_at.toISOString() });

/** Every table of the simulator's store, with its key (for the fingerprint's order). */
const STORE_TABLES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(NATIONAL_SOURCES.map((s) => [`${s}.records`, 'entity, id'])),
  'onestop.procedure': 'procedure_code',
  'onestop.agency': 'agency_code',
  'onestop.dossier': 'dossier_code',
  'onestop.dossier_component': 'dossier_code, seq',
  'onestop.rating': 'dossier_code',
};

async function storeFingerprint(url: string): Promise<Record<string, TableFingerprint>> {
  const client = await connect(url);
  try {
    return await warehouseFingerprint(client, { tables: STORE_TABLES });
  } finally {
    await client.end();
  }
}

const dbName = (suffix: string): string => `lgsp_sim_it_${suffix}_${process.pid}`;

/**
 * The first day after the 2025-07-01 reorganisation on which a citizen record is cancelled
 * (deleted), checked with an O(1) look-up, so that advancing from the day before must carry a deletion.
 */
function dayWithDeletion(): string {
  const world = createWorld({ seed: SEED, scale: SCALE, asOf: '2025-12-31' });
  const candidates = [...world.citizens()].filter((c) => c.deleted === true && c.updatedAt >= '2025-07-01').sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : 1));
  for (const c of candidates) {
    const day = new Date(Date.parse(c.updatedAt) + 7 * 3_600_000).toISOString().slice(0, 10);
    const before = lookup(createWorld({ seed: SEED, scale: SCALE, asOf: addDays(day, -1) })).citizen(c.personalId);
    if (before !== null && before.deleted !== true) return day;
  }
  throw new Error('no citizen cancelled in the second half of 2025 at this seed and scale');
}

const base = (): string => testInfra().databaseUrl;
const DELETION_DAY = dayWithDeletion();
const START = addDays(DELETION_DAY, -1);

const t = useDeployment({ world: { seed: SEED, scale: SCALE, asOf: START }, migrate: false, runtime: false });
/** The store as the mock services read it, for the extra services the tests start with other faults. */
let store: pg.Pool;
const extra: SourceService[] = [];

beforeAll(() => {
  store = new pg.Pool({ connectionString: t.simStoreUrl, max: 4 });
  // The drop at the end terminates connections the pool may still be closing.
  store.on('error', () => undefined);
});

afterAll(async () => {
  await Promise.all(extra.map((s) => s.close()));
  await store?.end();
});

async function serviceWith(source: NationalSource, faults: Partial<FaultConfig>, tokenTtlSeconds?: number): Promise<{ service: SourceService; base: string }> {
  const service = createSourceService({
    source,
    endpoints: [ENDPOINTS[source]],
    store,
    logger,
    faults: { ...NO_FAULTS, seed: 99, ...faults },
    ...(tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds }),
  });
  extra.push(service);
  return { service, base: await service.listen(0) };
}

describe('simulator mocks: paging, windows, look-ups', () => {
  it('pages every record of every national source exactly once (limit 37)', async () => {
    for (const source of NATIONAL_SOURCES) {
      const endpoint = ENDPOINTS[source];
      const token = await tokenFor(t.sources.urls[source]);
      const client = await store.connect();
      const rows = await storedRows(client, source).finally(() => client.release());
      const served = await pageAll(t.sources.urls[source], token, endpoint, 37, { from: rows[0]?.updated_at.toISOString() ?? '', to: endOfDay(START) });
      expect(served.length, source).toBe(rows.length);
      expect(served, source).toEqual(rows.map(asServed));
      expect(rows.length, source).toBeGreaterThan(0);
    }
  });

  it('answers offset/limit as OFFSET would even when the store changes between two pages', async () => {
    const { base } = await serviceWith('insurance', {});
    const endpoint = ENDPOINTS.insurance;
    const token = await tokenFor(base);
    const page = async (offset: number): Promise<Served[]> => (await answer(`${base}/v1/${endpoint.path}?offset=${offset}&limit=10`, token)).body['data'] as Served[];
    const stored = async (client: pg.PoolClient): Promise<Served[]> =>
      (
        await client.query<StoredRow>(`SELECT id, updated_at, deleted_at, body FROM insurance.records WHERE entity = $1 ORDER BY updated_at, id`, [endpoint.entity])
      ).rows.map(asServed);
    const first = await page(0);
    expect(first).toHaveLength(10);
    // Page 2 would now be served from where page 1 ended; a row sorted before all others shifts
    // every position by one, as it would on a real offset-paged API.
    const client = await store.connect();
    try {
      await client.query(`INSERT INTO insurance.records (entity, id, updated_at, deleted_at, body) VALUES ($1, 'SHIFTED', '1990-01-01', NULL, $2)`, [
        endpoint.entity,
        first[0],
      ]);
      const shifted = await page(10);
      expect(shifted).toEqual((await stored(client)).slice(10, 20));
      expect(shifted[0]).toEqual(first[9]);
      await client.query(`DELETE FROM insurance.records WHERE id = 'SHIFTED'`);
      expect(await page(10)).toEqual((await stored(client)).slice(10, 20));
      expect(await page(10)).not.toContainEqual(first[9]);
    } finally {
      await client.query(`DELETE FROM insurance.records WHERE id = 'SHIFTED'`);
      client.release();
    }
  });

  it('business registry: refuses a window wider than 5 days, and a query without both bounds', async () => {
    const base = t.sources.urls.business;
    const token = await tokenFor(base);
    const ok = await answer(`${base}/v1/enterprises?updated_since=2024-01-01T00:00:00Z&updated_until=2024-01-06T00:00:00Z`, token);
    expect(ok.status).toBe(200);
    for (const query of ['updated_since=2024-01-01T00:00:00Z&updated_until=2024-01-06T00:00:00.001Z', 'updated_since=2024-01-01T00:00:00Z', 'updated_until=2024-01-06T00:00:00Z', '']) {
      const refused = await answer(`${base}/v1/enterprises?${query}`, token);
      expect(refused.status, query).toBe(400);
      expect(refused.body).toMatchObject({ status: 'ERROR', error: 'INVALID_PARAMETER', errorCode: 300 });
    }
  });

  it('looks records up by id; an unknown or cancelled id is 404 RECORD_NOT_FOUND', async () => {
    const base = t.sources.urls.population;
    const token = await tokenFor(base);
    const client = await store.connect();
    const rows = await storedRows(client, 'population').finally(() => client.release());
    const live = rows.filter((r) => r.deleted_at === null).slice(0, 20);
    for (const row of live) {
      const a = await answer(`${base}/v1/citizens/${row.id}`, token);
      expect(a.status).toBe(200);
      expect(a.body['data']).toEqual(row.body);
    }
    const cancelled = rows.find((r) => r.deleted_at !== null);
    for (const id of ['084099999999', 'not-an-id', ...(cancelled === undefined ? [] : [cancelled.id])]) {
      const a = await answer(`${base}/v1/citizens/${id}`, token);
      expect(a.status, id).toBe(404);
      expect(a.body).toMatchObject({ status: 'ERROR', error: 'RECORD_NOT_FOUND', errorCode: 201 });
    }
    const land = await answer(`${t.sources.urls.land}/v1/parcels/no-such-parcel`, await tokenFor(t.sources.urls.land));
    expect(land.body).toMatchObject({ error: 'RECORD_NOT_FOUND', errorCode: 201 });
  });
});

describe('simulator mocks: tokens', () => {
  it('answers 401 AUTHEN_ERROR to a missing, unknown or expired token, and refuses bad client credentials', async () => {
    const { service, base } = await serviceWith('population', {});
    const token = await tokenFor(base);
    expect((await answer(`${base}/v1/citizens?limit=1`, token)).status).toBe(200);
    for (const bad of [null, 'not-a-token']) {
      const a = await answer(`${base}/v1/citizens?limit=1`, bad);
      expect(a.status).toBe(401);
      expect(a.body).toMatchObject({ error: 'AUTHEN_ERROR', errorCode: 100 });
    }
    service.tokens.expireAll();
    const expired = await answer(`${base}/v1/citizens?limit=1`, token);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: 'AUTHEN_ERROR', message: 'bearer token expired' });
    expect((await answer(`${base}/v1/citizens?limit=1`, await tokenFor(base))).status).toBe(200);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: 'wrong' }).toString();
    const refused = await request(`${base}/oauth2/token`, { method: 'POST', form });
    expect(refused !== 'reset' && refused.status).toBe(401);
  });

  it('expires tokens after their time to live', async () => {
    const { base } = await serviceWith('population', {}, 1);
    const token = await tokenFor(base);
    expect((await answer(`${base}/v1/citizens?limit=1`, token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await answer(`${base}/v1/citizens?limit=1`, token)).body).toMatchObject({ error: 'AUTHEN_ERROR', message: 'bearer token expired' });
  });
});

describe('simulator mocks: faults', () => {
  /** |observed − n·p| within 4.5 standard deviations (a false alarm about once in 150,000 runs). */
  const withinBinomial = (observed: number, n: number, p: number): void => {
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(4.5 * sd);
  };

  it('throttles, fails and resets at the configured rates, and counts exactly what the client met', async () => {
    const n = 2000;
    const { service, base } = await serviceWith('insurance', { rate429: 0.1, rate5xx: 0.1, rateReset: 0.1, retryAfterSeconds: 2 });
    const token = await tokenFor(base);
    const seen = { ok: 0, throttled: 0, serverErrors: 0, resets: 0, retryAfter: new Set<string>() };
    const one = async (): Promise<void> => {
      const a = await request(`${base}/v1/participants?limit=1`, { token });
      if (a === 'reset') seen.resets++;
      else if (a.status === 429) {
        seen.throttled++;
        seen.retryAfter.add(String(a.headers['retry-after']));
      } else if (a.status >= 500) seen.serverErrors++;
      else if (a.status === 200) seen.ok++;
    };
    for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, one));
    expect(seen.ok + seen.throttled + seen.serverErrors + seen.resets).toBe(n);
    expect(service.faults.counts).toMatchObject({ requests: n, throttled: seen.throttled, serverErrors: seen.serverErrors, resets: seen.resets });
    withinBinomial(seen.throttled, n, 0.1);
    withinBinomial(seen.serverErrors, n, 0.1);
    withinBinomial(seen.resets, n, 0.1);
    expect([...seen.retryAfter]).toEqual(['2']);
  });

  const realDate = (value: unknown): boolean => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

  /** Which rule a served body breaks, judged from the body alone by the rules the connectors apply (src/domain). */
  const broken: Record<NationalSource, (b: Served) => Malformation | null> = {
    population: (b) =>
      !('fullName' in b) ? 'missing-field' : String(b['fullName']).length > 1000 ? 'oversized-string' : personalIdProblem(String(b['personalId'])) !== null ? 'bad-checksum' : !realDate(b['birthDate']) ? 'impossible-date' : null,
    business: (b) =>
      !('name' in b) ? 'missing-field' : String(b['name']).length > 1000 ? 'oversized-string' : enterpriseCodeProblem(String(b['enterpriseCode'])) !== null ? 'bad-checksum' : !realDate(b['registrationDate']) ? 'impossible-date' : null,
    insurance: (b) => {
      const periods = b['contributionPeriods'] as Served[];
      return !('personalId' in b) ? 'missing-field' : String(b['healthCardNumber']).length > 1000 ? 'oversized-string' : personalIdProblem(String(b['personalId'])) !== null ? 'bad-checksum' : periods.length > 0 && !realDate(periods[0]?.['from']) ? 'impossible-date' : null;
    },
    land: (b) => {
      const owners = b['owners'] as Served[];
      return !('area' in b) ? 'missing-field' : String(b['certificateSerial']).length > 1000 ? 'oversized-string' : communeCodeProblem(String(b['communeCode'])) !== null ? 'bad-checksum' : owners.length > 0 && !realDate(owners[0]?.['from']) ? 'impossible-date' : null;
    },
  };

  it('serves malformed records at the configured rate, each breaking its rule, counted per kind', async () => {
    for (const source of NATIONAL_SOURCES) {
      const { service, base } = await serviceWith(source, { rateMalformed: 0.2 });
      const token = await tokenFor(base);
      const client = await store.connect();
      const rows = await storedRows(client, source).finally(() => client.release());
      const served = await pageAll(base, token, ENDPOINTS[source], 500, { from: rows[0]?.updated_at.toISOString() ?? '', to: endOfDay(START) });
      expect(served).toHaveLength(rows.length);
      const seen: Record<Malformation, number> = { 'bad-checksum': 0, 'impossible-date': 0, 'missing-field': 0, 'oversized-string': 0 };
      let live = 0;
      served.forEach((body, i) => {
        const row = rows[i] as StoredRow;
        if (row.deleted_at !== null) return expect(body).toEqual(asServed(row));
        live++;
        const kind = broken[source](body);
        if (kind === null) expect(body, source).toEqual(row.body);
        else seen[kind]++;
      });
      expect(service.faults.counts.malformed, source).toEqual(seen);
      const total = Object.values(seen).reduce((a, b) => a + b, 0);
      if (live > 500) withinBinomial(total, live, 0.2);
      expect(total, source).toBeGreaterThan(0);
      // Served again, a malformed record is the same bad record, and not counted twice.
      await pageAll(base, token, ENDPOINTS[source], 500, { from: rows[0]?.updated_at.toISOString() ?? '', to: endOfDay(START) });
      expect(service.faults.counts.malformed, source).toEqual(seen);
    }
  });
});

describe('simulator store: time moves on', () => {
  it('after advance(1), updated_since returns exactly what changed in the store, deletions included', async () => {
    const before = new Map<string, Map<string, StoredRow>>();
    const client = await connect(t.simStoreUrl);
    let result: AdvanceResult;
    try {
      for (const source of NATIONAL_SOURCES) before.set(source, new Map((await storedRows(client, source)).map((r) => [r.id, r])));
      result = await advanceWorld(client, 1);
    } finally {
      await client.end();
    }
    expect(result.to.asOf).toBe(DELETION_DAY);
    expect(result.changedSince).toBe(new Date(Date.parse(endOfDay(START)) + 1).toISOString());
    let deletions = 0;
    for (const source of NATIONAL_SOURCES) {
      const reader = await store.connect();
      const after = await storedRows(reader, source).finally(() => reader.release());
      const old = before.get(source) ?? new Map<string, StoredRow>();
      // The store's own diff: rows new or different from before.
      const diff = after.filter((r) => JSON.stringify(old.get(r.id)) !== JSON.stringify(r));
      const token = await tokenFor(t.sources.urls[source]);
      const served = await pageAll(t.sources.urls[source], token, ENDPOINTS[source], 37, { since: result.changedSince, to: endOfDay(DELETION_DAY) });
      expect(served, source).toEqual(diff.map(asServed));
      const counts = result.counts[`${source}.${ENDPOINTS[source].entity}`];
      expect((counts?.inserted ?? 0) + (counts?.updated ?? 0), source).toBe(diff.length);
      expect(counts?.inserted, source).toBe(diff.filter((r) => !old.has(r.id)).length);
      const newlyDeleted = diff.filter((r) => r.deleted_at !== null && old.get(r.id)?.deleted_at === null);
      expect(counts?.deleted, source).toBe(diff.filter((r) => r.deleted_at !== null).length);
      expect(served.filter((b) => 'deletedAt' in b).length).toBe(diff.filter((r) => r.deleted_at !== null).length);
      deletions += newlyDeleted.length;
    }
    expect(deletions).toBeGreaterThan(0);
    expect(result.counts['onestop.dossier']?.inserted).toBeGreaterThan(0);
  });

  it('store(asOf) + advance(d) equals store(asOf + d), table by table, with corrections, deaths and deletions in between', async () => {
    // From before the reorganisation to the first cancellation after it.
    const from = '2025-06-24';
    const days = Math.round((Date.parse(DELETION_DAY) - Date.parse(from)) / 86_400_000);
    const [advanced, direct] = [withDatabase(base(), dbName('advanced')), withDatabase(base(), dbName('direct'))];
    await Promise.all([dropDatabase(advanced), dropDatabase(direct)]);
    try {
      const world = { seed: SEED, scale: SCALE };
      let s = await startMockSources({ ...world, asOf: from, storeUrl: advanced, logger, ports: 'any' });
      await s.close();
      const client = await connect(advanced);
      const names = new Map((await client.query<{ id: string; name: string }>(`SELECT id, body->>'fullName' AS name FROM population.records`)).rows.map((r) => [r.id, r.name]));
      const result = await advanceWorld(client, days).finally(() => client.end());
      s = await startMockSources({ ...world, asOf: addDays(from, days), storeUrl: direct, logger, ports: 'any' });
      await s.close();
      const [a, b] = await Promise.all([storeFingerprint(advanced), storeFingerprint(direct)]);
      expect(a).toEqual(b);
      // What happened in those days, read from the advanced store.
      const after = await connect(advanced);
      try {
        const rows = (await after.query<{ id: string; name: string; died: boolean }>(
          `SELECT id, body->>'fullName' AS name, body->>'deathDate' IS NOT NULL AS died FROM population.records WHERE updated_at > $1`,
          [endOfDay(from)],
        )).rows;
        const corrected = rows.filter((r) => names.has(r.id) && names.get(r.id) !== r.name).length;
        expect(corrected, 'name corrections').toBeGreaterThan(0);
        expect(rows.filter((r) => r.died).length, 'deaths').toBeGreaterThan(0);
        expect(result.counts['population.citizen']?.deleted, 'deletions').toBeGreaterThan(0);
        expect(result.counts['onestop.agency']?.updated, 'districts abolished on 2025-07-01').toBeGreaterThan(0);
        expect(result.counts['onestop.agency']?.inserted, 'new units from 2025-07-01').toBeGreaterThan(0);
      } finally {
        await after.end();
      }
    } finally {
      await Promise.all([dropDatabase(advanced), dropDatabase(direct)]);
    }
  });
});
