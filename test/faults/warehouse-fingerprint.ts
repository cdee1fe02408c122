/**
 * What a fault must not change: the loaded warehouse tables and the mart's facts (the warehouse
 * fingerprint of test/harness/fingerprint.ts, without the lineage columns, which legitimately
 * differ between two correct runs), the raw topics (every served record exactly once), and the
 * stored consumer offsets (at the end of every partition).
 */
import { createHash } from 'node:crypto';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { rawTopic } from '../../src/kafka/topics.js';
import type { TestDeployment } from '../harness/deployment.js';
import { LINEAGE_COLUMNS, LOADED_TABLES, MART_TABLES, warehouseFingerprint, type TableFingerprint } from '../harness/fingerprint.js';
import { RAW_TOPICS } from '../harness/world-messages.js';

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

/**
 * The warehouse's fingerprint, the mart's facts and counters included (each run's refresh derives
 * them, incrementally after a failed run: after the faults they must equal the reference's too).
 */
export async function fingerprint(deployment: TestDeployment): Promise<Fingerprint> {
  const db = await deployment.db();
  const tables = await warehouseFingerprint(db, { tables: { ...LOADED_TABLES, ...MART_TABLES }, without: LINEAGE_COLUMNS });
  const [rejected] = await deployment.query<{ n: number }>('SELECT count(*)::int AS n FROM meta.rejected_records');
  const stored = await deployment.query<{ topic: string; partition: number; next: string }>(
    'SELECT topic, partition, min(next_offset)::text AS next FROM meta.consumer_offsets GROUP BY topic, partition',
  );
  const { topics, ends } = await topicFingerprints(deployment);
  const offsetsBehind: string[] = [];
  for (const [where, end] of ends) {
    const row = stored.find((r) => `${r.topic}[${r.partition}]` === where);
    const next = row === undefined ? 0n : BigInt(row.next);
    if (next < end) offsetsBehind.push(`${where}: stored ${next}, records up to ${end}`);
  }
  return { tables, topics, rejected: rejected?.n ?? 0, offsetsBehind };
}

/** Every raw topic read to its end (committed records only), and the offset after each partition's last record. */
async function topicFingerprints({ runtime }: TestDeployment): Promise<{ topics: Record<string, TopicFingerprint>; ends: Map<string, bigint> }> {
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
export async function stepSeconds(deployment: TestDeployment): Promise<string[]> {
  const [run] = await deployment.query<{ figures: { steps?: { step: string; seconds: number }[] } }>(
    `SELECT figures FROM meta.runs WHERE kind = 'run' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1`,
  );
  return (run?.figures.steps ?? []).map((s) => `${s.step} ${s.seconds.toFixed(1)}s`);
}
