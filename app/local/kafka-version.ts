/**
 * The Apache Kafka broker version run by `lgsp local up`, the test global setup and docker-compose.yml.
 *
 * Why this version: it is the newest release on Maven Central (November 2026), and kafkajs 2.2.4 (the
 * client every component uses) passes test/integration/kafka-broker.test.ts against it — produce,
 * consume in a consumer group, transactions with sendOffsets, read_committed hiding aborted records.
 * 3.9.1 passes too (the fallback). On one node the internal topics need replication factor 1
 * (app/local/broker-config.ts); without it consumers wait forever for a group coordinator.
 * Change it only together with docker-compose.yml and a green run of that test.
 */
export const KAFKA_VERSION = '4.4.0';

/** The Scala build of the broker artifact (`kafka_<scala>` on Maven Central). */
export const KAFKA_SCALA_VERSION = '2.13';

/** Kafka 4 logs through log4j2; 3.x through log4j 1 (reload4j). */
export function usesLog4j2(version: string): boolean {
  return majorVersion(version) >= 4;
}

export function majorVersion(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isNaN(major) ? 0 : major;
}
