import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { historySql } from './history.js';
import { recordProblem, type RecordProblem } from './record-errors.js';
import type { StagedRecord } from './stage-message.js';
import {
  changedTableName,
  childMergeSql,
  copyChildStagingSql,
  copyStagingSql,
  createChangedSql,
  createChildStagingSql,
  createStagingSql,
  mergeSql,
  stagingTableName,
} from './table-target.js';
import type { ChildTarget, PipelineInput } from './types.js';

export interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export const NOTHING_MERGED: Readonly<MergeCounts> = { inserted: 0, updated: 0, deleted: 0 };

/**
 * Merges the staged records, rejecting the ones the database refuses. The whole batch is one COPY
 * + one merge under a savepoint; when the database refuses it for a reason that is a record's
 * (src/db/sqlstate.ts: a data exception, a constraint, a value too large for an index), the batch
 * is halved and each half tried again, down to the records that fail alone — a few bad records in
 * a batch of thousands cost a few dozen merges, not thousands. A refusal that is not about a
 * record (connection, deadlock, a bug) is rethrown: the whole batch rolls back.
 */
export async function mergeOrIsolate(
  client: pg.ClientBase,
  input: PipelineInput,
  staged: readonly StagedRecord[],
  runId: number | null,
  onRefused: (record: StagedRecord, problem: RecordProblem) => void,
): Promise<MergeCounts> {
  const total: MergeCounts = { inserted: 0, updated: 0, deleted: 0 };
  let first = true;
  // Depth-first, left half before right: records of one key stay in offset order.
  const pending: (readonly StagedRecord[])[] = [staged];
  while (pending.length > 0) {
    const part = pending.shift() ?? [];
    if (part.length === 0) continue;
    const outcome = await tryMerge(client, input, part, runId, !first);
    first = false;
    if ('counts' in outcome) {
      total.inserted += outcome.counts.inserted;
      total.updated += outcome.counts.updated;
      total.deleted += outcome.counts.deleted;
    } else if (part.length === 1) {
      const record = part[0];
      if (record !== undefined) onRefused(record, outcome.problem);
    } else {
      const half = Math.ceil(part.length / 2);
      pending.unshift(part.slice(0, half), part.slice(half));
    }
  }
  return total;
}

/** One merge under a savepoint: its counts, or the record problem that made the database refuse it. */
async function tryMerge(
  client: pg.ClientBase,
  input: PipelineInput,
  part: readonly StagedRecord[],
  runId: number | null,
  clear: boolean,
): Promise<{ counts: MergeCounts } | { problem: RecordProblem }> {
  await client.query('SAVEPOINT merge_part');
  try {
    const counts = await mergeStaged(client, input, part, runId, clear);
    await client.query('RELEASE SAVEPOINT merge_part');
    return { counts };
  } catch (err) {
    const problem = recordProblem(err);
    if (problem === null) throw err;
    await client.query('ROLLBACK TO SAVEPOINT merge_part');
    return { problem };
  }
}

/** COPY staged records into staging, merge into the target, then its history and child tables. */
async function mergeStaged(client: pg.ClientBase, input: PipelineInput, staged: readonly StagedRecord[], runId: number | null, clear: boolean): Promise<MergeCounts> {
  const target = input.target;
  const children = target.children ?? [];
  await client.query(createStagingSql(target));
  await client.query(createChangedSql(target));
  for (const child of children) await client.query(createChildStagingSql(child));
  // A part after the first finds the staging tables holding what an earlier part merged.
  if (clear) await client.query(`TRUNCATE ${[...[target, ...children].map((t) => stagingTableName(t)), changedTableName(target)].join(', ')}`);
  await copyLines(client, copyStagingSql(target), staged.map((s) => s.line));
  for (const child of children) await copyLines(client, copyChildStagingSql(child), staged.flatMap((s) => s.childLines.get(child.name) ?? []));

  const merged = (await client.query<MergeCounts>(mergeSql(target), [runId])).rows[0] ?? { ...NOTHING_MERGED };
  if (target.history !== undefined) await client.query(historySql(target, target.history), [runId]);
  if (children.length > 0) await replaceChildren(client, target, children, merged, runId);
  return merged;
}

/**
 * Replaces the child rows of the parents the merge wrote (none written: nothing to replace).
 * The changed-keys table is analysed first: a temporary table has no statistics (autovacuum never
 * sees it), and the planner, guessing ~1,000 keys, hashed the whole child table — a night's 30
 * insurance participants cost two sequential scans of 171,833 contribution periods per batch,
 * 0.12–1.0 s each at scale 1.0, against ~15 ms through the primary key. ANALYZE of 5,000 keys: ~5 ms.
 */
async function replaceChildren(client: pg.ClientBase, target: PipelineInput['target'], children: readonly ChildTarget[], merged: MergeCounts, runId: number | null): Promise<void> {
  if (merged.inserted + merged.updated === 0) return;
  await client.query(`ANALYZE ${changedTableName(target)}`);
  for (const child of children) {
    const [remove, insert] = childMergeSql(target, child);
    await client.query(remove);
    await client.query(insert, [runId]);
  }
}

/** Lines per chunk written to COPY: the whole batch is never one string (nor one buffer) in memory. */
const COPY_CHUNK_LINES = 1000;

async function copyLines(client: pg.ClientBase, sql: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  function* chunks(): Generator<string> {
    for (let i = 0; i < lines.length; i += COPY_CHUNK_LINES) yield lines.slice(i, i + COPY_CHUNK_LINES).join('');
  }
  await streamPipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
}
