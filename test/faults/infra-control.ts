/**
 * Stopping and starting the services under a run: the local Kafka broker (`lgsp local down|up
 * kafka`), and PostgreSQL: the local one (`lgsp local down|up postgres`) when the tests use it, a
 * system cluster on 5432 (`pg_ctlcluster`) only when DATABASE_URL points the tests at it. Every other
 * user of them sees the outage too, which is why the fault suite runs alone.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadSettings } from '../../src/config/settings.js';

const run = promisify(execFile);

/** The environment of `lgsp local …`: the local broker, whatever cluster the tests were given. */
function localEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['KAFKA_BROKERS'];
  return env;
}

/** Whether the tests' broker is the one `lgsp local` manages (only that one can be restarted here). */
export async function localBrokerRuns(): Promise<boolean> {
  try {
    await run('node', ['bin/lgsp.js', 'local', 'status', 'kafka'], { env: localEnv() });
    return true;
  } catch {
    return false;
  }
}

export async function kafkaDown(): Promise<void> {
  await run('node', ['bin/lgsp.js', 'local', 'down', 'kafka'], { env: localEnv() });
}

export async function kafkaUp(): Promise<void> {
  await run('node', ['bin/lgsp.js', 'local', 'up', 'kafka'], { env: localEnv(), timeout: 180_000 });
}

/** How to restart the tests' PostgreSQL (given their server URL), with its name; null when this suite cannot. */
export function postgresRestarter(databaseUrl: string): { readonly name: string; restart(): Promise<void> } | null {
  const url = new URL(databaseUrl);
  const port = Number(url.port || '5432');
  const loopback = ['127.0.0.1', 'localhost'].includes(url.hostname);
  if (loopback && port === loadSettings().LGSP_LOCAL_PG_PORT) {
    return { name: `the local PostgreSQL on ${port}`, restart: localPostgresRestart };
  }
  const version = port === 5432 && loopback ? postgresVersion() : null;
  return version === null ? null : { name: `the system cluster ${version}/main`, restart: () => postgresRestart(version) };
}

/** `lgsp local down postgres` (fast shutdown: every session ends) and up again. */
async function localPostgresRestart(): Promise<void> {
  await run('node', ['bin/lgsp.js', 'local', 'down', 'postgres'], { env: localEnv(), timeout: 60_000 });
  await run('node', ['bin/lgsp.js', 'local', 'up', 'postgres'], { env: localEnv(), timeout: 120_000 });
}

/** The newest PostgreSQL cluster installed (`/etc/postgresql/<version>/main`), or null when there is none. */
function postgresVersion(): string | null {
  try {
    return readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1) ?? null;
  } catch {
    return null;
  }
}

/** `pg_ctlcluster … restart` (its default fast mode terminates every session), then waits until it accepts connections. */
async function postgresRestart(version: string): Promise<void> {
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { timeout: 120_000 });
  for (let i = 0; i < 60; i++) {
    try {
      await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error('PostgreSQL did not accept connections within 30 s of its restart');
}
