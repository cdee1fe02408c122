import type { KafkaMessage } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../app/batch/extract.js';
import type { StreamFigures } from '../../src/connect/source-runner.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import type { FaultConfig, Malformation } from '../../simulator/mocks/faults.js';
import type { EntityEndpoint } from '../../simulator/mocks/lgsp-adapter.js';
import { BUSINESS_ENDPOINTS, INSURANCE_ENDPOINTS, LAND_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { POPULATION_ENDPOINTS } from '../../simulator/mocks/population.js';
import type { MockSourceName } from '../../simulator/mocks/serve.js';
import { advanceStore } from '../../simulator/store/store-tasks.js';
import { useDeployment } from '../harness/deployment.js';

const FAULTS: FaultConfig = { latencyMs: 0, rate5xx: 0.08, rate429: 0.03, retryAfterSeconds: 1, rateReset: 0.04, rateMalformed: 0.05, seed: 5 };

/** Per national source: its stream, entity, primary key, endpoint, and the field each malformation breaks. */
const HTTP_SOURCES: readonly {
  source: MockSourceName;
  stream: string;
  entity: string;
  key: string;
  endpoint: EntityEndpoint | undefined;
  field: Record<Malformation, string>;
}[] = [
  { source: 'population', stream: 'citizens', entity: 'citizen', key: 'personalId', endpoint: POPULATION_ENDPOINTS[0], field: { 'bad-checksum': 'personalId', 'impossible-date': 'birthDate', 'missing-field': 'fullName', 'oversized-string': 'fullName' } },
  { source: 'business', stream: 'enterprises', entity: 'enterprise', key: 'enterpriseCode', endpoint: BUSINESS_ENDPOINTS[0], field: { 'bad-checksum': 'enterpriseCode', 'impossible-date': 'registrationDate', 'missing-field': 'name', 'oversized-string': 'name' } },
  { source: 'insurance', stream: 'participants', entity: 'participant', key: 'insuranceCode', endpoint: INSURANCE_ENDPOINTS[0], field: { 'bad-checksum': 'personalId', 'impossible-date': 'contributionPeriods.0.from', 'missing-field': 'personalId', 'oversized-string': 'healthCardNumber' } },
  { source: 'land', stream: 'parcels', entity: 'parcel', key: 'parcelId', endpoint: LAND_ENDPOINTS[0], field: { 'bad-checksum': 'communeCode', 'impossible-date': 'owners.0.from', 'missing-field': 'area', 'oversized-string': 'certificateSerial' } },
];

const ONESTOP_TABLES: Readonly<Record<string, string>> = {
  procedures: 'procedure',
  agencies: 'agency',
  dossiers: 'dossier',
  dossier_components: 'dossier_component',
  ratings: 'rating',
};

interface Expected {
  /** `key@updatedAt` of every valid live record served. */
  readonly valid: Set<string>;
  readonly deleted: Set<string>;
  /** Served-malformed records: `key@updatedAt` → the field its problem must name. */
  readonly malformed: Map<string, string>;
  readonly served: number;
}

/**
 * Exactly once under faults: all five sources extracted while the mocks throttle, fail, reset
 * connections and serve malformed records. Every valid served record must be in its topic once,
 * every malformed one in the dead-letter topic once with a reason naming the field, and
 * served = produced + tombstones + dead-lettered for every stream.
 */
describe('the five connectors under faults', () => {
  // Retries under faults log a warning each: quiet unless LOG_LEVEL asks for them.
  const t = useDeployment({ world: { seed: 11, scale: 0.003, faults: FAULTS }, settings: { LGSP_HTTP_RETRIES: '30', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'error' }, migrate: false });
  let figures: StreamFigures[];

  const overrides = (): Record<string, Record<string, unknown>> => {
    const { urls } = t.sources;
    return {
      population: { baseUrl: urls.population, retryMinMs: 20, retryMaxMs: 200 },
      // The simulated registry's first registrations are from 1995-01-01 (local time): ~2,270 windows to walk.
      business: { baseUrl: urls.business, retryMinMs: 20, retryMaxMs: 200, snapshotFrom: '1994-12-31T00:00:00.000Z' },
      insurance: { baseUrl: urls.insurance, retryMinMs: 20, retryMaxMs: 200, pageSize: 100 },
      land: { baseUrl: urls.land, retryMinMs: 20, retryMaxMs: 200 },
      onestop: { databaseUrl: t.simStoreUrl },
    };
  };

  beforeAll(() => {
    // The business snapshot makes ~15 times more requests than the others, for ~15 enterprises at
    // this scale: fewer request faults (each 429 stalls the walk 1 s), more malformed records.
    const business = t.sources.services.find((s) => s.source === 'business');
    if (business !== undefined) business.faults.config = { ...business.faults.config, rate5xx: 0.02, rate429: 0.005, rateReset: 0.01, rateMalformed: 0.25 };
  });

  /** What a source served, from its store and its fault injector's (deterministic) decisions. */
  async function expected(source: (typeof HTTP_SOURCES)[number]): Promise<Expected> {
    const service = t.sources.services.find((s) => s.source === source.source);
    const rows = await t.queryStore<{ id: string; updated_at: Date; deleted_at: Date | null; body: Record<string, unknown> }>(
      `SELECT id, updated_at, deleted_at, body FROM ${source.source}.records WHERE entity = $1`,
      [source.entity],
    );
    const result: Expected = { valid: new Set(), deleted: new Set(), malformed: new Map(), served: rows.length };
    for (const row of rows) {
      const updatedAt = row.updated_at.toISOString();
      if (row.deleted_at !== null) {
        result.deleted.add(`${row.id}@${updatedAt}`);
        continue;
      }
      const kind = service?.faults.malformation(row.id, updatedAt) ?? null;
      const served = kind === null || source.endpoint === undefined ? row.body : source.endpoint.malform(structuredClone(row.body), kind);
      // A malformation that finds nothing to break (e.g. no contribution periods) serves a valid record.
      if (kind === null || JSON.stringify(served) === JSON.stringify(row.body)) result.valid.add(`${row.id}@${updatedAt}`);
      else result.malformed.set(`${String(served[source.key])}@${updatedAt}`, source.field[kind]);
    }
    return result;
  }

  async function read(topic: string): Promise<KafkaMessage[]> {
    const messages: KafkaMessage[] = [];
    await readToEnd(t.runtime.kafka, topic, (m) => messages.push(m));
    return messages;
  }

  function decodedIdentity(message: KafkaMessage, key: string): string {
    const value = t.runtime.catalogue.decode<Record<string, unknown>>(message.value ?? Buffer.alloc(0)).value;
    expect(String(value[key])).toBe(message.key?.toString());
    return `${String(value[key])}@${(value['updatedAt'] as Date).toISOString()}`;
  }

  it('moves every valid record once, dead-letters every malformed one naming the field, and counts retries', async () => {
    const { runtime } = t;
    figures = await extract(runtime, ['all'], { overrides: overrides() });
    const figure = (connector: string, stream: string): StreamFigures | undefined => figures.find((f) => f.connector === connector && f.stream === stream);

    const seenKinds = new Set<string>();
    await Promise.all(
      HTTP_SOURCES.map(async (source) => {
        const want = await expected(source);
        const topic = rawTopic(runtime.naming, source.source, source.entity);
        const [records, dead] = await Promise.all([read(topic), read(dlqTopic(topic))]);
        const f = figure(source.source, source.stream);
        const label = `${source.source}.${source.stream}`;

        // served = produced + tombstones + dead-lettered, and the topics hold exactly that.
        expect(f?.read, label).toBe(want.served);
        expect(f?.produced, label).toBe(want.valid.size);
        expect(f?.tombstones, label).toBe(want.deleted.size);
        expect(f?.deadLettered, label).toBe(want.malformed.size);
        expect(records.length, label).toBe(want.valid.size + want.deleted.size);
        expect(dead.length, label).toBe(want.malformed.size);

        const produced = records.filter((m) => m.value !== null).map((m) => decodedIdentity(m, source.key));
        expect(new Set(produced).size, `${label}: no duplicates`).toBe(produced.length);
        expect(new Set(produced), label).toEqual(want.valid);
        const tombstones = records.filter((m) => m.value === null).map((m) => `${m.key?.toString()}@${m.headers?.['lgsp.deleted-at']?.toString()}`);
        expect(new Set(tombstones), label).toEqual(want.deleted);

        for (const message of dead) {
          const offset = JSON.parse(message.headers?.['lgsp.source.offset']?.toString() ?? '{}') as { updatedAt: string; id: string };
          const field = want.malformed.get(`${offset.id}@${offset.updatedAt}`);
          expect(field, `${label}: dead letter ${offset.id} was served malformed`).toBeDefined();
          expect(message.headers?.['lgsp.error.code']?.toString()).toBe('RECORD_INVALID');
          expect(message.headers?.['lgsp.error.reason']?.toString(), `${label} ${offset.id}`).toMatch(new RegExp(`(^|; )${String(field).replace(/\./g, '\\.')}:`));
          seenKinds.add(String(field));
        }
        const deadIds = new Set(dead.map((m) => `${m.key?.toString()}@${(JSON.parse(m.headers?.['lgsp.source.offset']?.toString() ?? '{}') as { updatedAt: string }).updatedAt}`));
        expect(deadIds, label).toEqual(new Set(want.malformed.keys()));

        // Every failed request was retried, and the retries are this stream's.
        const faults = t.sources.services.find((s) => s.source === source.source)?.faults.counts;
        expect(f?.retries, label).toBe((faults?.throttled ?? 0) + (faults?.serverErrors ?? 0) + (faults?.resets ?? 0));
      }),
    );
    expect(figures.reduce((n, f) => n + f.retries, 0)).toBeGreaterThan(0);
    expect(figures.reduce((n, f) => n + f.deadLettered, 0)).toBeGreaterThan(0);
    expect(seenKinds.size, [...seenKinds].join(', ')).toBeGreaterThanOrEqual(6);

    // The one-stop system (SQL, no faults): every row once.
    for (const [stream, table] of Object.entries(ONESTOP_TABLES)) {
      const rows = await t.queryStore<{ n: number }>(`SELECT count(*)::int AS n FROM onestop.${table}`);
      const f = figure('onestop', stream);
      const messages = await read(rawTopic(runtime.naming, 'onestop', table));
      expect(f?.read, stream).toBe(rows[0]?.n);
      expect(f?.produced, stream).toBe(rows[0]?.n);
      expect(f?.deadLettered, stream).toBe(0);
      expect(messages, stream).toHaveLength(rows[0]?.n ?? -1);
      expect(new Set(messages.map((m) => m.key?.toString())).size, `${stream}: keys once`).toBe(messages.length);
    }
    expect(figures.map((f) => `${f.connector}.${f.stream}`)).toHaveLength(4 + 5);
  });

  it('a second extract with no change in the sources reads nothing from any stream', async () => {
    const again = await extract(t.runtime, ['all'], { overrides: overrides() });
    expect(again.map((f) => [`${f.connector}.${f.stream}`, f.read, f.transactions])).toEqual(figures.map((f) => [`${f.connector}.${f.stream}`, 0, 0]));
  });

  it.each([1, 10])('after the world moves on %i day(s), an extract reads exactly the changed records of every stream', async (days) => {
    const advanced = await advanceStore(t.simStoreUrl, days);
    const changed = async (table: string, where = ''): Promise<number> => {
      const [row] = await t.queryStore<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE updated_at >= $1 ${where}`, [advanced.changedSince]);
      return row?.n ?? -1;
    };
    const want: [string, number][] = [
      ...(await Promise.all(HTTP_SOURCES.map(async (s) => [`${s.source}.${s.stream}`, await changed(`${s.source}.records`, `AND entity = '${s.entity}'`)] as [string, number]))),
      ...(await Promise.all(Object.entries(ONESTOP_TABLES).map(async ([stream, table]) => [`onestop.${stream}`, await changed(`onestop.${table}`)] as [string, number]))),
    ];
    const delta = await extract(t.runtime, ['all'], { overrides: overrides() });
    expect(delta.map((f) => [`${f.connector}.${f.stream}`, f.read])).toEqual(want);
    // Seed 11 at this scale: a day changes dossiers, components and ratings; ten more days also citizens and parcels.
    expect(want.filter(([, n]) => n > 0).length).toBeGreaterThanOrEqual(days === 1 ? 3 : 5);
  });
});
