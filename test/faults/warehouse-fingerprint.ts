/**
 * What a fault must not change: the loaded warehouse tables (row counts and content hashes without
 * the lineage columns, which legitimately differ between two correct runs) and the mart's facts, the raw topics (every
 * served record exactly once), and the stored consumer offsets (at the end of every partition).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createRuntime } from '../../app/runtime.js';
import type { Settings } from '../../src/config/settings.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { rawTopic } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/logger.js';
import { INDICATOR_COUNTS_KEYS } from '../../warehouse/mart/indicator-views.js';
import { LOADED_TABLES, RAW_TOPICS } from '../harness/world-messages.js';
import { DECLARED } from '../../app/deployment.js';

/**
 * The mart's facts and counters, derived by each run's refresh (incremental after a failed run):
 * after the faults they must equal the reference's too.
 */
const MART_TABLES: Readonly<Record<string, string>> = {
  'mart.component_fact': 'dossier_code, seq',
  'mart.dossier_fact': 'dossier_code',
  'mart.indicator_counts': INDICATOR_COUNTS_KEYS.join(', '),
};

/** Lineage: which run, topic, partition and offset loaded a row, and when. */
const LINEAGE = ['run_id', 'loaded_at', 'src_topic', 'src_partition', 'src_offset'] as const;

export interface TableFingerprint {
  readonly rows: number;
  readonly md5: string | null;
  /** Rows minus distinct keys: must be 0. */
  readonly duplicateKeys: number;
}

export interface TopicFingerprint {
  readonly messages: number;
  /** Messages minus distinct (key, value) records: must be 0. */
  readonly duplicates: number;
  readonly md5: string;
}

export interface Fingerprint {
  readonly tables: Record<string, TableFingerprint>;
  /** By topic name without the deployment's prefix. */
  readonly topics: Record<string, TopicFingerprint>;
  readonly rejected: number;
  /** `topic[partition]: stored next_offset vs the offset after the last record`, for every partition not loaded to its end. */
  readonly offsetsBehind: readonly string[];
}

export async function fingerprint(settings: Settings): Promise<Fingerprint> {
  const db = new pg.Client({ connectionString: settings.DATABASE_URL });
  await db.connect();
  try {
    const tables: Record<string, TableFingerprint> = {};
    for (const [table, key] of Object.entries({ ...LOADED_TABLES, ...MART_TABLES })) {
      const drop = LINEAGE.map((c) => ` - '${c}'`).join('');
      const result = await db.query<TableFingerprint>(
        `SELECT count(*)::int AS rows, md5(string_agg((to_jsonb(t)${drop})::text, E'\\n' ORDER BY ${key})) AS md5,
                (count(*) - count(DISTINCT (${key})))::int AS "duplicateKeys"
           FROM ${table} t`,
      );
      tables[table] = result.rows[0] ?? { rows: 0, md5: null, duplicateKeys: 0 };
    }
    const rejected = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM meta.rejected_records')).rows[0]?.n ?? 0;
    const stored = await db.query<{ topic: string; partition: number; next: string }>(
      'SELECT topic, partition, min(next_offset)::text AS next FROM meta.consumer_offsets GROUP BY topic, partition',
    );
    const { topics, ends } = await topicFingerprints(settings);
    const offsetsBehind: string[] = [];
    for (const [where, end] of ends) {
      const row = stored.rows.find((r) => `${r.topic}[${r.partition}]` === where);
      const next = row === undefined ? 0n : BigInt(row.next);
      if (next < end) offsetsBehind.push(`${where}: stored ${next}, records up to ${end}`);
    }
    return { tables, topics, rejected, offsetsBehind };
  } finally {
    await db.end();
  }
}

/** Every raw topic read to its end (committed records only), and the offset after each partition's last record. */
async function topicFingerprints(settings: Settings): Promise<{ topics: Record<string, TopicFingerprint>; ends: Map<string, bigint> }> {
  const runtime = await createRuntime({ settings, logger: createLogger({ level: 'error' }), declarations: DECLARED });
  const admin = runtime.kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin.disconnect();
  const topics: Record<string, TopicFingerprint> = {};
  const ends = new Map<string, bigint>();
  for (const [source, entity] of RAW_TOPICS) {
    const topic = rawTopic(runtime.naming, source, entity);
    const identities: string[] = [];
    if (existing.has(topic)) {
      await readToEnd(runtime.kafka, topic, (m, partition) => {
        const body = m.value === null ? `tombstone@${m.headers?.['lgsp.deleted-at']?.toString() ?? ''}` : createHash('sha1').update(m.value).digest('hex');
        identities.push(`${m.key?.toString() ?? ''}=${body}`);
        const where = `${topic}[${partition}]`;
        const after = BigInt(m.offset) + 1n;
        if (after > (ends.get(where) ?? 0n)) ends.set(where, after);
      });
    }
    identities.sort();
    topics[rawTopic({ prefix: '' }, source, entity)] = {
      messages: identities.length,
      duplicates: identities.length - new Set(identities).size,
      md5: createHash('md5').update(identities.join('\n')).digest('hex'),
    };
  }
  return { topics, ends };
}

/** Differences from the reference, in words; empty when the faulted run ended equal to it. */
export function differences(actual: Fingerprint, reference: Fingerprint): string[] {
  const found: string[] = [];
  for (const [table, expected] of Object.entries(reference.tables)) {
    const got = actual.tables[table];
    if (got?.rows !== expected.rows) found.push(`${table}: ${got?.rows ?? 'no'} rows, reference ${expected.rows}`);
    else if (got.md5 !== expected.md5) found.push(`${table}: same ${got.rows} rows, different content`);
    if ((got?.duplicateKeys ?? 0) > 0) found.push(`${table}: ${got?.duplicateKeys} duplicate keys`);
  }
  for (const [topic, expected] of Object.entries(reference.topics)) {
    const got = actual.topics[topic];
    if (got === undefined) found.push(`${topic}: missing`);
    else if (got.duplicates > 0) found.push(`${topic}: ${got.duplicates} duplicated records (${got.messages} messages, reference ${expected.messages})`);
    else if (got.messages !== expected.messages) found.push(`${topic}: ${got.messages} messages, reference ${expected.messages}`);
    else if (got.md5 !== expected.md5) found.push(`${topic}: same ${got.messages} messages, different records`);
  }
  if (actual.rejected !== reference.rejected) found.push(`meta.rejected_records: ${actual.rejected}, reference ${reference.rejected}`);
  found.push(...actual.offsetsBehind.map((o) => `meta.consumer_offsets behind: ${o}`));
  return found;
}

/** `step 1.2s` for each step of the warehouse's last successful nightly run (from meta.runs). */
export async function stepSeconds(env: { settings: Settings }): Promise<string[]> {
  const db = new pg.Client({ connectionString: env.settings.DATABASE_URL });
  await db.connect();
  try {
    const run = await db.query<{ figures: { steps?: { step: string; seconds: number }[] } }>(
      `SELECT figures FROM meta.runs WHERE kind = 'run' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
    );
    return (run.rows[0]?.figures.steps ?? []).map((s) => `${s.step} ${s.seconds.toFixed(1)}s`);
  } finally {
    await db.end();
  }
}
