import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { secretSettings, showSecret, type SecretKind } from './secrets.js';

/**
 * Records a connector gathers from consecutive pages into one Kafka transaction. A transaction
 * costs a few milliseconds of round trips to the broker whatever it holds (~6.7 ms measured: the
 * one-stop extract at scale 0.4 took 30.0 s with a transaction per 1,000-row page, 20.6 s with
 * 5,000 rows a transaction), and a crash redoes at most one.
 */
export const DEFAULT_RECORDS_PER_TRANSACTION = 5000;

/** The local PostgreSQL's default port: not 5432, so that it never collides with a system server. */
export const LOCAL_POSTGRES_PORT = 54329;

/** The database URL settings that default to a database on the local PostgreSQL, and which database. */
const LOCAL_DATABASES = {
  DATABASE_URL: 'lgsp',
  LGSP_SIM_DATABASE_URL: 'lgsp_sim',
  LGSP_ONESTOP_DATABASE_URL: 'lgsp_sim',
} as const;
type DatabaseUrlSetting = keyof typeof LOCAL_DATABASES;

/**
 * Connection settings and secrets come from the environment (and `.env`, loaded by the CLI).
 * Each field documents itself; the fields that hold secrets are registered in `secretSettings`
 * (src/config/secrets.ts), and {@link showSetting} is the only way a setting's value is printed.
 */
const postgresUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
    } catch {
      return false;
    }
  }, 'must be a URL like postgres://user@host:5432/database');

/** An LGSP adapter's base URL. Credentials go in LGSP_CLIENT_ID/SECRET: fetch refuses a URL carrying them, and would print it whole. */
const adapterUrl = z.url().refine((value) => {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return true; // malformed: z.url() has said so already
  }
}, 'must not carry credentials: the LGSP adapters are authenticated with LGSP_CLIENT_ID and LGSP_CLIENT_SECRET');

const credentials = { secret: 'credentials' } as const;

const brokerList = z
  .string()
  .transform((value) => value.split(',').map((b) => b.trim()).filter((b) => b.length > 0))
  .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), 'must be a comma-separated list of host:port');

export const settingsSchema = z.object({
  /**
   * The warehouse. The database is created if it does not exist. Unset: database `lgsp` on the local
   * PostgreSQL of `lgsp local up` (127.0.0.1:LGSP_LOCAL_PG_PORT). (secret: may carry a password)
   */
  DATABASE_URL: postgresUrl.optional().register(secretSettings, credentials),
  /** The simulator's own store, separate from the warehouse, as the real source systems are. Unset: database `lgsp_sim` on the local PostgreSQL. (secret: may carry a password) */
  LGSP_SIM_DATABASE_URL: postgresUrl.optional().register(secretSettings, credentials),
  /** Port of the local PostgreSQL (`lgsp local up`), which the database URLs point at when they are unset. */
  LGSP_LOCAL_PG_PORT: z.coerce.number().int().min(1).max(65535).default(LOCAL_POSTGRES_PORT),
  /**
   * An existing Kafka cluster. When unset, the local broker managed by `lgsp local` is used.
   * (secret: a valid list holds no password, but a mistaken `user:password@host:port` is masked in the error.)
   */
  KAFKA_BROKERS: brokerList.optional().register(secretSettings, credentials),
  /** Port of the local broker (`lgsp local up`). */
  LGSP_KAFKA_PORT: z.coerce.number().int().min(1).max(65535).default(9092),
  /** Where jars, broker data and pid files live: outside the repository. */
  LGSP_HOME: z.string().min(1).default(path.join(os.homedir(), '.cache', 'lgsp')),
  /** Partitions of the topics the connectors create. */
  LGSP_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** Base URL of the population database's LGSP adapter (the simulator serves it here by default). */
  LGSP_POPULATION_URL: adapterUrl.default('http://127.0.0.1:8401/population').register(secretSettings, credentials),
  /** Base URL of the business registration database's LGSP adapter (answers 5-day windows only). */
  LGSP_BUSINESS_URL: adapterUrl.default('http://127.0.0.1:8402/business').register(secretSettings, credentials),
  /** Base URL of the social insurance database's LGSP adapter. */
  LGSP_INSURANCE_URL: adapterUrl.default('http://127.0.0.1:8403/insurance').register(secretSettings, credentials),
  /** Base URL of the land database's LGSP adapter. */
  LGSP_LAND_URL: adapterUrl.default('http://127.0.0.1:8404/land').register(secretSettings, credentials),
  /** The provincial one-stop system's database, read table by table (secret: may carry a password). Unset: the simulator's store's database on the local PostgreSQL (`lgsp_sim`), which holds its tables. */
  LGSP_ONESTOP_DATABASE_URL: postgresUrl.optional().register(secretSettings, credentials),
  /** OAuth2 client id the LGSP issued to this platform. */
  LGSP_CLIENT_ID: z.string().min(1).default('lgsp-travinh'),
  /** OAuth2 client secret (secret: never logged). The default matches the simulator's. */
  LGSP_CLIENT_SECRET: z.string().min(1).default('dev-secret-change-me').register(secretSettings, { secret: 'secret' }),
  /** The password `lgsp analyst add` gives the analyst (secret: never shown); unset → asked on the terminal, without echo. */
  LGSP_ANALYST_PASSWORD: z.string().min(1).optional().register(secretSettings, { secret: 'secret' }),
  /** Prefix for every topic and consumer group, to keep deployments (or tests) apart on one cluster. */
  LGSP_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"').default(''),
  /**
   * The schema files (`schemas/` layout) this process is deployed with; default: the repository's
   * `schemas/`. A host running another release's connectors or pipelines points it at that
   * release's files (what happens when pipelines are older than connectors: schemas/README.md).
   */
  LGSP_SCHEMA_DIR: z.string().min(1).optional(),
  /** Retries of a failed source request (timeouts, resets, 5xx, 429) before the run fails. */
  LGSP_HTTP_RETRIES: z.coerce.number().int().min(0).max(50).default(8),
  /**
   * Records a connector gathers from consecutive pages into one Kafka transaction (a page is never
   * split; a transaction also commits at 768 KiB). Each transaction costs a few ms of broker round
   * trips; a crash redoes at most one. 1 commits every page on its own.
   */
  LGSP_EXTRACT_RECORDS_PER_TRANSACTION: z.coerce.number().int().min(1).max(50_000).default(DEFAULT_RECORDS_PER_TRANSACTION),
  /**
   * Most bytes a pipeline fetches per partition per request, which bounds one batch (one
   * PostgreSQL transaction): larger means fewer, bigger transactions. kafkajs's default is 1 MiB.
   */
  LGSP_LOAD_MAX_BYTES_PER_PARTITION: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
  /**
   * Share of the records a pipeline reads in a run that it may reject (0..1) before the run fails
   * naming the pipeline and the top reasons; the batch over it is not loaded (Kafka Connect's
   * errors.tolerance, made measurable). A systematic fault must not dead-letter a whole topic.
   */
  LGSP_LOAD_REJECT_SHARE: z.coerce.number().min(0).max(1).default(0.05),
  /** Rejects a pipeline may always make in a run, whatever their share: a handful of bad records in a small delta never stops a night. */
  LGSP_LOAD_REJECTS_TOLERATED: z.coerce.number().int().min(0).default(100),
  /** Consumer-group session timeout: how long a crashed load process holds its partitions before the group hands them on. */
  LGSP_LOAD_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The settings as the code sees them: every database URL filled in (unset → the local PostgreSQL). */
export type Settings = Omit<z.output<typeof settingsSchema>, DatabaseUrlSetting> & { readonly [K in DatabaseUrlSetting]: string };

/** `postgres://postgres@127.0.0.1:<port>/<database>`: a database on the local PostgreSQL (trust auth, loopback only). */
export function localPostgresUrl(port: number, database: string): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** Validates settings given as strings (throws zod's error) and fills each unset database URL. */
export function parseSettings(input: Readonly<Record<string, unknown>>): Settings {
  return withLocalDatabases(settingsSchema.parse(input));
}

function withLocalDatabases(parsed: z.output<typeof settingsSchema>): Settings {
  const url = (key: DatabaseUrlSetting): string => parsed[key] ?? localPostgresUrl(parsed.LGSP_LOCAL_PG_PORT, LOCAL_DATABASES[key]);
  return { ...parsed, DATABASE_URL: url('DATABASE_URL'), LGSP_SIM_DATABASE_URL: url('LGSP_SIM_DATABASE_URL'), LGSP_ONESTOP_DATABASE_URL: url('LGSP_ONESTOP_DATABASE_URL') };
}

/**
 * Whether any database URL names the local PostgreSQL of `lgsp local up` (127.0.0.1 or localhost on
 * LGSP_LOCAL_PG_PORT), so that the demo and the tests start it; a URL naming another server wins.
 */
export function usesLocalPostgres(settings: Pick<Settings, DatabaseUrlSetting | 'LGSP_LOCAL_PG_PORT'>): boolean {
  return (Object.keys(LOCAL_DATABASES) as DatabaseUrlSetting[]).some((key) => {
    const url = new URL(settings[key]);
    return ['127.0.0.1', 'localhost'].includes(url.hostname) && Number(url.port || '5432') === settings.LGSP_LOCAL_PG_PORT;
  });
}

/** Parses the environment once at start-up; a bad setting fails at once and names the setting. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const input: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue?.path[0] ?? 'environment');
    const got = secretKindOf(setting) === 'secret' ? '' : ` (got ${JSON.stringify(showSetting(setting, input[setting] ?? ''))})`;
    throw new ConfigError(setting, `${issue?.message ?? 'invalid'}${got}`);
  }
  return withLocalDatabases(parsed.data);
}

function secretKindOf(setting: string): SecretKind | undefined {
  const field = (settingsSchema.shape as Readonly<Record<string, z.ZodType | undefined>>)[setting];
  return field === undefined ? undefined : secretSettings.get(field)?.secret;
}

/** A setting's value as it may be printed: secrets hidden, passwords in URLs masked, even in a malformed value. */
export function showSetting(setting: string, value: string): string {
  return showSecret(secretKindOf(setting), value);
}

/** The settings marked secret (for the logger's redaction paths). */
export function secretSettingNames(): string[] {
  return Object.keys(settingsSchema.shape).filter((key) => secretKindOf(key) !== undefined);
}
