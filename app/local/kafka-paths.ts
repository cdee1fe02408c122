import path from 'node:path';

/**
 * Where the local broker keeps everything, all under `LGSP_HOME` (outside the repository):
 * the resolved jars per version, and per port its data, config, log and pid file.
 */
export interface KafkaPaths {
  /** `${LGSP_HOME}/kafka/<version>`: the pom.xml Maven resolves, and `libs/` it fills. */
  readonly distDir: string;
  readonly libsDir: string;
  /** Written last by a successful resolve; its absence means `libs/` must be resolved again. */
  readonly resolvedMarker: string;
  /** `${LGSP_HOME}/kafka/data-<port>`: KRaft metadata and topic logs. */
  readonly dataDir: string;
  readonly configDir: string;
  readonly serverProperties: string;
  /** The broker's stdout and stderr. */
  readonly logFile: string;
  readonly pidFile: string;
  /** Held while a broker is being started on this port. */
  readonly startLock: string;
}

export function kafkaPaths(home: string, version: string, port: number): KafkaPaths {
  const root = path.join(home, 'kafka');
  const distDir = path.join(root, version);
  const configDir = path.join(root, `config-${port}`);
  return {
    distDir,
    libsDir: path.join(distDir, 'libs'),
    resolvedMarker: path.join(distDir, 'libs.resolved'),
    dataDir: path.join(root, `data-${port}`),
    configDir,
    serverProperties: path.join(configDir, 'server.properties'),
    logFile: path.join(root, `broker-${port}.log`),
    pidFile: path.join(root, `broker-${port}.pid`),
    startLock: path.join(root, `broker-${port}.lock`),
  };
}
