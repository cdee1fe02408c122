/**
 * The peer benchmark: the same one-stop rows (procedures, agencies, dossiers, dossier components,
 * ratings) moved PostgreSQL → Kafka → PostgreSQL by the field's standard stack and by this project,
 * one after the other in the same run.
 *   npm run bench:peer [-- --scale 0.1] [--seed 84] [--first peer|ours] [--peer sink.batch.size=2000 …]
 *
 * - the peer: Kafka Connect standalone with Debezium's PostgreSQL source (pgoutput, snapshot only)
 *   and Debezium's JDBC sink (upsert on the record key), JSON with schemas, the same broker; jars
 *   from Maven Central, cached under $LGSP_HOME/peer (bench/peer/connect-distribution.ts);
 * - ours: `lgsp run --sources onestop --pipelines onestop` in a process of its own.
 * Both read one source database on a PostgreSQL of the benchmark's own (wal_level=logical, which
 * Debezium needs; bench/peer/source-postgres.ts) and write a fresh database each on the machine's
 * server (DATABASE_URL's, else the local PostgreSQL): `lgsp_peer_target` (the peer's) and `lgsp_peer_warehouse` (ours).
 * Writes bench/results/peer.json, prints figures, CPU seconds per process, and whether each target
 * holds the source's keys. Prints numbers, never fails on them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { settingsSchema } from '../../src/config/settings.js';
import { connect, withDatabase } from '../../src/db/postgres.js';
import { LgspError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { benchServers } from '../servers.js';
import { createWorld } from '../../simulator/world/index.js';
import { lgspSettingsFromEnv } from '../env-settings.js';
import { PEER_TUNING, withOverrides } from './connect-config.js';
import { PEER_VERSIONS, resolveConnectDistribution } from './connect-distribution.js';
import { deleteBenchTopics } from './kafka-cleanup.js';
import { fingerprint, loadOnestopRows, type TableFingerprint } from './onestop-rows.js';
import { runOurs, type OursRun } from './ours-stack.js';
import { runPeer, type PeerRun } from './peer-stack.js';
import { printCpu, printFigures, type Compared } from './report.js';
import { freePort, SOURCE_CLUSTER_NAME, startSourcePostgres } from './source-postgres.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.1' },
    // The demo's seed, as `npm run bench` uses.
    seed: { type: 'string', default: '84' },
    first: { type: 'string', default: 'peer' },
    peer: { type: 'string', multiple: true, default: [] },
    partitions: { type: 'string', default: '6' },
    'timeout-seconds': { type: 'string', default: '1800' },
  },
});
if (values.first !== 'peer' && values.first !== 'ours') throw new Error(`--first must be peer or ours, not ${values.first}`);
const scale = Number(values.scale);
const seed = Number(values.seed);
const partitions = Number(values.partitions);
const settings = withOverrides(PEER_TUNING, values.peer);
const logger = createLogger({ level: 'warn' });
const { server, brokers: brokerList } = await benchServers(logger);
const brokers = brokerList.split(',');
const home = settingsSchema.shape.LGSP_HOME.parse(process.env['LGSP_HOME'] === '' ? undefined : process.env['LGSP_HOME']);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const results = new URL('../results/', import.meta.url);
const resultsFile = (name: string): string => fileURLToPath(new URL(name, results));
await mkdir(results, { recursive: true });

// Topics and groups of every run start with these: a rerun first clears what a stopped one left.
const OURS_PREFIX = 'lgsp-peer-ours.';
const PEER_PREFIX = 'lgsp-peer-dbz.';
const PEER_GROUP_PREFIX = 'connect-peer-sink-';
const BENCH_LOCK = 84_016;
const runId = randomBytes(3).toString('hex');
const targetUrl = withDatabase(server, 'lgsp_peer_target');
const warehouseUrl = withDatabase(server, 'lgsp_peer_warehouse');
/** `onestop.<table>` → the warehouse table our one-stop pipeline loads it into (same key). */
const WAREHOUSE_TABLES: Readonly<Record<string, string>> = {
  'onestop.procedure': 'core.procedure',
  'onestop.agency': 'core.agency',
  'onestop.dossier': 'core.dossier',
  'onestop.dossier_component': 'core.dossier_component',
  'onestop.rating': 'core.dossier_rating',
};

const cpuLabels = {
  databases: { lgsp_peer_target: 'postgres: peer target', lgsp_peer_warehouse: 'postgres: our warehouse' },
  clusters: { [SOURCE_CLUSTER_NAME]: 'postgres: one-stop source (own server)' },
};

// Two runs at once would drop each other's databases and topics: the second one stops here.
const lock = await connect(withDatabase(server, 'postgres'));
if ((await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [BENCH_LOCK])).rows[0]?.ok !== true) {
  throw new LgspError('PEER_BENCH_BUSY', 'another bench:peer is running against this PostgreSQL server', { hint: 'wait for it to finish' });
}
const distribution = await resolveConnectDistribution(home, say);
await deleteBenchTopics(brokers, [OURS_PREFIX, PEER_PREFIX, PEER_GROUP_PREFIX], logger);
const source = await startSourcePostgres();
say(`source PostgreSQL (wal_level=logical) on 127.0.0.1:${source.port}`);
// Interrupted (Ctrl-C), the workers get the signal with us; the source server's data directory is
// removed here, not left in the temp folder.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void source.stop().finally(() => process.exit(130)));
}
let peer: PeerRun | undefined;
let ours: OursRun | undefined;
let fingerprints: { source: Record<string, TableFingerprint>; peer?: Record<string, TableFingerprint>; ours?: Record<string, TableFingerprint> };
let counts: Record<string, number>;
try {
  const sourceUrl = withDatabase(source.serverUrl, 'lgsp_onestop');
  const started = performance.now();
  counts = await loadOnestopRows(sourceUrl, createWorld({ seed, scale }));
  say(`scale ${scale}, seed ${seed}: one-stop rows loaded into the source in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  fingerprints = { source: await fingerprint(sourceUrl) };

  const runPeerStack = async (): Promise<void> => {
    say(`peer: Kafka Connect ${PEER_VERSIONS.kafkaConnect}, Debezium PostgreSQL ${PEER_VERSIONS.debeziumPostgres} → JDBC sink ${PEER_VERSIONS.debeziumJdbc} …`);
    peer = await runPeer({
      distribution,
      placement: {
        brokers: brokers.join(','),
        source: { host: '127.0.0.1', port: source.port, database: 'lgsp_onestop' },
        targetJdbcUrl: `jdbc:postgresql://${new URL(targetUrl).host}/lgsp_peer_target`,
        topicPrefix: `${PEER_PREFIX}${runId}`,
        runId,
        restPort: await freePort(),
        partitions,
      },
      settings,
      targetUrl,
      expected: counts,
      cpuLabels,
      logFile: resultsFile('peer-connect.log'),
      timeoutMs: Number(values['timeout-seconds']) * 1000,
    });
    say(`peer: ${peer.seconds.toFixed(1)} s`);
    fingerprints.peer = await fingerprint(targetUrl);
  };
  const runOurStack = async (): Promise<void> => {
    say('ours: lgsp run --sources onestop --pipelines onestop …');
    ours = await runOurs({
      env: {
        ...lgspSettingsFromEnv(),
        DATABASE_URL: warehouseUrl,
        LGSP_ONESTOP_DATABASE_URL: sourceUrl,
        LGSP_SIM_DATABASE_URL: sourceUrl,
        KAFKA_BROKERS: brokers.join(','),
        LGSP_TOPIC_PREFIX: `${OURS_PREFIX}${runId}.`,
        LGSP_TOPIC_PARTITIONS: String(partitions),
      },
      cpuLabels,
      logFile: resultsFile('peer-ours.log'),
    });
    say(`ours: ${ours.seconds.toFixed(1)} s (the whole process, mart refresh included: ${ours.processSeconds.toFixed(1)} s)`);
    fingerprints.ours = await fingerprint(warehouseUrl, (t) => WAREHOUSE_TABLES[t.name] ?? t.name);
  };
  for (const stack of values.first === 'peer' ? [runPeerStack, runOurStack] : [runOurStack, runPeerStack]) await stack();
} finally {
  await source.stop();
  await deleteBenchTopics(brokers, [`${OURS_PREFIX}${runId}.`, `${PEER_PREFIX}${runId}`, `${PEER_GROUP_PREFIX}${runId}`], logger).catch((err: unknown) =>
    say(`could not delete this run's topics: ${String(err)}`),
  );
}
if (peer === undefined || ours === undefined) throw new Error('unreachable: both stacks ran');

const rows = Object.values(counts).reduce((a, b) => a + b, 0);
const rate = (seconds: number): number => Math.round(rows / seconds);
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
// The stack's own processes: its worker (the JVM, or lgsp run), the broker, PostgreSQL's backends of
// its databases and its WAL/checkpoints. Not counted: other work on this shared machine (other
// processes, other databases' backends), the benchmark's own polling, and what the sampler missed.
const NOT_THE_STACK = new Set(['other processes', 'postgres: other', 'this process (node)', 'unattributed']);
const cpuSeconds = (run: PeerRun | OursRun): number | null =>
  run.cpu === undefined ? null : round(Object.entries(run.cpu.groups).reduce((sum, [group, s]) => (NOT_THE_STACK.has(group) ? sum : sum + s), 0), 1);
const compared: Compared = {
  peer: compare(fingerprints.source, fingerprints.peer),
  ours: compare(fingerprints.source, fingerprints.ours),
};
const output = {
  scale,
  seed,
  rows,
  rowsPerTable: counts,
  ours: {
    seconds: round(ours.seconds),
    rowsPerSec: rate(ours.seconds),
    cpuSeconds: cpuSeconds(ours),
    startupSeconds: ours.startupSeconds === null ? null : round(ours.startupSeconds),
    processSeconds: round(ours.processSeconds),
    steps: ours.steps,
    cpu: ours.cpu,
    guarantee: 'exactly-once into the warehouse: Kafka transactions on extract; the consumed offsets are committed in the warehouse transaction that merges the rows',
    targetMatchesSource: compared.ours,
  },
  peer: {
    seconds: round(peer.seconds),
    rowsPerSec: rate(peer.seconds),
    cpuSeconds: cpuSeconds(peer),
    startupSeconds: peer.startupSeconds === null ? null : round(peer.startupSeconds),
    snapshotSeconds: peer.snapshotSeconds === null ? null : round(peer.snapshotSeconds),
    settings: { versions: PEER_VERSIONS, tuning: settings, partitions, ...peer.properties },
    cpu: peer.cpu,
    guarantee: 'at-least-once: the standalone worker flushes source offsets to a file now and then, the sink commits consumer offsets after its writes; a restart redelivers, the upserts make the final rows right',
    targetMatchesSource: compared.peer,
  },
  ratio: round(rate(ours.seconds) / rate(peer.seconds), 3),
  first: values.first,
  where: {
    source: `a PostgreSQL of the benchmark's own (wal_level=logical), database lgsp_onestop; both stacks read it`,
    targets: `the machine's PostgreSQL (${new URL(server).host}): lgsp_peer_target (peer), lgsp_peer_warehouse (ours)`,
  },
  node: process.version,
  at: new Date().toISOString(),
};
await writeFile(resultsFile('peer.json'), `${JSON.stringify(output, null, 2)}\n`);
printFigures(say, output, compared);
printCpu(say, { ours: ours.cpu, peer: peer.cpu });
say('written to bench/results/peer.json');
await lock.end();
process.exit(0);

function compare(expected: Record<string, TableFingerprint>, actual: Record<string, TableFingerprint> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(expected).map(([table, want]) => {
      const got = actual?.[table];
      if (got === undefined) return [table, 'not checked'];
      if (got.rows === want.rows && got.keyDigest === want.keyDigest) return [table, `same ${want.rows} keys`];
      return [table, `DIFFERS: ${got.rows} rows (source ${want.rows}), key digest ${got.keyDigest === want.keyDigest ? 'same' : 'differs'}`];
    }),
  );
}
