import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../../src/db/copy-text.js';

type Value = string | number | boolean | null;
type Row = readonly Value[];
const CHUNK = 65_536;

/** Streams rows into a table with COPY, in ~64 KiB chunks; returns how many were written. */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Iterable<Row>): Promise<number> {
  let count = 0;
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      count += 1;
      chunk += copyText(row);
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  return count;
}

/** Where one of several concurrent COPY streams goes. Each target needs its own connection. */
export interface CopyTarget {
  readonly client: pg.ClientBase;
  readonly table: string;
  readonly columns: readonly string[];
}

/**
 * One pass over `items`, several tables: each item yields rows for every target (`rowsOf(item)[i]`
 * for target i), and each target's COPY runs on its own connection at the same time, so a
 * generator that is expensive to run (the dossiers) runs once. Backpressure: a full chunk waits
 * until its stream drains. Returns the rows written per target.
 */
export async function copyFanOut<T>(targets: readonly CopyTarget[], items: Iterable<T>, rowsOf: (item: T) => readonly (readonly Row[])[]): Promise<number[]> {
  const sinks = targets.map((t) => new CopySink(t));
  try {
    for (const item of items) {
      const rows = rowsOf(item);
      for (const [i, sink] of sinks.entries()) for (const row of rows[i] ?? []) sink.add(row);
      for (const sink of sinks) if (sink.full) await sink.flush();
    }
    await Promise.all(sinks.map((s) => s.end()));
  } catch (err) {
    for (const sink of sinks) sink.abort(err);
    await Promise.allSettled(sinks.map((s) => s.done));
    throw err;
  }
  return sinks.map((s) => s.count);
}

class CopySink {
  count = 0;
  private chunk = '';
  private readonly input = new PassThrough();
  readonly done: Promise<void>;

  constructor(target: CopyTarget) {
    this.done = pipeline(this.input, target.client.query(copyFrom(`COPY ${target.table} (${target.columns.join(', ')}) FROM STDIN`)));
    // Observed through flush()/end(); this keeps an early failure from going unhandled meanwhile.
    this.done.catch(() => undefined);
  }

  add(row: Row): void {
    this.count += 1;
    this.chunk += copyText(row);
  }

  get full(): boolean {
    return this.chunk.length >= CHUNK;
  }

  async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = '';
    if (chunk.length > 0 && !this.input.write(chunk)) await Promise.race([once(this.input, 'drain'), this.done]);
  }

  async end(): Promise<void> {
    await this.flush();
    this.input.end();
    await this.done;
  }

  abort(err: unknown): void {
    this.input.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}
