import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LgspError } from '../../src/errors.js';

/** The part of the Testcontainers API the harness uses (the packages are not installed by the root `npm ci`). */
export interface StartedContainer {
  getId(): string;
  stop(): Promise<unknown>;
}

export interface ContainerBuilder {
  withEnvironment(env: Readonly<Record<string, string>>): ContainerBuilder;
  withExposedPorts(...ports: { container: number; host: number }[]): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  withStartupTimeout(ms: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}

export interface Testcontainers {
  readonly GenericContainer: new (image: string) => ContainerBuilder;
  readonly Wait: { forLogMessage(message: RegExp): unknown };
  readonly PostgreSqlContainer: new (image: string) => {
    withDatabase(name: string): { start(): Promise<StartedContainer & { getConnectionUri(): string }> };
  };
}

// Resolved from this folder's own package (test/containers/package.json), not the project's.
const here = createRequire(new URL('./package.json', import.meta.url));

/**
 * Loads testcontainers and @testcontainers/postgresql from test/containers/node_modules. They pull
 * ssh2, cpu-features and protobufjs (native builds, install scripts) that a machine without Docker
 * never needs, hence a package of their own.
 */
export async function loadTestcontainers(): Promise<Testcontainers> {
  const [core, postgres] = await Promise.all([load('testcontainers'), load('@testcontainers/postgresql')]);
  return { ...(core as Pick<Testcontainers, 'GenericContainer' | 'Wait'>), ...(postgres as Pick<Testcontainers, 'PostgreSqlContainer'>) };
}

async function load(name: string): Promise<unknown> {
  let resolved: string;
  try {
    resolved = here.resolve(name);
  } catch (err) {
    throw new LgspError('TEST_CONTAINERS_MISSING', `LGSP_TEST_INFRA=testcontainers needs ${name}, which is not installed`, {
      cause: err,
      hint: 'run `npm install --prefix test/containers` (and have Docker running), or unset LGSP_TEST_INFRA to use the local broker and PostgreSQL',
    });
  }
  return import(pathToFileURL(resolved).href);
}
