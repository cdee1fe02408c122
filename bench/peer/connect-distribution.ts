import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';

/** The peer stack, pinned: what the issue names and Maven Central serves. */
export const PEER_VERSIONS = {
  kafkaConnect: '4.4.0',
  debeziumPostgres: '3.6.1.Final',
  debeziumJdbc: '3.6.0.Final',
  /** The log4j2 release Kafka 4.x itself ships with (as the local broker uses). */
  log4j2: '2.24.3',
} as const;

const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
const CENTRAL = 'https://repo.maven.apache.org/maven2';

/** Where one resolved peer stack lives: the worker's class path and the connector plugins. */
export interface ConnectDistribution {
  readonly dir: string;
  /** The Kafka Connect runtime (connect-runtime, connect-json, connect-transforms, log4j2): the JVM's class path. */
  readonly libsDir: string;
  /** `plugin.path`: one folder per connector plugin, each with its own jars (Connect isolates them). */
  readonly pluginsDir: string;
}

/**
 * Makes sure the peer's jars are under `${LGSP_HOME}/peer/<versions>/`. The first call has Maven
 * resolve the Connect runtime and unpack the two Debezium connectors' `plugin` archives from Maven
 * Central (a minute or so); later calls find the marker written after a successful resolve.
 *
 * Two traps: Debezium's parent POM declares Confluent's repository, which is not reachable here,
 * so Maven runs with a settings file mirroring every repository (`*`) to Central; and the JDBC
 * sink's POM asks for a Hibernate release Central does not serve, so the sink is taken as its
 * `plugin` tar.gz (which bundles Hibernate and the JDBC drivers) and never resolved transitively.
 */
export async function resolveConnectDistribution(home: string, log: (line: string) => void): Promise<ConnectDistribution> {
  const v = PEER_VERSIONS;
  const dir = path.join(home, 'peer', `connect-${v.kafkaConnect}_debezium-${v.debeziumPostgres}_jdbc-${v.debeziumJdbc}`);
  const distribution = { dir, libsDir: path.join(dir, 'libs'), pluginsDir: path.join(dir, 'plugins') };
  const marker = path.join(dir, 'jars.resolved');
  if (existsSync(marker) && existsSync(distribution.libsDir) && readdirSync(distribution.pluginsDir).length >= 2) return distribution;
  await mkdir(dir, { recursive: true });
  await Promise.all([rm(distribution.libsDir, { recursive: true, force: true }), rm(distribution.pluginsDir, { recursive: true, force: true })]);
  await writeFile(path.join(dir, 'pom.xml'), renderPeerPom());
  await writeFile(path.join(dir, 'settings.xml'), renderCentralOnlySettings());
  log(`resolving Kafka Connect ${v.kafkaConnect}, Debezium PostgreSQL ${v.debeziumPostgres} and JDBC sink ${v.debeziumJdbc} from Maven Central into ${dir} (first run only)`);
  await runMaven(dir, ['-q', '-B', '-s', 'settings.xml', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime', 'dependency:unpack@plugins']);
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return distribution;
}

/** Every repository, the ones dependencies' POMs declare included, is read from Central. */
export function renderCentralOnlySettings(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by bench/peer: Debezium's parent POM declares Confluent's repository; read everything from Maven Central. -->
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <mirrors>
    <mirror>
      <id>central-for-all</id>
      <mirrorOf>*</mirrorOf>
      <url>${CENTRAL}</url>
    </mirror>
  </mirrors>
</settings>
`;
}

const dependency = (groupId: string, artifactId: string, version: string): string =>
  `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;

const pluginArchive = (artifactId: string, version: string): string =>
  `            <artifactItem><groupId>io.debezium</groupId><artifactId>${artifactId}</artifactId><version>${version}</version><classifier>plugin</classifier><type>tar.gz</type></artifactItem>`;

/** A pom whose only purpose is to list the worker's class path and fetch the two plugin archives. */
export function renderPeerPom(): string {
  const v = PEER_VERSIONS;
  // The logging backend first: Maven takes the nearest, first-declared slf4j-api (2.x, with its log4j2 provider).
  const dependencies = [
    dependency('org.apache.logging.log4j', 'log4j-slf4j2-impl', v.log4j2),
    dependency('org.apache.logging.log4j', 'log4j-api', v.log4j2),
    dependency('org.apache.logging.log4j', 'log4j-core', v.log4j2),
    dependency('org.apache.kafka', 'connect-runtime', v.kafkaConnect),
    dependency('org.apache.kafka', 'connect-json', v.kafkaConnect),
    dependency('org.apache.kafka', 'connect-transforms', v.kafkaConnect),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by bench/peer: the Kafka Connect ${v.kafkaConnect} worker's class path into libs/, the Debezium plugins into plugins/. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lgsp.bench</groupId>
  <artifactId>peer-connect</artifactId>
  <version>${v.kafkaConnect}</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies.join('\n')}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        <executions>
          <execution>
            <id>plugins</id>
            <phase>none</phase>
            <configuration>
              <outputDirectory>plugins</outputDirectory>
              <artifactItems>
${pluginArchive('debezium-connector-postgres', v.debeziumPostgres)}
${pluginArchive('debezium-connector-jdbc', v.debeziumJdbc)}
              </artifactItems>
            </configuration>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

function runMaven(cwd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('mvn', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) =>
      reject(new LgspError('PEER_RESOLVE_FAILED', `cannot run Maven (mvn) to resolve the peer's jars: ${err.message}`, { cause: err, hint: 'install Maven 3.6+ and a JDK 17+' })),
    );
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
        return;
      }
      const tail = output.trim().split('\n').slice(-8).join(' | ');
      reject(
        new LgspError('PEER_RESOLVE_FAILED', `Maven failed to resolve the peer's jars (exit ${String(code)}): ${tail}`, {
          retriable: true,
          context: { dir: cwd },
          hint: `check that Maven Central is reachable, then retry; the pom is ${path.join(cwd, 'pom.xml')}`,
        }),
      );
    });
  });
}
