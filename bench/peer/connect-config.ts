import { MOVED_TABLES } from './onestop-rows.js';

/** Where the peer reads, writes and listens; everything else in its configuration is a setting. */
export interface PeerPlacement {
  readonly brokers: string;
  /** The logical-replication source server and database. */
  readonly source: { readonly host: string; readonly port: number; readonly database: string };
  /** The target database, as a JDBC URL. */
  readonly targetJdbcUrl: string;
  /** Debezium's `topic.prefix`: topics are `<prefix>.onestop.<table>`. */
  readonly topicPrefix: string;
  /** Distinguishes this run's slot, publication, consumer group. */
  readonly runId: string;
  readonly restPort: number;
  readonly offsetsFile: string;
  readonly pluginPath: string;
  readonly partitions: number;
}

/** The peer's tuning, as recorded beside its figures: each key is the property it sets. */
export interface PeerSettings {
  /** JVM options of the worker (connect-standalone.sh's heap and GC defaults unless overridden). */
  readonly jvm: readonly string[];
  readonly worker: Readonly<Record<string, string>>;
  readonly source: Readonly<Record<string, string>>;
  readonly sink: Readonly<Record<string, string>>;
}

/**
 * The peer, tuned for a one-off bulk copy from its own documentation:
 * - Debezium PostgreSQL: `snapshot.fetch.size` rows per snapshot fetch (default 10240);
 *   `max.batch.size` / `max.queue.size`, the batch its task hands Connect and the queue in front
 *   of it (defaults 2048 / 8192; raised for throughput, the queue kept 4× the batch as the docs ask);
 *   `snapshot.max.threads` snapshots tables side by side (default 1; 2 = the machine's cores).
 * - the worker: `plugin.discovery=service_load` reads the plugins' ServiceLoader manifests instead
 *   of scanning every jar of plugin.path by reflection (the worker's own start-up warning suggests it);
 * - the worker's producer: `batch.size` and `linger.ms` (defaults 16 KiB and 5 ms): JSON records
 *   with their schemas are ~2 KiB each, so a 16 KiB batch holds 8 of them; `compression.type=lz4`
 *   (default none): the schemas repeat in every record and compress well (ours sends uncompressed).
 * - Debezium JDBC sink: `batch.size` (default 500) with the consumer's `max.poll.records` to
 *   match (a sink batch is at most one poll), `dialect.postgres.unnest.insert.enabled` (one
 *   INSERT … SELECT FROM unnest(…) ON CONFLICT per batch instead of a JDBC batch of statements;
 *   the docs promise 5–10×; in 3.6.0 it fails on Debezium's own date type, "invalid input syntax for
 *   type date: 18262", so the source sends Kafka Connect's logical types: `time.precision.mode=connect`),
 *   `tasks.max` 2 (the machine's cores; topics have `partitions` each).
 */
export const PEER_TUNING: PeerSettings = {
  jvm: ['-Xms256M', '-Xmx2G', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true'],
  worker: {
    'producer.batch.size': '262144',
    'producer.linger.ms': '20',
    'producer.compression.type': 'lz4',
    'consumer.max.poll.records': '5000',
    'consumer.fetch.max.bytes': '52428800',
    'consumer.max.partition.fetch.bytes': '10485760',
    'offset.flush.interval.ms': '10000',
    'plugin.discovery': 'service_load',
  },
  source: {
    'snapshot.fetch.size': '10240',
    'max.batch.size': '8192',
    'max.queue.size': '32768',
    'snapshot.max.threads': '2',
    'poll.interval.ms': '100',
    'time.precision.mode': 'connect',
  },
  sink: {
    'tasks.max': '2',
    'batch.size': '5000',
    'consumer.override.max.poll.records': '5000',
    'dialect.postgres.unnest.insert.enabled': 'true',
    'use.reduction.buffer': 'false',
  },
};

/**
 * Applies `scope.property=value` overrides (scope: jvm, worker, source, sink) to the tuning, for
 * comparing settings from the command line (`--peer sink.batch.size=2000`). `jvm=…` adds an option.
 */
export function withOverrides(settings: PeerSettings, overrides: readonly string[]): PeerSettings {
  const next = { jvm: [...settings.jvm], worker: { ...settings.worker }, source: { ...settings.source }, sink: { ...settings.sink } };
  for (const override of overrides) {
    const match = /^(jvm|worker|source|sink)(?:\.([^=]+))?=(.*)$/.exec(override);
    if (match === null) throw new Error(`--peer takes scope.property=value (scope: jvm, worker, source, sink), not ${override}`);
    const [, scope, property, value = ''] = match;
    if (scope === 'jvm') next.jvm.push(value);
    else if (property !== undefined) next[scope as 'worker' | 'source' | 'sink'][property] = value;
  }
  return next;
}

export const peerTopics = (placement: Pick<PeerPlacement, 'topicPrefix'>): string[] => MOVED_TABLES.map((t) => `${placement.topicPrefix}.${t.name}`);

/** The standalone worker: the local broker, JSON with schemas (no Avro converter is served), file offsets. */
export function workerProperties(placement: PeerPlacement, settings: PeerSettings): Record<string, string> {
  return {
    'bootstrap.servers': placement.brokers,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.storage.file.filename': placement.offsetsFile,
    'plugin.path': placement.pluginPath,
    listeners: `http://127.0.0.1:${placement.restPort}`,
    // The sink's consumer.override.* settings need it (the worker's default policy may refuse them).
    'connector.client.config.override.policy': 'All',
    ...settings.worker,
  };
}

/** Debezium's PostgreSQL connector: pgoutput, a snapshot of the five tables and nothing after. */
export function sourceProperties(placement: PeerPlacement, settings: PeerSettings): Record<string, string> {
  return {
    name: `peer-source-${placement.runId}`,
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': placement.source.host,
    'database.port': String(placement.source.port),
    'database.user': 'postgres',
    'database.password': '',
    'database.dbname': placement.source.database,
    'topic.prefix': placement.topicPrefix,
    'plugin.name': 'pgoutput',
    'slot.name': `lgsp_peer_${placement.runId}`,
    'publication.name': `lgsp_peer_${placement.runId}`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': MOVED_TABLES.map((t) => t.name).join(','),
    'snapshot.mode': 'initial_only',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': String(placement.partitions),
    ...settings.source,
  };
}

/** Debezium's JDBC sink: upsert on the record key into `onestop.<table>` of the target, tables created by the sink. */
export function sinkProperties(placement: PeerPlacement, settings: PeerSettings): Record<string, string> {
  return {
    name: `peer-sink-${placement.runId}`,
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    topics: peerTopics(placement).join(','),
    'connection.url': placement.targetJdbcUrl,
    'connection.username': 'postgres',
    'connection.password': '',
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'false',
    'schema.evolution': 'basic',
    'collection.name.format': '${source.schema}.${source.table}',
    ...settings.sink,
  };
}

/** Java properties text (values here hold no newlines; backslashes are escaped). */
export function renderProperties(properties: Readonly<Record<string, string>>): string {
  return `${Object.entries(properties)
    .map(([k, v]) => `${k}=${v.replaceAll('\\', '\\\\')}`)
    .join('\n')}\n`;
}

/** log4j2: INFO to the worker's stdout, which the benchmark keeps in a log file and watches for a few lines; not the benchmark's own status requests. */
export const LOG4J2_PROPERTIES = `rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.rest.name=org.apache.kafka.connect.runtime.rest.RestServer
logger.rest.level=WARN
`;
