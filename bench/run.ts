/**
 * End-to-end benchmark of the nightly batch against the raw baseline, measured in the same run.
 *   npm run bench [-- --scale 0.1] [--seed 1] [--sources in-process|child]
 * Runs against KAFKA_BROKERS and DATABASE_URL's server, else the local broker and PostgreSQL
 * (started if need be: bench/servers.ts). Isolated: drops and recreates `lgsp_bench` and `lgsp_bench_sim`, uses its own topic
 * prefix (and deletes earlier bench topics).
 *
 * 1. generate the world into the simulator store and serve the mock sources;
 * 2. migrate, then the nightly run (extract every source → Kafka → load every pipeline → mart);
 * 3. move the world on one day and time the nightly delta run;
 * 4. the raw baseline (COPY into staging + one merge per table, bench/raw-baseline.ts) of the same
 *    world's rows into the same tables (last: it empties them).
 * Each of the three is also accounted in CPU seconds per process (bench/cpu-accounting.ts).
 * Prints tables and writes bench/results/latest.json. Prints numbers, never fails on them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runNightly, type NightlyRunResult } from '../app/batch/nightly-run.js';
import { createRuntime } from '../app/runtime.js';
import { DEMO_SEED } from '../app/cli/commands/mock.js';
import { parseSettings } from '../src/config/settings.js';
import { lgspSettingsFromEnv } from './env-settings.js';
import { connect, dropDatabase, withDatabase } from '../src/db/postgres.js';
import { createLogger } from '../src/logger.js';
import { benchServers } from './servers.js';
import { migrateLatest } from '../warehouse/migrator.js';
import { connectorOverrides, startMockSources } from '../simulator/mocks/serve.js';
import { advanceWorld } from '../simulator/store/advance.js';
import { createWorld } from '../simulator/world/index.js';
import { startCpuAccount, type CpuFigures } from './cpu-accounting.js';
import { startMockChild } from './mock-child.js';
import { startRssSampler, type RssPeak } from './rss-sampler.js';
import { rawBaseline } from './raw-baseline.js';
import { DECLARED } from '../app/deployment.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: String(DEMO_SEED) },
    // Where the simulated sources run: in this process (the default, as in every earlier round of
    // bench/results/README.md) or in a child process of their own (`lgsp mock serve`), as deployed.
    sources: { type: 'string', default: 'in-process' },
    'base-port': { type: 'string', default: '18401' },
  },
});
if (values.sources !== 'in-process' && values.sources !== 'child') throw new Error(`--sources must be in-process or child, not ${values.sources}`);
const scale = Number(values.scale);
const seed = Number(values.seed);
const logger = createLogger({ level: 'warn' });
const { server, brokers } = await benchServers(logger);
const warehouseUrl = withDatabase(server, 'lgsp_bench');
const simStoreUrl = withDatabase(server, 'lgsp_bench_sim');
const PREFIX = 'lgsp-bench.';
const settings = parseSettings({
  ...lgspSettingsFromEnv(),
  DATABASE_URL: warehouseUrl,
  LGSP_SIM_DATABASE_URL: simStoreUrl,
  KAFKA_BROKERS: brokers,
  LGSP_TOPIC_PREFIX: `${PREFIX}${randomBytes(3).toString('hex')}.`,
  LOG_LEVEL: 'warn',
});
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const rssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (since: number): number => Math.round((performance.now() - since) / 10) / 100;

/**
 * Seconds per stage of a nightly run: extract (all sources, and per stream), load (the steps, and
 * per pipeline), mart refresh. Extracts run side by side and loads start beside them, so stages
 * overlap and do not add up to the run.
 */
function stages(result: NightlyRunResult): {
  extractSeconds: number;
  extractStreamSeconds: Record<string, number>;
  loadStepSeconds: number;
  loadSeconds: Record<string, number>;
  martRefreshSeconds: number;
} {
  const round = (s: number): number => Math.round(s * 100) / 100;
  // Steps overlap, so a stage's time is its wall-clock span: first start to last end.
  const sum = (prefix: string): number => {
    const spans = result.steps.filter((s) => s.step.startsWith(prefix)).map(stepSpan);
    return spans.length === 0 ? 0 : round((Math.max(...spans.map(([, end]) => end)) - Math.min(...spans.map(([start]) => start))) / 1000);
  };
  return {
    extractSeconds: sum('extract:'),
    extractStreamSeconds: Object.fromEntries(result.extracted.map((f) => [`${f.connector}.${f.stream}`, round(f.seconds)])),
    loadStepSeconds: sum('load:'),
    loadSeconds: Object.fromEntries(result.steps.filter((s) => s.step.startsWith('load:')).map((s) => [s.step.slice(5), round(s.seconds)])),
    martRefreshSeconds: sum('refresh-mart'),
  };
}

await Promise.all([dropDatabase(warehouseUrl), dropDatabase(simStoreUrl)]);
const runtime = await createRuntime({ settings, logger, declarations: DECLARED, clientId: 'lgsp-bench' });
{
  // Topics of earlier bench runs (their prefix is random per run, so a rerun never reads them).
  const admin = runtime.kafka.admin();
  await admin.connect();
  const stale = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX));
  if (stale.length > 0) await admin.deleteTopics({ topics: stale }).catch(() => undefined);
  await admin.disconnect();
}

let started = performance.now();
const mock =
  values.sources === 'child'
    ? await startMockChild({ seed, scale, storeUrl: simStoreUrl, basePort: Number(values['base-port']) })
    : await startMockSources({ seed, scale, storeUrl: simStoreUrl, logger, ports: 'any' });
const worldSeconds = seconds(started);
const rssAfterWorldMiB = rssMiB();
say(
  `scale ${scale}, seed ${seed}: world generated into the simulator store in ${worldSeconds} s (peak RSS so far ${rssAfterWorldMiB} MiB); sources ${values.sources === 'child' ? `in a child process (pid ${'pid' in mock ? mock.pid : '?'})` : 'in this process'}`,
);
await migrateLatest(warehouseUrl, logger);

const overrides = connectorOverrides(mock, simStoreUrl);
// The mock sources serve from the simulator store (in this process unless --sources child): its backends are the sources' cost.
const cpuGroups = { lgsp_bench: 'postgres: warehouse', lgsp_bench_sim: 'postgres: simulator store (sources)' };
const cpuProcesses: Record<number, string> = 'pid' in mock ? { [mock.pid]: 'mock sources (child process)' } : {};
const cpu: { full?: CpuFigures; delta?: CpuFigures; baseline?: CpuFigures } = {};
const rssPeaks: { full?: RssPeak; delta?: RssPeak } = {};
let full: NightlyRunResult;
let delta: NightlyRunResult;
let fullSeconds: number;
let deltaSeconds: number;
let advanced: number;
try {
  started = performance.now();
  let account = startCpuAccount(cpuGroups, cpuProcesses);
  let rss = startRssSampler();
  full = await runNightly(runtime, { overrides });
  fullSeconds = seconds(started);
  cpu.full = account.stop();
  rssPeaks.full = rss.stop();
  say(`full run: ${fullSeconds} s`);

  const sim = await connect(simStoreUrl);
  try {
    const result = await advanceWorld(sim, 1, logger);
    advanced = Object.values(result.counts).reduce((n, c) => n + c.inserted + c.updated + c.deleted, 0);
  } finally {
    await sim.end();
  }
  started = performance.now();
  account = startCpuAccount(cpuGroups, cpuProcesses);
  rss = startRssSampler();
  delta = await runNightly(runtime, { overrides });
  deltaSeconds = seconds(started);
  cpu.delta = account.stop();
  rssPeaks.delta = rss.stop();
  say(`delta run (1 day, ${advanced} source rows changed): ${deltaSeconds} s`);
} finally {
  await mock.close();
}
const peakRssMiB = rssMiB();

const baseline = await rawBaseline(warehouseUrl, createWorld({ seed, scale }), () => startCpuAccount(cpuGroups, cpuProcesses));
cpu.baseline = baseline.cpu;
const records = full.extracted.reduce((n, f) => n + f.read, 0);
const recordsPerSec = Math.round(records / fullSeconds);
const baselineRecordsPerSec = Math.round(baseline.records / baseline.seconds);
const results = {
  scale,
  cpuRatio: cpuRatio(cpu.full, cpu.baseline, ['other processes']),
  // The simulated sources stand in for national databases a deployment does not run: without them
  // (only measurable apart with --sources child, where they have their own process).
  cpuRatioWithoutSources:
    values.sources === 'child' ? cpuRatio(cpu.full, cpu.baseline, ['other processes', 'mock sources (child process)', 'postgres: simulator store (sources)']) : undefined,
  seed,
  sources: values.sources,
  records,
  seconds: fullSeconds,
  recordsPerSec,
  baselineRecords: baseline.records,
  baselineSeconds: Math.round(baseline.seconds * 100) / 100,
  baselineCopySeconds: Math.round(baseline.copySeconds * 100) / 100,
  baselineMergeSeconds: Math.round(baseline.mergeSeconds * 100) / 100,
  baselineRecordsPerSec,
  ratio: Math.round((recordsPerSec / baselineRecordsPerSec) * 1000) / 1000,
  peakRssMiB,
  rssPeaks,
  rssAfterWorldMiB,
  worldSeconds,
  deltaSeconds,
  deltaRecords: delta.extracted.reduce((n, f) => n + f.read, 0),
  stages: stages(full),
  cpu,
  deltaStages: stages(delta),
  node: process.version,
  at: new Date().toISOString(),
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const rows: [string, string][] = [
  ['records (extract read)', String(records)],
  ['end-to-end seconds', String(fullSeconds)],
  ['  extract seconds', String(results.stages.extractSeconds)],
  ...Object.entries(results.stages.extractStreamSeconds).map(([p, s]): [string, string] => [`    ${p}`, String(s)]),
  ['  load seconds', String(results.stages.loadStepSeconds)],
  ...Object.entries(results.stages.loadSeconds).map(([p, s]): [string, string] => [`    ${p}`, String(s)]),
  ['  mart refresh seconds', String(results.stages.martRefreshSeconds)],
  ['end-to-end records/s', String(recordsPerSec)],
  ['baseline records/s (COPY + merge)', `${baselineRecordsPerSec} (${baseline.records} in ${results.baselineSeconds} s)`],
  ['ratio end-to-end / baseline', `${(results.ratio * 100).toFixed(1)}%`],
  ['peak RSS MiB (after world)', `${peakRssMiB} (${rssAfterWorldMiB})`],
  ...Object.entries(rssPeaks).map(([run, p]): [string, string] => [
    `  sampled peak, ${run} run`,
    `${p.rssMiB} at ${p.atSeconds} s (V8 heap ${p.heapUsedMiB}, buffers ${p.arrayBuffersMiB}; running then: ${runningAt(run === 'full' ? full : delta, p.atSeconds) || '-'})`,
  ]),
  ['delta run seconds (1 day)', `${deltaSeconds} (${results.deltaRecords} records)`],
  ['machine CPU full run / baseline', results.cpuRatio === undefined ? '-' : `${results.cpuRatio}x`],
  ...(results.cpuRatioWithoutSources === undefined ? [] : [['  without the simulated sources', `${results.cpuRatioWithoutSources}x`] as [string, string]]),
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) say(`${k.padEnd(width)}  ${v}`);
printCpu(cpu);
say('written to bench/results/latest.json');
process.exit(0);

/** A step's start and end, in epoch milliseconds. */
function stepSpan(step: NightlyRunResult['steps'][number]): [number, number] {
  const start = Date.parse(step.startedAt);
  return [start, start + step.seconds * 1000];
}

/** The steps of a run that were running `at` seconds after it started. */
function runningAt(result: NightlyRunResult, at: number): string {
  const t = Math.min(...result.steps.map((s) => stepSpan(s)[0])) + at * 1000;
  return result.steps
    .filter((s) => {
      const [start, end] = stepSpan(s);
      return start <= t && t <= end;
    })
    .map((s) => s.step)
    .join(', ');
}

/**
 * Machine CPU seconds of the full run over the baseline's, each without the named groups (work of
 * other processes on the machine is not the pipeline's).
 */
function cpuRatio(fullRun: CpuFigures | undefined, base: CpuFigures | undefined, excluded: readonly string[]): number | undefined {
  if (fullRun === undefined || base === undefined) return undefined;
  const busy = (f: CpuFigures): number => f.machineBusySeconds - excluded.reduce((n, g) => n + (f.groups[g] ?? 0), 0);
  return Math.round((busy(fullRun) / Math.max(busy(base), 0.1)) * 100) / 100;
}

/** CPU seconds by process for each measured stage, and how busy the machine's cores were. */
function printCpu(figures: typeof cpu): void {
  const stagesMeasured = Object.entries(figures).filter((e): e is [string, CpuFigures] => e[1] !== undefined);
  if (stagesMeasured.length === 0) return;
  const groups = [...new Set(stagesMeasured.flatMap(([, f]) => Object.keys(f.groups)))];
  const table: string[][] = [
    ['CPU seconds', ...stagesMeasured.map(([name]) => name)],
    ...groups.map((g) => [`  ${g}`, ...stagesMeasured.map(([, f]) => (f.groups[g] ?? 0).toFixed(1))]),
    ['  machine busy (all cores)', ...stagesMeasured.map(([, f]) => f.machineBusySeconds.toFixed(1))],
    ['wall seconds', ...stagesMeasured.map(([, f]) => f.wallSeconds.toFixed(1))],
    ['cores busy (of ' + String(stagesMeasured[0]?.[1].cores) + ')', ...stagesMeasured.map(([, f]) => (f.machineBusySeconds / Math.max(f.wallSeconds, 0.01)).toFixed(2))],
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => r[i]?.length ?? 0))) ?? [];
  for (const r of table) say(r.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '));
}
