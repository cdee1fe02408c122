import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LgspError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { KafkaPaths } from './kafka-paths.js';
import { KAFKA_SCALA_VERSION, usesLog4j2 } from './kafka-version.js';

/** Pinned so that a fresh machine resolves exactly what was tested, whatever Maven's defaults. */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
/** The log4j2 release Kafka 4.x itself ships with. */
const LOG4J2_VERSION = '2.24.3';
/** Kafka 3.x logs through slf4j 1.7 + reload4j, as its own distribution does. */
const SLF4J_RELOAD4J_VERSION = '1.7.36';

/**
 * Makes sure the broker's jars for `version` are in `paths.libsDir`. The first call has Maven resolve
 * `kafka_2.13` and its runtime dependencies from Maven Central (a minute or two); later calls find the
 * marker written after a successful resolve and return at once.
 */
export async function resolveKafkaDistribution(paths: KafkaPaths, version: string, logger: Logger): Promise<{ readonly resolved: boolean }> {
  if (existsSync(paths.resolvedMarker) && existsSync(paths.libsDir) && readdirSync(paths.libsDir).length > 0) {
    return { resolved: false };
  }
  await mkdir(paths.distDir, { recursive: true });
  await rm(paths.libsDir, { recursive: true, force: true });
  await writeFile(path.join(paths.distDir, 'pom.xml'), renderPom(version));
  logger.info({ version, dir: paths.distDir }, 'resolving the Kafka broker jars from Maven Central (first run only)');
  await runMaven(paths.distDir);
  await writeFile(paths.resolvedMarker, `${new Date().toISOString()}\n`);
  return { resolved: true };
}

function runMaven(cwd: string): Promise<void> {
  const args = ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=libs', '-DincludeScope=runtime'];
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('mvn', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) =>
      reject(
        new LgspError('KAFKA_RESOLVE_FAILED', `cannot run Maven (mvn) to resolve the Kafka jars: ${err.message}`, {
          cause: err,
          hint: 'install Maven 3.6+ and a JDK 17+ (the broker needs both), or set KAFKA_BROKERS to an existing cluster',
        }),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
        return;
      }
      reject(
        new LgspError('KAFKA_RESOLVE_FAILED', `Maven failed to resolve the Kafka jars (exit ${String(code)}): ${lastLines(output, 8)}`, {
          retriable: true,
          context: { dir: cwd },
          hint: `check that Maven Central is reachable, then retry; the pom is ${path.join(cwd, 'pom.xml')}`,
        }),
      );
    });
  });
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

function dependency(groupId: string, artifactId: string, version: string, exclusions: readonly string[] = []): string {
  const excluded = exclusions
    .map((coords) => {
      const [g, a] = coords.split(':');
      return `<exclusion><groupId>${g ?? ''}</groupId><artifactId>${a ?? ''}</artifactId></exclusion>`;
    })
    .join('');
  const exclusionXml = excluded === '' ? '' : `\n      <exclusions>${excluded}</exclusions>`;
  return `    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>${exclusionXml}
    </dependency>`;
}

/** A pom whose only purpose is to list the broker's runtime class path. */
export function renderPom(version: string): string {
  // The logging backend comes first: Maven takes the nearest, first-declared version of slf4j-api,
  // so with Kafka 4 we get slf4j 2 and its log4j2 provider. Other bindings are excluded.
  const logging = usesLog4j2(version)
    ? [
        dependency('org.apache.logging.log4j', 'log4j-slf4j2-impl', LOG4J2_VERSION),
        dependency('org.apache.logging.log4j', 'log4j-api', LOG4J2_VERSION),
        dependency('org.apache.logging.log4j', 'log4j-core', LOG4J2_VERSION),
      ]
    : [dependency('org.slf4j', 'slf4j-reload4j', SLF4J_RELOAD4J_VERSION)];
  const broker = dependency('org.apache.kafka', `kafka_${KAFKA_SCALA_VERSION}`, version, [
    'ch.qos.logback:logback-classic',
    'ch.qos.logback:logback-core',
    'org.slf4j:slf4j-log4j12',
    'log4j:log4j',
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by \`lgsp local up\`: resolves the Apache Kafka ${version} broker class path into libs/. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lgsp.local</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
${[...logging, broker].join('\n')}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${DEPENDENCY_PLUGIN_VERSION}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}
