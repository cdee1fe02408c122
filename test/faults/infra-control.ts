/**
 * Stopping and starting the shared services under a run: the local Kafka broker (`lgsp local
 * down|up`) and the PostgreSQL cluster (`pg_ctlcluster`). Every other user of them sees the outage
 * too, which is why the fault suite runs alone.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

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
    await run('node', ['bin/lgsp.js', 'local', 'status'], { env: localEnv() });
    return true;
  } catch {
    return false;
  }
}

export async function kafkaDown(): Promise<void> {
  await run('node', ['bin/lgsp.js', 'local', 'down'], { env: localEnv() });
}

export async function kafkaUp(): Promise<void> {
  await run('node', ['bin/lgsp.js', 'local', 'up'], { env: localEnv(), timeout: 180_000 });
}

/** The newest PostgreSQL cluster installed (`/etc/postgresql/<version>/main`), or null when there is none. */
export function postgresVersion(): string | null {
  try {
    return readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1) ?? null;
  } catch {
    return null;
  }
}

/** `pg_ctlcluster … restart` (its default fast mode terminates every session), then waits until it accepts connections. */
export async function postgresRestart(version: string): Promise<void> {
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
