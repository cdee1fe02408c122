/**
 * The raw baseline of a load: the world's rows, transformed in memory beforehand, COPY'd into
 * staging and merged (plus history and child tables) into the same warehouse tables with one
 * statement per table — no Kafka, no Avro, no micro-batches. The floor the pipelines cannot beat.
 * The lines are made before the clock starts and spooled to temporary files (bounded memory at any
 * scale); the clock covers the COPYs from those files and the merges.
 */
import { appendFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/**
 * COPY lines spooled to a file as they are made: the whole province's ~6 million lines held in
 * memory took more than the 4 GB heap at scale 1.0; COPY then streams the file.
 */
class Spool {
  private pending: string[] = [];
  private written = 0;
  constructor(readonly file: string) {}
  add(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= 5000) this.flush();
  }
  flush(): void {
    if (this.pending.length === 0) return;
    appendFileSync(this.file, this.pending.join(''));
    this.written += this.pending.length;
    this.pending = [];
  }
  get lines(): number {
    return this.written + this.pending.length;
  }
}

interface Staged {
  readonly input: PipelineInput;
  readonly lines: Spool;
  readonly childLines: Map<string, Spool>;
}

/**
 * Empties the pipelines' tables (targets, history, children) and loads the world into them.
 * Destroys what the pipelines loaded: run it last.
 */
export async function rawBaseline(databaseUrl: string, world: World, account?: () => CpuAccount): Promise<BaselineFigures> {
  const inputs = Object.values(PIPELINES).flatMap((p) => p.inputs);
  const dir = mkdtempSync(path.join(tmpdir(), 'lgsp-baseline-'));
  try {
    return await baselineIn(dir, databaseUrl, world, inputs, account);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function baselineIn(dir: string, databaseUrl: string, world: World, inputs: readonly PipelineInput[], account?: () => CpuAccount): Promise<BaselineFigures> {
  const staged: Staged[] = inputs.map((input, i) => ({ input, lines: new Spool(path.join(dir, `${i}.copy`)), childLines: new Map() }));
  let records = 0;
  for (const m of worldMessages(world)) {
    if (m.value === null) continue;
    const entry = staged.find((s) => s.input.source === m.source && s.input.entity === m.entity);
    if (entry === undefined) continue;
    records += 1;
    const out = entry.input.transform(m.value);
    const row = 'row' in out ? out.row : out;
    entry.lines.add(copyText([...row, 'U', null, 'bench', 0, records]));
    for (const child of entry.input.target.children ?? []) {
      const lines = entry.childLines.get(child.name) ?? new Spool(`${entry.lines.file}.${child.name}`);
      for (const r of 'row' in out ? (out.children[child.name] ?? []) : []) lines.add(copyText([...r, 'bench', 0, records]));
      entry.childLines.set(child.name, lines);
    }
  }
  for (const s of staged) for (const spool of [s.lines, ...s.childLines.values()]) spool.flush();

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
      for (const child of children) await copy(db, copyChildStagingSql(child), childLines.get(child.name));
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

async function copy(db: pg.Client, sql: string, spool: Spool | undefined): Promise<void> {
  if (spool === undefined || spool.lines === 0) return;
  await streamPipeline(createReadStream(spool.file, { highWaterMark: 1 << 20 }), db.query(copyFrom(sql)));
}
