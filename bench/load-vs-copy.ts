/**
 * `lgsp load all` throughput against a plain COPY of the same rows into the same tables.
 *   npx tsx bench/load-vs-copy.ts [--scale 0.02] [--seed 3]
 * Runs against KAFKA_BROKERS and DATABASE_URL's server, else the local broker and PostgreSQL
 * (started if need be: bench/servers.ts). Uses its own database and topic prefix, and drops the database at the end.
 *
 * load:  Kafka fetch → Avro decode → transform → COPY to staging → merge (+ history, child
 *        tables) → offsets, one transaction per fetched batch, every pipeline side by side.
 * copy:  the transformed rows (already in memory) COPY'd straight into the same tables, one
 *        COPY per table — the floor the load cannot beat.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PIPELINES } from '../pipelines/index.js';
import { load } from '../app/batch/load.js';
import { createRuntime } from '../app/runtime.js';
import { parseSettings } from '../src/config/settings.js';
import { copyText } from '../src/db/copy-text.js';
import { dropDatabase, quoteIdent, withDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { benchServers } from './servers.js';
import { migrateLatest } from '../warehouse/migrator.js';
import { createWorld } from '../simulator/world/index.js';
import { produceRaw, worldMessages } from '../test/harness/world-messages.js';
import { DECLARED } from '../app/deployment.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.02' }, seed: { type: 'string', default: '3' } } });
const id = `bench${randomBytes(3).toString('hex')}`;
const logger = createLogger({ level: 'warn' });
const { server, brokers } = await benchServers(logger);
const settings = parseSettings({
  DATABASE_URL: withDatabase(server, `lgsp_${id}`),
  KAFKA_BROKERS: brokers,
  LGSP_TOPIC_PREFIX: `${id}.`,
  LOG_LEVEL: 'warn',
});
const say = (line: string): void => void process.stdout.write(`${line}\n`);

try {
  await migrateLatest(settings.DATABASE_URL, logger);
  const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-bench' });
  const messages = [...worldMessages(createWorld({ seed: Number(values.seed), scale: Number(values.scale) }))].filter((m) => m.value !== null);
  let started = Date.now();
  await produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, messages, 6);
  say(`scale ${values.scale}: ${messages.length} raw records produced in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  started = Date.now();
  const figures = await load(runtime, ['all']);
  const loadSeconds = (Date.now() - started) / 1000;
  const loaded = figures.reduce((n, f) => n + f.consumed, 0);
  say(`load all:  ${loaded} records in ${loadSeconds.toFixed(1)} s = ${Math.round(loaded / loadSeconds)} records/s`);
  for (const f of figures) say(`  ${f.pipeline.padEnd(10)} ${String(f.consumed).padStart(8)} records ${f.seconds.toFixed(1).padStart(6)} s`);

  // The same rows, transformed in memory beforehand, COPY'd into the emptied tables.
  const tables = new Map<string, { columns: string[]; lines: string[] }>();
  const add = (table: string, columns: readonly string[], line: string): void => {
    const entry = tables.get(table) ?? { columns: [...columns, 'src_topic', 'src_partition', 'src_offset'], lines: [] };
    entry.lines.push(line);
    tables.set(table, entry);
  };
  for (const pipeline of Object.values(PIPELINES)) {
    for (const input of pipeline.inputs) {
      let offset = 0;
      for (const m of messages) {
        if (m.source !== input.source || m.entity !== input.entity || m.value === null) continue;
        const out = input.transform(m.value);
        const row = 'row' in out ? out.row : out;
        offset += 1;
        add(input.target.table, input.target.columns.map((c) => c.name), copyText([...row, 'bench', 0, offset]));
        for (const child of input.target.children ?? []) {
          for (const r of 'row' in out ? (out.children[child.name] ?? []) : []) add(child.table, child.columns.map((c) => c.name), copyText([...r, 'bench', 0, offset]));
        }
      }
    }
  }
  const db = new pg.Client({ connectionString: settings.DATABASE_URL });
  await db.connect();
  await db.query(`TRUNCATE ${[...tables.keys()].join(', ')}`);
  started = Date.now();
  for (const [table, { columns, lines }] of tables) {
    const name = table.split('.').map(quoteIdent).join('.');
    await streamPipeline(Readable.from([lines.join('')]), db.query(copyFrom(`COPY ${name} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`)));
  }
  const copySeconds = (Date.now() - started) / 1000;
  await db.end();
  say(`plain COPY: ${messages.length} records in ${copySeconds.toFixed(1)} s = ${Math.round(messages.length / copySeconds)} records/s`);
  say(`load / COPY throughput: ${((loaded / loadSeconds / (messages.length / copySeconds)) * 100).toFixed(0)}%`);
} finally {
  await dropDatabase(settings.DATABASE_URL).catch(() => undefined);
}
