import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { dlqTopic, ensureTopics, rawTopic } from '../../src/kafka/topics.js';
import { createWorld } from '../../simulator/world/index.js';
import { startCli } from '../harness/cli.js';
import { useDeployment, type TestDeployment } from '../harness/deployment.js';
import { LINEAGE_COLUMNS, MART_TABLES, warehouseFingerprint } from '../harness/fingerprint.js';
import { RAW_TOPICS } from '../harness/world-messages.js';
import { hostileMessages, type HostileMessage } from './hostile-cases.js';
import type { Reconciliation } from '../../app/admin/reconcile.js';

const WORLD = { seed: 15, scale: 0.002 } as const;

/**
 * Hostile messages written straight onto the raw topics of a deployment that has loaded its world
 * (test/corpus/hostile-cases.ts), then two nightly runs, `lgsp run` as an operator runs it. Both
 * exit 0; every hostile message ends where its case says, rejected with a reason naming the field
 * or loaded as given; the warehouse holds every good record unchanged — the same as a deployment
 * of the same world that never met a hostile message — and the mart is refreshed.
 */
describe('hostile messages on the topics never stop a night', () => {
  const hostile = useDeployment({ world: WORLD });
  const reference = useDeployment({ world: WORLD });

  async function night(t: TestDeployment): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const started = Date.now();
    // The sources the hostile messages are written to (the other three would only add minutes).
    const result = await startCli(['run', '--sources', 'population,onestop', '--pipelines', 'population,onestop'], t.cliEnv()).done;
    console.log(`lgsp run (${t.id}): exit ${result.code} in ${((Date.now() - started) / 1000).toFixed(1)} s\n${result.stdout.slice(0, 3000)}${result.stderr.slice(0, 3000)}`);
    return result;
  }

  async function write(t: TestDeployment, messages: readonly HostileMessage[]): Promise<void> {
    const { kafka, naming } = t.runtime;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, RAW_TOPICS.map(([s, e]) => ({ topic: rawTopic(naming, s, e), partitions: t.settings.LGSP_TOPIC_PARTITIONS, compacted: true })));
    } finally {
      await admin.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    try {
      for (const m of messages) {
        await producer.send({
          topic: rawTopic(naming, m.source, m.entity),
          acks: -1,
          messages: [{ key: m.key, value: m.value, ...(m.headers === undefined ? {} : { headers: m.headers }), ...(m.partition === undefined ? {} : { partition: m.partition }) }],
        });
      }
    } finally {
      await producer.disconnect();
    }
  }

  it('two nights after the hostile writes both succeed, and every hostile message ends where it should', { timeout: 900_000 }, async () => {
    const [first, clean] = await Promise.all([night(hostile), night(reference)]);
    expect(first.stderr).toBe('');
    expect(clean.stderr).toBe('');
    const messages = hostileMessages(createWorld(WORLD), hostile.runtime.catalogue, hostile.settings.LGSP_TOPIC_PARTITIONS);
    await write(hostile, messages);

    for (const n of [1, 2]) {
      const result = await night(hostile);
      expect(result.stderr, `night ${n} after the hostile writes`).toBe('');
      expect(result.code, `night ${n}`).toBe(0);
    }

    const rejected = await hostile.query<{ topic: string; partition: number; offset: string; reason: string; payload_bytes: number | null; record_key: string | null }>(
      `SELECT topic, partition, "offset"::text AS offset, reason, octet_length(payload) AS payload_bytes, left(record_key, 40) AS record_key FROM meta.rejected_records`,
    );
    const letters = new Map<string, KafkaMessage[]>();
    for (const topic of new Set(messages.map((m) => rawTopic(hostile.runtime.naming, m.source, m.entity)))) {
      const found: KafkaMessage[] = [];
      await readToEnd(hostile.runtime.kafka, dlqTopic(topic), (m) => found.push(m));
      letters.set(topic, found);
    }
    for (const m of messages) {
      const topic = rawTopic(hostile.runtime.naming, m.source, m.entity);
      const written = rejected.filter((r) => r.topic === topic && (m.key === null ? r.record_key === null : r.record_key === m.key.toString('utf8').slice(0, 40)));
      const expected = m.expect;
      if ('rejected' in expected) {
        const reject = written.find((r) => expected.rejected.test(r.reason));
        expect.soft(reject, `${m.name}: rejected, reasons ${JSON.stringify(written.map((r) => r.reason.slice(0, 120)))}`).toBeDefined();
        if (reject === undefined) continue;
        expect.soft(reject.payload_bytes, `${m.name}: the whole record kept`).toBe(m.value?.length ?? null);
        const letter = letters
          .get(topic)
          ?.find((l) => l.headers?.['lgsp.source.offset']?.toString() === reject.offset && l.headers['lgsp.source.partition']?.toString() === String(reject.partition));
        expect.soft(letter, `${m.name}: dead-lettered`).toBeDefined();
        const cut = letter?.headers?.['lgsp.dlq.value-cut'] ?? letter?.headers?.['lgsp.dlq.key-cut'];
        if (expected.deadLetterCut === true) expect.soft(cut?.toString(), `${m.name}: the dead letter says it was cut`).toMatch(/bytes, cut to \d+; the whole record: meta\.rejected_records/);
      } else {
        const { table, keyColumn, key, column, value } = expected.loads;
        expect.soft(await hostile.query(`SELECT ${column} AS v FROM ${table} WHERE ${keyColumn} = $1`, [key]), m.name).toEqual([{ v: value }]);
        expect.soft(written, `${m.name}: not rejected`).toEqual([]);
      }
    }

    // The mart was refreshed, and counts what the reference counts (no hostile record that loads is a dossier's).
    const mart = { without: LINEAGE_COLUMNS, tables: MART_TABLES };
    expect(await warehouseFingerprint(await hostile.db(), mart)).toEqual(await warehouseFingerprint(await reference.db(), mart));
    expect(await hostile.query(`SELECT count(*)::int AS n FROM mart_build.pending`)).toEqual([{ n: 0 }]);
    expect(await hostile.query(`SELECT count(*)::int AS n FROM meta.dlq_outbox`)).toEqual([{ n: 0 }]);

    // Every night adds up (lgsp reconcile): the hostile messages are consumed, and rejected with
    // their record kept or loaded; the night after the writes notes them as another producer's.
    const runs = await hostile.query<{ run_id: string }>(`SELECT run_id::text AS run_id FROM meta.runs WHERE kind = 'run' ORDER BY run_id`);
    expect(runs).toHaveLength(3);
    for (const [i, { run_id }] of runs.entries()) {
      const out = await startCli(['reconcile', '--run', run_id, '--json'], hostile.cliEnv()).done;
      expect(out.code, `reconcile night ${i}: ${out.stdout.slice(0, 2000)}${out.stderr}`).toBe(0);
      const r = JSON.parse(out.stdout) as Reconciliation;
      expect(r.unexplained).toBe(0);
      if (i === 1) {
        const hostileTopics = new Set(messages.map((m) => rawTopic(hostile.runtime.naming, m.source, m.entity)));
        const noted = r.lines.filter((l) => l.status === 'note' && /written by another producer/.test(l.text)).map((l) => l.subject.replace(/^topic (\S+) → .*$/, '$1'));
        expect(new Set(noted)).toEqual(hostileTopics);
        expect(r.load.reduce((n, l) => n + l.rejected, 0)).toBe(messages.filter((m) => 'rejected' in m.expect).length);
      }
    }

    // Every good record as a deployment that never met a hostile message holds it; the hostile
    // records that load as given are the only rows beyond.
    const loadedKeys = messages.flatMap((m) => ('loads' in m.expect ? [m.expect.loads.key] : []));
    await hostile.query(`DELETE FROM core.citizen_residence_history WHERE personal_id = ANY($1)`, [loadedKeys]);
    await hostile.query(`DELETE FROM core.citizen WHERE personal_id = ANY($1)`, [loadedKeys]);
    const tables = await warehouseFingerprint(await hostile.db(), { without: LINEAGE_COLUMNS });
    expect(tables).toEqual(await warehouseFingerprint(await reference.db(), { without: LINEAGE_COLUMNS }));
  });
});
