import { endOffsets } from '../../src/kafka/read-to-end.js';
import { readOffsets } from '../../src/connect/offset-store.js';
import { connectorOffsetsTopic } from '../../src/connect/source-runner.js';
import type { SourceOffset } from '../../src/connect/types.js';
import type pg from 'pg';
import { connect } from '../../src/db/postgres.js';
import { readToEnd } from '../../src/kafka/read-to-end.js';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import { storedOffsets } from '../../src/sink/offsets.js';
import type { Runtime } from '../runtime.js';

export interface RunSummary {
  readonly runId: number;
  readonly kind: string;
  readonly target: string;
  readonly status: string;
  readonly startedAt: Date;
  readonly seconds: number | null;
  readonly error: string | null;
}

export interface PlatformStatus {
  readonly runs: readonly RunSummary[];
  /**
   * Per pipeline: offsets left to load (topic end offsets − offsets stored in the warehouse), and
   * dead letters waiting in its outbox (not 0 only while the DLQ cannot be written).
   */
  readonly lag: readonly { readonly pipeline: string; readonly lag: number; readonly deadLettersWaiting: number }[];
  /** Dead-lettered records per raw topic. */
  readonly dlq: readonly { readonly topic: string; readonly records: number }[];
  /** Per source stream: the newest source change extracted (its committed source offset). */
  readonly freshness: readonly { readonly source: string; readonly stream: string; readonly extractedUpTo: string | null }[];
  readonly mart: MartStatus;
}

/** How current the mart is: its last refresh by a run, and the changes loads recorded since any refresh. */
export interface MartStatus {
  readonly lastRefresh: { readonly runId: number; readonly at: string; readonly facts: string; readonly dossiers: number; readonly seconds: number } | null;
  /** Keys in `mart_build.pending`: loaded but not yet in the facts (null before the mart exists). */
  readonly pendingChanges: number | null;
}

/** What an operator asks first: did the last runs work, how far behind are pipelines, what is dead-lettered, how fresh is each source. */
export async function platformStatus(runtime: Runtime, options: { runs?: number } = {}): Promise<PlatformStatus> {
  const db = await connect(runtime.settings.DATABASE_URL);
  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    const runs = await db.query<{ run_id: string; kind: string; target: string; status: string; started_at: Date; seconds: number | null; error: string | null }>(
      `SELECT run_id, kind, target, status, started_at, extract(epoch FROM finished_at - started_at)::float AS seconds, error
       FROM meta.runs ORDER BY run_id DESC LIMIT $1`,
      [options.runs ?? 10],
    );
    const existing = new Set(await admin.listTopics());

    const waiting = await db.query<{ pipeline: string; n: number }>(`SELECT pipeline, count(*)::int AS n FROM meta.dlq_outbox GROUP BY pipeline`);
    const lag: { pipeline: string; lag: number; deadLettersWaiting: number }[] = [];
    for (const [name, definition] of Object.entries(runtime.pipelines)) {
      const topics = definition.inputs.map((i) => rawTopic(runtime.naming, i.source, i.entity)).filter((t) => existing.has(t));
      const stored = await storedOffsets(db, name, topics);
      let total = 0;
      for (const topic of topics) {
        for (const p of await endOffsets(admin, topic)) {
          const next = stored.get(topic)?.get(p.partition) ?? BigInt(p.low);
          total += Math.max(0, Number(BigInt(p.high) - next));
        }
      }
      lag.push({ pipeline: name, lag: total, deadLettersWaiting: waiting.rows.find((w) => w.pipeline === name)?.n ?? 0 });
    }

    const dlq: { topic: string; records: number }[] = [];
    const freshness: { source: string; stream: string; extractedUpTo: string | null }[] = [];
    for (const [source, factory] of Object.entries(runtime.connectors)) {
      const connector = factory({ settings: runtime.settings, logger: runtime.logger });
      const offsetsTopic = connectorOffsetsTopic(runtime.naming, source);
      const offsets = existing.has(offsetsTopic) ? await readOffsets(runtime.kafka, offsetsTopic, source) : new Map<string, SourceOffset>();
      // The connector is built only to list its streams; it may hold a pool to close.
      await connector.close?.();
      for (const stream of connector.streams) {
        freshness.push({ source, stream: stream.name, extractedUpTo: offsets.get(stream.name)?.updatedAt ?? null });
        const topic = dlqTopic(rawTopic(runtime.naming, source, stream.entity));
        if (!existing.has(topic)) continue;
        let records = 0;
        await readToEnd(runtime.kafka, topic, () => {
          records += 1;
        });
        dlq.push({ topic, records });
      }
    }
    return {
      mart: await martStatus(db),
      runs: runs.rows.map((r) => ({
        runId: Number(r.run_id),
        kind: r.kind,
        target: r.target,
        status: r.status,
        startedAt: r.started_at,
        seconds: r.seconds,
        error: r.error,
      })),
      lag,
      dlq,
      freshness,
    };
  } finally {
    await admin.disconnect();
    await db.end();
  }
}

async function martStatus(db: pg.ClientBase): Promise<MartStatus> {
  const last = await db.query<{ run_id: string; at: string; facts: string; dossiers: number; seconds: number }>(
    `SELECT r.run_id, s ->> 'startedAt' AS at, s -> 'figures' ->> 'facts' AS facts, (s -> 'figures' ->> 'dossiers')::int AS dossiers, (s ->> 'seconds')::float AS seconds
     FROM meta.runs r, jsonb_array_elements(r.figures -> 'steps') s
     WHERE r.kind = 'run' AND s ->> 'step' = 'refresh-mart' AND s ->> 'status' = 'succeeded'
     ORDER BY r.run_id DESC LIMIT 1`,
  );
  const exists = await db.query<{ ok: boolean }>(`SELECT to_regclass('mart_build.pending') IS NOT NULL AS ok`);
  const pending = exists.rows[0]?.ok === true ? await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mart_build.pending') : null;
  const row = last.rows[0];
  return {
    lastRefresh: row === undefined ? null : { runId: Number(row.run_id), at: row.at, facts: row.facts, dossiers: row.dossiers, seconds: row.seconds },
    pendingChanges: pending?.rows[0]?.n ?? null,
  };
}
