import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function lgsp(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/lgsp.js', ...args], { env: { ...process.env, LGSP_DEBUG: '', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The operator sees one line saying what was unreachable (plus a hint line), never a stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('{')); // pino JSON logs aside
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('the CLI on connection failures and bad settings', () => {
  it('names the unreachable Kafka broker and how to start one', async () => {
    const port = await closedPort();
    const result = await lgsp(['extract', 'population'], { KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, new RegExp(`^lgsp: cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\[SERVICE_UNREACHABLE\\]`));
    expect(result.stderr).toContain('hint: start the local broker with `npx lgsp local up`, or set KAFKA_BROKERS');
  });

  it('names the unreachable PostgreSQL and how to start it', async () => {
    const port = await closedPort();
    const result = await lgsp(['migrate'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/lgsp` });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, new RegExp(`^lgsp: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}`));
    expect(result.stderr).toContain('hint: start the local PostgreSQL with `npx lgsp local up`, or the server DATABASE_URL names');
  });

  it('names a malformed DATABASE_URL', async () => {
    const result = await lgsp(['migrate'], { DATABASE_URL: 'not a url' });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, /^lgsp: DATABASE_URL: must be a URL like postgres:\/\/user@host:5432\/database \(got "not a url"\) \[CONFIG_INVALID\]$/);
  });

  it('names a malformed DATABASE_URL without its password', async () => {
    const result = await lgsp(['migrate'], { DATABASE_URL: 'postgres://app:hunter2@db:notaport/lgsp' });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, /^lgsp: DATABASE_URL: must be a URL like postgres:\/\/user@host:5432\/database \(got "postgres:\/\/app:\*\*\*@db:notaport\/lgsp"\) \[CONFIG_INVALID\]$/);
  });

  it('names the unreachable one-stop database, its setting and what to do, as for the other sources', async () => {
    const port = await closedPort();
    const result = await lgsp(['extract', 'onestop'], {
      LGSP_ONESTOP_DATABASE_URL: `postgres://reader:hunter2@127.0.0.1:${port}/onestop`,
      LGSP_TOPIC_PREFIX: `clierr${port}.`,
      LOG_LEVEL: 'error',
    });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, new RegExp(`^lgsp: cannot reach the one-stop database at 127\\.0\\.0\\.1:${port} \\[SERVICE_UNREACHABLE\\]$`));
    expect(result.stderr).toContain('hint: is it up? Check LGSP_ONESTOP_DATABASE_URL; for the simulated one-stop system run `npx lgsp mock serve`');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('names an unknown pipeline and lists the known ones', async () => {
    const result = await lgsp(['load', 'populaton'], {});
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /^lgsp: unknown pipeline populaton \[USAGE\]$/);
    expect(result.stderr).toContain('known pipelines: population');
  });

  it('names the unreachable source API after its retries', async () => {
    const port = await closedPort();
    const result = await lgsp(['extract', 'population'], {
      LGSP_POPULATION_URL: `http://127.0.0.1:${port}/population`,
      LGSP_TOPIC_PREFIX: `clierr${port}.`,
      LOG_LEVEL: 'error',
      LGSP_HTTP_RETRIES: '1',
    });
    expect(result.code).toBe(1);
    expectOneLineError(result.stderr, /^lgsp: population: POST \/population\/oauth2\/token failed: ECONNREFUSED \[SOURCE_NETWORK\]$/);
  });

  it('says nothing of a reader that stopped early (`lgsp local status | head -1`): no EPIPE stack, the exit code of the command', async () => {
    const env = { ...process.env, LGSP_DEBUG: '', LOG_LEVEL: 'warn' };
    const read = await lgsp(['local', 'status'], env);
    // The pipe's reader is gone before the command writes its first line.
    const child = spawn('node', ['bin/lgsp.js', 'local', 'status'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(read.stdout).toMatch(/Kafka|PostgreSQL/);
    expect(stderr).toBe(read.stderr);
    expect(code).toBe(read.code);
  });
});

