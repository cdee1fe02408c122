import type { KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { createRuntime, type Runtime } from '../../app/runtime.js';
import type { StreamFigures } from '../../src/connect/source-runner.js';
import { enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { dlqTopic, ensureTopics, rawTopic } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import type { LoadFigures } from '../../src/sink/types.js';
import { migrateLatest } from '../../warehouse/migrator.js';
import { PIPELINES } from '../../pipelines/index.js';
import { BUSINESS_ENDPOINTS, INSURANCE_ENDPOINTS } from '../../simulator/mocks/national-endpoints.js';
import { POPULATION_ENDPOINTS } from '../../simulator/mocks/population.js';
import { serveCraftedRecords, type CraftedSources } from '../harness/crafted-source.js';
import { isolatedEnv, type IsolatedEnv } from '../harness/isolation.js';
import { CONNECTOR_CASES, type ConnectorCase, type CorpusSource } from './connector-cases.js';
import { PIPELINE_CASES } from './pipeline-cases.js';
import { DECLARED } from '../../app/deployment.js';

const STREAMS: Readonly<Record<CorpusSource, { stream: string; entity: string }>> = {
  population: { stream: 'citizens', entity: 'citizen' },
  business: { stream: 'enterprises', entity: 'enterprise' },
  insurance: { stream: 'participants', entity: 'participant' },
};

/** Text no warehouse row may hold: C0/C1 controls (but tab, LF, CR), bidi embeddings/overrides/isolates, U+FFFD. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFD]/u;

/** A UTF-16 surrogate without its other half: text that came from broken bytes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Outcome {
  readonly stage: 'connector' | 'pipeline';
  readonly name: string;
  where: string;
  reason: string;
}

/** Where each case ended, printed as a table when the file finishes. */
const outcomes: Outcome[] = [];

const printable = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- escaping them for the table
  text.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function printTable(): void {
  const rows = outcomes.map((o) => [o.stage, o.name, o.where, printable(o.reason).slice(0, 110)]);
  const header = ['stage', 'case', 'ended in', 'reason'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  console.log(['', line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n'));
}

/**
 * The bad-input corpus: hostile records served by a mock LGSP adapter and hostile messages
 * written straight to the raw topics, pushed through the real connectors and pipelines into the
 * real broker and warehouse. Every case ends where it should (topic + core, the DLQ, or
 * `meta.rejected_records`), with a reason that names the field; the figures reconcile per stage
 * (in = out + dead-lettered/rejected), and nothing invalid reaches `core`.
 */
describe('bad-input corpus', () => {
  let env: IsolatedEnv;
  let runtime: Runtime;
  let sources: CraftedSources;
  let db: pg.Client;
  let extracted: StreamFigures[] = [];
  let loaded: LoadFigures[] = [];
  const stamps = new Map<ConnectorCase, string>();

  beforeAll(async () => {
    env = isolatedEnv();
    const logger = createLogger({ level: env.settings.LOG_LEVEL === 'warn' ? 'error' : env.settings.LOG_LEVEL });
    await migrateLatest(env.settings.DATABASE_URL, logger);
    runtime = await createRuntime({ settings: env.settings, logger, declarations: DECLARED });
    // Recent update times: the business stream walks 5-day windows from `snapshotFrom` to now.
    const base = Date.now() - 2 * 86_400_000;
    CONNECTOR_CASES.forEach((c, i) => stamps.set(c, new Date(base + i * 1000).toISOString()));
    sources = await serveCraftedRecords(
      env.simStoreUrl,
      CONNECTOR_CASES.map((c) => {
        const updatedAt = stamps.get(c) ?? '';
        return { source: c.source, entity: STREAMS[c.source].entity, id: c.id, updatedAt, body: { ...c.body, updatedAt } };
      }),
      { population: POPULATION_ENDPOINTS, business: BUSINESS_ENDPOINTS, insurance: INSURANCE_ENDPOINTS },
      logger,
    );
    db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    printTable();
    await db?.end();
    await sources?.close();
    await env?.cleanup();
  });

  async function read(topic: string): Promise<KafkaMessage[]> {
    const messages: KafkaMessage[] = [];
    await readToEnd(runtime.kafka, topic, (m) => messages.push(m));
    return messages;
  }

  const header = (m: KafkaMessage, name: string): string | undefined => m.headers?.[name]?.toString();

  it('at the connector: each hostile record is dead-lettered naming the field, each odd-but-valid one produced', async () => {
    extracted = await extract(runtime, ['population', 'business', 'insurance'], {
      overrides: {
        population: { baseUrl: sources.urls.population, retryMinMs: 20, retryMaxMs: 200 },
        business: { baseUrl: sources.urls.business, retryMinMs: 20, retryMaxMs: 200, snapshotFrom: new Date(Date.now() - 4 * 86_400_000).toISOString() },
        insurance: { baseUrl: sources.urls.insurance, retryMinMs: 20, retryMaxMs: 200 },
      },
    });
    for (const [source, { stream, entity }] of Object.entries(STREAMS) as [CorpusSource, (typeof STREAMS)[CorpusSource]][]) {
      const cases = CONNECTOR_CASES.filter((c) => c.source === source);
      const topic = rawTopic(runtime.naming, source, entity);
      const [records, dead] = await Promise.all([read(topic), read(dlqTopic(topic))]);
      const figures = extracted.find((f) => f.connector === source && f.stream === stream);
      const wantDead = cases.filter((c) => 'dlq' in c.expect);

      for (const c of cases) {
        const letter = dead.find((m) => m.key?.toString() === c.id || (JSON.parse(header(m, 'lgsp.source.offset') ?? '{}') as { id?: string }).id === c.id);
        const record = records.find((m) => m.key?.toString() === c.id);
        const outcome: Outcome = { stage: 'connector', name: `${source}: ${c.name}`, where: '?', reason: '' };
        outcomes.push(outcome);
        if (letter !== undefined) {
          outcome.where = `${entity}.v1.dlq`;
          outcome.reason = header(letter, 'lgsp.error.reason') ?? '';
        } else if (record !== undefined) outcome.where = `${entity}.v1`;
        if ('dlq' in c.expect) {
          expect.soft(letter, c.name).toBeDefined();
          if (letter !== undefined) expect.soft(header(letter, 'lgsp.error.code'), c.name).toBe('RECORD_INVALID');
          expect.soft(outcome.reason, c.name).toMatch(new RegExp(`(^|; )${c.expect.dlq.replace(/\./g, '\\.')}: `));
        } else {
          expect.soft(record, c.name).toBeDefined();
          expect.soft(letter, c.name).toBeUndefined();
        }
      }
      // in = produced + dead-lettered, and the topics hold exactly that.
      expect(figures?.read, source).toBe(cases.length);
      expect((figures?.produced ?? 0) + (figures?.deadLettered ?? 0), source).toBe(cases.length);
      expect(figures?.deadLettered, source).toBe(wantDead.length);
      expect(records, source).toHaveLength(cases.length - wantDead.length);
      expect(dead, source).toHaveLength(wantDead.length);
    }
  });

  it('at the pipeline: undecodable and rule-breaking messages are rejected naming the field or the decode problem; the run goes on', async () => {
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      // Topics no connector of this test writes (the land and one-stop sources are not extracted here).
      const unextracted = [...new Set(PIPELINE_CASES.filter((c) => c.source === 'land' || c.source === 'onestop').map((c) => c.source))];
      const topics = unextracted.flatMap((source) => (PIPELINES[source]?.inputs ?? []).map((i) => rawTopic(runtime.naming, i.source, i.entity)));
      await ensureTopics(admin, topics.map((topic) => ({ topic, partitions: 3, compacted: true })));
    } finally {
      await admin.disconnect();
    }
    const producer = runtime.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const c of PIPELINE_CASES) {
        await producer.send({ topic: rawTopic(runtime.naming, c.source, c.entity), acks: -1, messages: [{ key: c.key, value: c.value(runtime.catalogue) }] });
      }
    } finally {
      await producer.disconnect();
    }

    loaded = await load(runtime, ['population', 'business', 'insurance', 'land', 'onestop']);

    // Per pipeline: in = loaded + rejected, and in = what the connectors produced + what was written here.
    for (const f of loaded) {
      const produced = extracted.filter((e) => e.connector === f.pipeline).reduce((n, e) => n + e.produced, 0);
      const written = PIPELINE_CASES.filter((c) => c.source === f.pipeline).length;
      expect(f.consumed - f.skipped, f.pipeline).toBe(produced + written);
      expect(f.loaded + f.updated + f.deleted + f.rejected, f.pipeline).toBe(f.consumed - f.skipped);
      const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM meta.rejected_records WHERE pipeline = $1`, [f.pipeline]);
      expect(stored.rows[0]?.n, f.pipeline).toBe(f.rejected);
    }

    const rejects = await db.query<{ record_key: string; reason: string; error_code: string; topic: string }>(
      `SELECT record_key, reason, error_code, topic FROM meta.rejected_records`,
    );
    const letters = new Map<string, KafkaMessage[]>();
    for (const topic of new Set(PIPELINE_CASES.map((c) => rawTopic(runtime.naming, c.source, c.entity)))) {
      letters.set(topic, (await read(dlqTopic(topic))).filter((m) => header(m, 'lgsp.source.topic') !== undefined));
    }
    for (const c of PIPELINE_CASES) {
      const topic = rawTopic(runtime.naming, c.source, c.entity);
      const reject = rejects.rows.find((r) => r.record_key === c.key && r.topic === topic);
      const letter = letters.get(topic)?.find((m) => m.key?.toString() === c.key);
      const outcome: Outcome = { stage: 'pipeline', name: `${c.source}: ${c.name}`, where: '?', reason: '' };
      outcomes.push(outcome);
      if (reject !== undefined) {
        outcome.where = `rejected_records + ${c.entity}.v1.dlq${letter === undefined ? ' (no letter!)' : ''}`;
        outcome.reason = `${reject.error_code} ${reject.reason}`;
      }
      if ('rejected' in c.expect) {
        expect.soft(reject, c.name).toBeDefined();
        expect.soft(reject?.reason, c.name).toMatch(c.expect.rejected);
        expect.soft(header(letter ?? ({} as KafkaMessage), 'lgsp.error.reason'), c.name).toBe(reject?.reason.slice(0, 2000));
      } else {
        const { table, key, column, value } = c.expect.loads;
        const row = await db.query<Record<string, string>>(`SELECT ${column} AS v FROM ${table} WHERE ${key} = $1`, [c.key]);
        if (row.rows.length > 0) outcome.where = table;
        expect.soft(reject, c.name).toBeUndefined();
        expect.soft(row.rows, c.name).toEqual([{ v: value }]);
      }
    }
    // Nothing dead-lettered by a pipeline that is not in meta.rejected_records.
    const pipelineLetters = [...letters.values()].flat().length;
    expect(pipelineLetters).toBe(rejects.rows.filter((r) => letters.has(r.topic)).length);
  });

  it('odd-but-valid source records load exactly as given; dead-lettered ones never reach core', async () => {
    for (const c of CONNECTOR_CASES) {
      const outcome = outcomes.find((o) => o.stage === 'connector' && o.name === `${c.source}: ${c.name}`);
      if ('loads' in c.expect) {
        const { table, key, column, value } = c.expect.loads;
        const row = await db.query<{ v: string }>(`SELECT ${column} AS v FROM ${table} WHERE ${key} = $1`, [c.id]);
        if (outcome !== undefined && row.rows.length > 0) outcome.where = `${outcome.where} → ${table}`;
        expect(row.rows, c.name).toEqual([{ v: value }]);
      }
    }
    const citizens = await db.query<{ personal_id: string }>(`SELECT personal_id FROM core.citizen`);
    const loadedIds = new Set(citizens.rows.map((r) => r.personal_id));
    for (const c of CONNECTOR_CASES.filter((x) => x.source === 'population' && 'dlq' in x.expect)) expect(loadedIds.has(c.id), c.name).toBe(false);
    for (const c of PIPELINE_CASES.filter((x) => x.source === 'population' && 'rejected' in x.expect)) expect(loadedIds.has(c.key), c.name).toBe(false);
  });

  it('nothing unvalidated reached core: no control characters, broken text or invalid personal IDs', async () => {
    const citizens = await db.query<{ personal_id: string; full_name: string; household_id: string; birth_date: string }>(
      `SELECT personal_id, full_name, household_id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM core.citizen`,
    );
    expect(citizens.rows.length).toBeGreaterThan(0);
    for (const row of citizens.rows) {
      expect(personalIdProblem(row.personal_id, row.birth_date), row.personal_id).toBeNull();
      for (const text of [row.full_name, row.household_id]) {
        expect(FORBIDDEN_TEXT.test(text) || LONE_SURROGATE.test(text), `${row.personal_id}: ${printable(text)}`).toBe(false);
        expect(text.trim().length, row.personal_id).toBeGreaterThan(0);
      }
    }
    const businesses = await db.query<{ enterprise_code: string; name: string; legal_type: string }>(`SELECT enterprise_code, name, legal_type FROM core.business`);
    expect(businesses.rows.length).toBeGreaterThan(0);
    for (const row of businesses.rows) {
      expect(enterpriseCodeProblem(row.enterprise_code), row.enterprise_code).toBeNull();
      for (const text of [row.name, row.legal_type]) expect(FORBIDDEN_TEXT.test(text), row.enterprise_code).toBe(false);
    }
    const participants = await db.query<{ insurance_code: string; health_card_number: string }>(`SELECT insurance_code, health_card_number FROM core.insurance_participant`);
    expect(participants.rows.length).toBeGreaterThan(0);
    for (const row of participants.rows) expect(row.health_card_number.endsWith(row.insurance_code), row.insurance_code).toBe(true);
    const periods = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.insurance_contribution_period WHERE period_to <= period_from`);
    expect(periods.rows[0]?.n).toBe(0);
    const dossiers = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier WHERE finished_at < received_at OR fee < 0`);
    expect(dossiers.rows[0]?.n).toBe(0);
  });
});
