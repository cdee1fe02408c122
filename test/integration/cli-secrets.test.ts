import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../src/db/postgres.js';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Distinctive, so that any occurrence in an output is the secret itself. */
const secret = (what: string): string => `${what}${randomBytes(6).toString('hex')}`;

/** The URL with a password in its userinfo (`postgres://user:password@host…`). */
function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** What the run must show, so that a case that never reached its setting cannot pass by accident. */
  readonly expect: RegExp;
}

/**
 * Regression test for secrets echoed to the terminal (issue 15, item 8): a malformed DATABASE_URL
 * was printed whole, password included, in the CONFIG_INVALID line and its `--debug` stack, and
 * `config check` printed the LGSP adapters' URLs unmasked. Every URL setting and the client secret
 * carry distinctive secrets, well-formed and malformed, through the commands that print settings
 * or fail early; no byte of stdout or stderr may hold any of them.
 */
describe('no secret in any output of the CLI', () => {
  const t = useDeployment();
  const secrets = {
    warehouse: secret('pwwarehouse'),
    store: secret('pwstore'),
    onestop: secret('pwonestop'),
    client: secret('clientsecret'),
    broker: secret('pwbroker'),
    adapter: secret('pwadapter'),
    analyst: secret('pwanalyst'),
  };
  const analyst = `analyst_${t.id}`;
  afterAll(async () => {
    await t.query(`DROP ROLE IF EXISTS ${quoteIdent(analyst)}`);
  });

  /** Every secret setting set, well-formed: the warehouse and store URLs work (the test server trusts 127.0.0.1 and ignores passwords). */
  function wellFormed(): Record<string, string> {
    return {
      DATABASE_URL: withPassword(t.settings.DATABASE_URL, secrets.warehouse),
      LGSP_SIM_DATABASE_URL: withPassword(t.settings.LGSP_SIM_DATABASE_URL, secrets.store),
      LGSP_ONESTOP_DATABASE_URL: `${t.settings.LGSP_ONESTOP_DATABASE_URL}?password=${secrets.onestop}`,
      LGSP_CLIENT_SECRET: secrets.client,
      LGSP_ANALYST_PASSWORD: secrets.analyst,
      LOG_LEVEL: 'debug',
    };
  }

  async function cases(): Promise<Case[]> {
    const closed = await closedPort();
    const unreachable = `postgres://postgres:${secrets.warehouse}@127.0.0.1:${closed}/lgsp`;
    const malformed: [string, string][] = [
      ['DATABASE_URL', `postgres://u:${secrets.warehouse}@host:notaport/db`],
      ['DATABASE_URL', `postgres:/u:${secrets.warehouse}@x`],
      ['DATABASE_URL', `u:${secrets.warehouse}@host/db`],
      ['DATABASE_URL', `postgres://u:${secrets.warehouse}@127.0.0.1:5432`],
      ['LGSP_SIM_DATABASE_URL', `postgresql://u:${secrets.store}@[::1/lgsp_sim`],
      ['LGSP_ONESTOP_DATABASE_URL', `postgres//u:${secrets.onestop}@127.0.0.1/onestop`],
      ['KAFKA_BROKERS', `u:${secrets.broker}@127.0.0.1:9092`],
      ['LGSP_POPULATION_URL', `http://u:${secrets.adapter}@127.0.0.1:notaport/population`],
      ['LGSP_BUSINESS_URL', `http://lgsp:${secrets.adapter}@127.0.0.1:8402/business`],
    ];
    const settingError = (setting: string): RegExp => new RegExp(`^lgsp: ${setting}: .*\\[CONFIG_INVALID\\]$`, 'm');
    return [
      { name: 'config check', args: ['config', 'check'], env: wellFormed(), expect: /Configuration OK\./ },
      { name: 'config check --debug', args: ['--debug', 'config', 'check'], env: wellFormed(), expect: /Configuration OK\./ },
      { name: 'migrate', args: ['migrate'], env: wellFormed(), expect: /^Warehouse .* is up to date\.$/m },
      { name: 'status', args: ['status'], env: wellFormed(), expect: /Runs/i },
      { name: 'analyst add', args: ['analyst', 'add', analyst], env: wellFormed(), expect: new RegExp(`Connect with: psql 'postgres://${analyst}@`) },
      { name: 'dlq list', args: ['dlq', 'list', 'lgsp.raw.population.citizen.v1'], env: wellFormed(), expect: /1 dead letter\(s\)/ },
      { name: 'run, warehouse unreachable', args: ['--debug', 'run'], env: { ...wellFormed(), DATABASE_URL: unreachable }, expect: /cannot reach PostgreSQL/ },
      { name: 'status, warehouse unreachable', args: ['--debug', 'status'], env: { ...wellFormed(), DATABASE_URL: unreachable }, expect: /cannot reach PostgreSQL/ },
      {
        name: 'migrate, credentials refused',
        args: ['--debug', 'migrate'],
        // The tests' own server: a role it does not know is refused, even with trust auth.
        env: { ...wellFormed(), DATABASE_URL: `postgres://nobody_${randomBytes(3).toString('hex')}:${secrets.warehouse}@${new URL(t.settings.DATABASE_URL).host}/lgsp` },
        expect: /\[DB_AUTH\]/,
      },
      {
        name: 'extract onestop, its database unreachable',
        args: ['--debug', 'extract', 'onestop'],
        env: { ...wellFormed(), LGSP_ONESTOP_DATABASE_URL: `postgres://postgres:${secrets.onestop}@127.0.0.1:${closed}/lgsp_sim?password=${secrets.onestop}` },
        expect: /cannot reach/,
      },
      {
        name: 'extract population, its adapter unreachable',
        args: ['--debug', 'extract', 'population'],
        env: { ...wellFormed(), LGSP_POPULATION_URL: `http://127.0.0.1:${closed}/population`, LGSP_HTTP_RETRIES: '0' },
        expect: /\[SOURCE_NETWORK\]/,
      },
      // Every command validates the settings the same way at start-up: `config check` for each value, `migrate` too for the warehouse's.
      ...malformed.flatMap(([setting, value]): Case[] => [
        { name: `config check, malformed ${setting} ${value}`, args: ['--debug', 'config', 'check'], env: { ...wellFormed(), [setting]: value }, expect: settingError(setting) },
        ...(setting === 'DATABASE_URL'
          ? [{ name: `migrate, malformed ${setting} ${value}`, args: ['--debug', 'migrate'], env: { ...wellFormed(), [setting]: value }, expect: settingError(setting) }]
          : []),
      ]),
    ];
  }

  it('prints no password, client secret or broker credentials, well-formed or malformed, with or without --debug', async () => {
    // A dead letter for `dlq list` to show.
    const producer = t.runtime.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: dlqTopic(rawTopic(t.runtime.naming, 'population', 'citizen')),
      messages: [{ key: '001099012345', value: '{}', headers: { 'lgsp.error.code': 'SCHEMA', 'lgsp.error.reason': 'a reason', 'lgsp.source': 'population', 'lgsp.stream': 'citizens' } }],
    });
    await producer.disconnect();

    const all = await cases();
    const results: { name: string; result: CliResult }[] = [];
    // Three at a time: two cores, and each run is a Node process of its own.
    for (let i = 0; i < all.length; i += 3) {
      const batch = all.slice(i, i + 3);
      const done = await Promise.all(batch.map((c) => startCli(c.args, t.cliEnv(c.env)).done));
      done.forEach((result, j) => results.push({ name: batch[j]?.name ?? '?', result }));
    }

    const leaks = results.flatMap(({ name, result }) =>
      Object.entries(secrets).flatMap(([what, value]) =>
        `${result.stdout}\n${result.stderr}`
          .split('\n')
          .filter((line) => line.includes(value))
          .map((line) => `${name}: ${what} secret in «${line.slice(0, 300)}»`),
      ),
    );
    expect.soft(leaks).toEqual([]);
    const unexpected = results
      .map(({ name, result }, i) => ({ name, output: `${result.stdout}\n${result.stderr}`, expect: all[i]?.expect ?? /^$/ }))
      .filter((r) => !r.expect.test(r.output))
      .map((r) => `${r.name}: output does not match ${String(r.expect)}:\n${r.output.slice(0, 2000)}`);
    expect(unexpected).toEqual([]);
  });
});
