import type pg from 'pg';
import { rawTopic, type TopicNaming } from '../../src/kafka/topics.js';
import type { PipelineDefinition } from '../../src/sink/types.js';
import { heldRows, latestRunId, outboxWaiting, readRunFacts, tableBalance, type HeldRows, type RunFacts } from './reconcile-facts.js';

/**
 * `lgsp reconcile`: how an operator sees "nothing lost" for one night. Every record read from a
 * source is produced, a tombstone, or dead-lettered at extract; every message a load consumed is
 * inserted, updated, deleted, unchanged, rejected (and recorded in meta.rejected_records), or
 * skipped as already loaded; every row in a core table is one that the counted loads inserted and
 * did not delete. A count that does not add up is a line `unexplained`; what adds up with a known
 * reason (dead letters still in the outbox, messages from another producer) is a `note`.
 */
export type LineStatus = 'ok' | 'note' | 'unexplained';

export interface ReconcileLine {
  readonly status: LineStatus;
  readonly subject: string;
  readonly text: string;
}

export interface Reconciliation {
  readonly runId: number;
  readonly kind: string;
  readonly status: string;
  readonly extract: readonly { connector: string; stream: string; topic: string; read: number; produced: number; tombstones: number; deadLettered: number }[];
  readonly load: readonly {
    pipeline: string;
    topic: string;
    consumed: number;
    inserted: number;
    updated: number;
    deleted: number;
    unchanged: number;
    rejected: number;
    skipped: number;
    rejectsRecorded: number;
  }[];
  readonly tables: readonly { table: string; rows: number; counted: number }[];
  readonly lines: readonly ReconcileLine[];
  readonly unexplained: number;
}

export interface ReconcileOptions {
  /** The run (meta.runs); the latest nightly run when absent. */
  readonly runId?: number;
  readonly pipelines: Readonly<Record<string, PipelineDefinition>>;
  readonly naming: TopicNaming;
  /** Rows of the core tables counted beforehand ({@link countHeldRows}); the others are counted here. */
  readonly held?: ReadonlyMap<string, HeldRows>;
}

/** The core tables the named pipelines load: those whose rows a reconciliation balances. */
export function loadedTables(pipelines: Readonly<Record<string, PipelineDefinition>>, names: readonly string[]): string[] {
  return [...new Set(names.flatMap((name) => pipelines[name]?.inputs.map((input) => input.target.table) ?? []))];
}

/** Counts the rows of the tables, one after another on this connection (whole scans; the nightly run's use: nightly-run.ts). */
export async function countHeldRows(db: Pick<pg.ClientBase, 'query'>, tables: readonly string[]): Promise<Map<string, HeldRows>> {
  const held = new Map<string, HeldRows>();
  for (const table of tables) held.set(table, await heldRows(db, table));
  return held;
}

export async function reconcile(db: pg.ClientBase, options: ReconcileOptions): Promise<Reconciliation> {
  const facts = await readRunFacts(db, options.runId ?? (await latestRunId(db)));
  const waiting = await outboxWaiting(db);
  const lines: ReconcileLine[] = [...stepLines(facts), ...extractLines(facts), ...loadLines(facts, waiting), ...topicLines(facts)];
  const tables = await balances(db, facts, options);
  lines.push(...tables.lines);
  return {
    runId: facts.runId,
    kind: facts.kind,
    status: facts.status,
    extract: facts.extracted.map((f) => ({ connector: f.connector, stream: f.stream, topic: f.topic, read: f.read, produced: f.produced, tombstones: f.tombstones, deadLettered: f.deadLettered })),
    load: facts.loads.flatMap((l) => l.counts.map((c) => ({ pipeline: l.pipeline, ...c, rejectsRecorded: l.rejectsRecorded.get(c.topic) ?? 0 }))),
    tables: tables.figures,
    lines,
    unexplained: lines.filter((l) => l.status === 'unexplained').length,
  };
}

function stepLines(facts: RunFacts): ReconcileLine[] {
  const lines = facts.failedSteps.map((s) => ({
    status: 'unexplained' as const,
    subject: s.step,
    text: `${s.status}${s.error === null ? '' : `: ${s.error}`} — what it committed is counted below; the next run goes on from there`,
  }));
  if (facts.status === 'running') lines.push({ status: 'unexplained', subject: `run ${facts.runId}`, text: 'still running, or cut off before recording its outcome' });
  if (facts.kind === 'load' && facts.status === 'failed') lines.push({ status: 'unexplained', subject: `run ${facts.runId}`, text: `the load failed: ${facts.error ?? ''}` });
  return lines;
}

function extractLines(facts: RunFacts): ReconcileLine[] {
  return facts.extracted.map((f) => {
    const accounted = f.produced + f.tombstones + f.deadLettered;
    const subject = `extract ${f.connector}.${f.stream}`;
    return accounted === f.read
      ? { status: 'ok', subject, text: `read ${f.read} = ${f.produced} produced + ${f.tombstones} tombstones + ${f.deadLettered} dead-lettered` }
      : { status: 'unexplained', subject, text: `read ${f.read}, but produced + tombstones + dead-lettered = ${accounted} (${f.read - accounted} unaccounted for)` };
  });
}

function loadLines(facts: RunFacts, waiting: ReadonlyMap<string, number>): ReconcileLine[] {
  const lines: ReconcileLine[] = [];
  for (const load of facts.loads) {
    const pipeline = `load ${load.pipeline}`;
    for (const c of load.counts) {
      const subject = `${pipeline} ${c.topic}`;
      const accounted = c.inserted + c.updated + c.deleted + c.unchanged + c.rejected + c.skipped;
      lines.push(
        accounted === c.consumed
          ? { status: 'ok', subject, text: `consumed ${c.consumed} = ${c.inserted} inserted + ${c.updated} updated + ${c.deleted} deleted + ${c.unchanged} unchanged + ${c.rejected} rejected + ${c.skipped} skipped` }
          : { status: 'unexplained', subject, text: `consumed ${c.consumed}, but the outcomes add up to ${accounted} (${c.consumed - accounted} unaccounted for)` },
      );
      const recorded = load.rejectsRecorded.get(c.topic) ?? 0;
      if (recorded !== c.rejected) {
        lines.push({ status: 'unexplained', subject, text: `${c.rejected} rejected, but meta.rejected_records holds ${recorded} for this load` });
      }
    }
    if (load.lag !== null && load.lag > 0) lines.push({ status: 'unexplained', subject: pipeline, text: `${load.lag} offsets left to load at the end of the load` });
    const pending = waiting.get(load.pipeline) ?? 0;
    if (pending > 0) {
      lines.push({ status: 'note', subject: pipeline, text: `${pending} dead letters waiting in meta.dlq_outbox (full copies in meta.rejected_records); the pipeline's next load writes them to the DLQ topic` });
    }
  }
  return lines;
}

/** What a nightly run's extracts wrote to a topic against what each of its loads consumed there. */
function topicLines(facts: RunFacts): ReconcileLine[] {
  const written = new Map<string, number>();
  for (const f of facts.extracted) written.set(f.topic, (written.get(f.topic) ?? 0) + f.produced + f.tombstones);
  const lines: ReconcileLine[] = [];
  for (const load of facts.loads) {
    for (const c of load.counts) {
      const wrote = written.get(c.topic);
      if (wrote === undefined) continue;
      const read = c.consumed - c.skipped;
      const subject = `topic ${c.topic} → ${load.pipeline}`;
      lines.push(
        read === wrote
          ? { status: 'ok', subject, text: `${wrote} written by this run's extract, ${read} loaded from it` }
          : {
              status: 'note',
              subject,
              text: `${wrote} written by this run's extract, ${read} consumed (${read > wrote ? `${read - wrote} more: left from an earlier run, or written by another producer` : `${wrote - read} fewer: left for the next load`})`,
            },
      );
    }
  }
  return lines;
}

async function balances(
  db: pg.ClientBase,
  facts: RunFacts,
  options: ReconcileOptions,
): Promise<{ figures: { table: string; rows: number; counted: number }[]; lines: ReconcileLine[] }> {
  const feeds = new Map<string, { pipeline: string; topic: string }[]>();
  for (const load of facts.loads) {
    for (const input of options.pipelines[load.pipeline]?.inputs ?? []) {
      const list = feeds.get(input.target.table) ?? [];
      list.push({ pipeline: load.pipeline, topic: rawTopic(options.naming, input.source, input.entity) });
      feeds.set(input.target.table, list);
    }
  }
  const figures: { table: string; rows: number; counted: number }[] = [];
  const lines: ReconcileLine[] = [];
  for (const [table, topics] of feeds) {
    const b = await tableBalance(db, table, topics, options.held?.get(table));
    figures.push({ table, rows: b.rows, counted: b.counted });
    const subject = `table ${table}`;
    const held = `${b.rows} rows (${b.markedDeleted} marked deleted)`;
    if (b.rows === b.counted) lines.push({ status: 'ok', subject, text: `${held} = inserted by every counted load` });
    else if (b.uncountedLoads) lines.push({ status: 'note', subject, text: `${held}; the loads counted since migration 20261207_0300 inserted ${b.counted} (earlier loads were not counted)` });
    else lines.push({ status: 'unexplained', subject, text: `${held}, but every counted load inserted ${b.counted} (${b.rows - b.counted} unaccounted for)` });
  }
  return { figures, lines };
}
