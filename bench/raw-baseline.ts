/**
 * The raw baseline of a load: the world's rows, transformed in memory beforehand, COPY'd into
 * staging and merged (plus history and child tables) into the same warehouse tables with one
 * statement per table — no Kafka, no Avro, no micro-batches. The floor the pipelines cannot beat.
 */
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PIPELINES } from '../pipelines/index.js';
import { copyText } from '../src/db/copy-text.js';
import { historySql } from '../src/sink/history.js';
import { childMergeSql, copyChildStagingSql, copyStagingSql, createChangedSql, createChildStagingSql, createStagingSql, mergeSql, qualifiedName } from '../src/sink/table-target.js';
import type { PipelineInput } from '../src/sink/types.js';
import { worldMessages } from '../test/harness/world-messages.js';
import type { World } from '../simulator/world/index.js';
import type { CpuAccount, CpuFigures } from './cpu-accounting.js';

export interface BaselineFigures {
  readonly records: number;
  /** COPY into staging + merge, summed over every table. */
  readonly seconds: number;
  readonly copySeconds: number;
  readonly mergeSeconds: number;
  /** CPU by process over the COPYs and merges (and the few statements around them). */
  readonly cpu?: CpuFigures | undefined;
}

interface Staged {
  readonly input: PipelineInput;
  readonly lines: string[];
  readonly childLines: Map<string, string[]>;
}

/**
 * Empties the pipelines' tables (targets, history, children) and loads the world into them.
 * Destroys what the pipelines loaded: run it last.
 */
export async function rawBaseline(databaseUrl: string, world: World, account?: () => CpuAccount): Promise<BaselineFigures> {
  const inputs = Object.values(PIPELINES).flatMap((p) => p.inputs);
  const staged: Staged[] = inputs.map((input) => ({ input, lines: [], childLines: new Map() }));
  let records = 0;
  for (const m of worldMessages(world)) {
    if (m.value === null) continue;
    const entry = staged.find((s) => s.input.source === m.source && s.input.entity === m.entity);
    if (entry === undefined) continue;
    records += 1;
    const out = entry.input.transform(m.value);
    const row = 'row' in out ? out.row : out;
    entry.lines.push(copyText([...row, 'U', null, 'bench', 0, records]));
    for (const child of entry.input.target.children ?? []) {
      const lines = entry.childLines.get(child.name) ?? [];
      for (const r of 'row' in out ? (out.children[child.name] ?? []) : []) lines.push(copyText([...r, 'bench', 0, records]));
      entry.childLines.set(child.name, lines);
    }
  }

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let copySeconds = 0;
  let mergeSeconds = 0;
  let cpu: CpuFigures | undefined;
  try {
    const tables = inputs.flatMap((i) => [i.target.table, ...(i.target.history === undefined ? [] : [i.target.history.table]), ...(i.target.children ?? []).map((c) => c.table)]);
    await db.query(`TRUNCATE ${tables.map(qualifiedName).join(', ')} CASCADE`);
    const accounting = account?.();
    for (const { input, lines, childLines } of staged) {
      const target = input.target;
      const children = target.children ?? [];
      await db.query('BEGIN');
      await db.query(createStagingSql(target));
      await db.query(createChangedSql(target));
      for (const child of children) await db.query(createChildStagingSql(child));
      let started = performance.now();
      await copy(db, copyStagingSql(target), lines);
      for (const child of children) await copy(db, copyChildStagingSql(child), childLines.get(child.name) ?? []);
      copySeconds += (performance.now() - started) / 1000;
      started = performance.now();
      await db.query(mergeSql(target), [null]);
      if (target.history !== undefined) await db.query(historySql(target, target.history), [null]);
      for (const child of children) {
        const [remove, insert] = childMergeSql(target, child);
        await db.query(remove);
        await db.query(insert, [null]);
      }
      await db.query('COMMIT');
      mergeSeconds += (performance.now() - started) / 1000;
    }
    cpu = accounting?.stop();
  } finally {
    await db.end();
  }
  return { records, seconds: copySeconds + mergeSeconds, copySeconds, mergeSeconds, cpu };
}

async function copy(db: pg.Client, sql: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  // In chunks, so the COPY streams rather than building one string of the whole table.
  const chunks = function* (): Generator<string> {
    for (let i = 0; i < lines.length; i += 5000) yield lines.slice(i, i + 5000).join('');
  };
  await streamPipeline(Readable.from(chunks()), db.query(copyFrom(sql)));
}
