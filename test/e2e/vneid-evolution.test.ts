import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSchemaDir, loadCatalogue } from '../../src/avro/catalogue.js';
import { publishedForm } from '../../src/avro/published-schema.js';
import { javaCompatiblePartitioner } from '../../src/kafka/partitioner.js';
import { publishSchemas } from '../../src/kafka/schema-topic.js';
import { rawTopic } from '../../src/kafka/topics.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { useDeployment, type TestDeployment } from '../harness/deployment.js';

/**
 * Issue #19, end to end: the population database starts serving each citizen's e-identification
 * level (`vneidLevel`, raw Citizen v2) — through the CLI an operator uses, against the broker and
 * PostgreSQL. Both deployment orders:
 *  - pipelines deployed with v2 first: the night before, the night after; old rows keep NULL,
 *    changed and new ones carry the level; nothing valid is rejected; the indicators equal those of
 *    the same world whose source never adds the field;
 *  - pipelines older than the connectors (LGSP_SCHEMA_DIR without v2): they learn the v2 writer
 *    from the schema topic and load it with their v1 reader (the level left out), warn, reject
 *    nothing; redeployed, a backfill fills the column;
 *  - a writer the pipelines' reader cannot read (a v3 that skipped `lgsp schemas check`): the
 *    night stops the population pipeline alone with SCHEMA_UNREADABLE, nothing rejected, its
 *    offsets not moved; redeployed with a reader that reads it, the next night loads from there.
 */
const SEED = 31;
const SCALE = 0.002;
/** The world of `lgsp mock serve` is as of 2025-12-31; the source adds the field two days later. */
const CHANGE = '2026-01-02';
const DAYS = 4;
const CITIZEN = 'vn.lgsp.raw.population.Citizen';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The repository's schema files, changed: what a host of another release is deployed with. */
function schemaDir(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-schemas-'));
  dirs.push(dir);
  cpSync(defaultSchemaDir(), dir, { recursive: true });
  change(dir);
  return dir;
}

async function cli(t: TestDeployment, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, t.cliEnv(env)).done;
}

async function ok(t: TestDeployment, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await cli(t, args, env);
  expect(result.code, `lgsp ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

interface WarehouseFigures {
  readonly levels: Record<string, number>;
  readonly rejected: number;
  readonly seen: readonly string[];
}

/** What the note quotes: citizens by level, rejected records, writer versions seen per pipeline and topic. */
async function warehouseFigures(t: TestDeployment): Promise<WarehouseFigures> {
  const levels = await t.query<{ level: string; n: number }>(
    `SELECT coalesce(vneid_level::text, 'NULL') AS level, count(*)::int AS n FROM core.citizen WHERE deleted_at IS NULL GROUP BY 1 ORDER BY 1`,
  );
  const [rejected] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM meta.rejected_records`);
  const seen = await t.query<{ row: string }>(
    `SELECT pipeline || ' ' || regexp_replace(topic, '^[^.]*\\.', '') || ' ' || schema_name || ' v' || version AS row FROM meta.schema_versions_seen WHERE pipeline = 'population' ORDER BY 1`,
  );
  return { levels: Object.fromEntries(levels.map((r) => [r.level, r.n])), rejected: rejected?.n ?? -1, seen: seen.map((r) => r.row) };
}

/** Citizens whose level in the warehouse is not the one the source serves now. */
async function levelsUnlikeSource(t: TestDeployment): Promise<{ personal_id: string; warehouse: number | null; source: number | null }[]> {
  const served = await t.queryStore<{ id: string; level: number | null }>(`SELECT id, (body->>'vneidLevel')::int AS level FROM population.records WHERE entity = 'citizen'`);
  const source = new Map(served.map((r) => [r.id, r.level]));
  const rows = await t.query<{ personal_id: string; vneid_level: number | null }>(`SELECT personal_id, vneid_level FROM core.citizen`);
  return rows.filter((r) => (source.get(r.personal_id) ?? null) !== r.vneid_level).map((r) => ({ personal_id: r.personal_id, warehouse: r.vneid_level, source: source.get(r.personal_id) ?? null }));
}

/** The mart's indicators, and its dossier facts without the column the new field feeds. */
async function indicators(t: TestDeployment): Promise<{ counts: string[]; facts: string[] }> {
  const counts = await t.query<{ r: string }>(`SELECT c::text AS r FROM mart.indicator_counts c ORDER BY 1`);
  const facts = await t.query<{ r: string }>(`SELECT (to_jsonb(f) - 'applicant_vneid_level' - 'refreshed_at' - 'run_id')::text AS r FROM mart.dossier_fact f ORDER BY 1`);
  return { counts: counts.map((x) => x.r), facts: facts.map((x) => x.r) };
}

describe('the population source adds vneidLevel; the pipelines are deployed with v2 first', () => {
  const t = useDeployment({ world: { seed: SEED, scale: SCALE, vneidFrom: CHANGE }, runtime: false });
  // The same world, whose population database never adds the field.
  const twin = useDeployment({ world: { seed: SEED, scale: SCALE }, runtime: false });

  it('night before, night after: old rows NULL, changed and new ones the level, nothing rejected, indicators as without the field', async () => {
    await Promise.all([ok(t, ['run']), ok(twin, ['run'])]);
    const before = await warehouseFigures(t);
    const citizens = before.levels['NULL'] ?? 0;
    expect(citizens).toBeGreaterThan(1000);
    expect(before).toEqual({ levels: { NULL: citizens }, rejected: (await warehouseFigures(twin)).rejected, seen: [`population lgsp.raw.population.citizen.v1 ${CITIZEN} v1`] });
    expect(before.rejected).toBe(0);
    expect(await indicators(t)).toEqual(await indicators(twin));

    await Promise.all([ok(t, ['mock', 'advance', '--days', String(DAYS)]), ok(twin, ['mock', 'advance', '--days', String(DAYS)])]);
    await Promise.all([ok(t, ['run']), ok(twin, ['run'])]);
    const after = await warehouseFigures(t);
    console.info(`vneid-evolution, v2 first — before: ${JSON.stringify(before)}; after: ${JSON.stringify(after)}`);
    expect(after.rejected).toBe(0);
    expect(after.seen).toEqual([`population lgsp.raw.population.citizen.v1 ${CITIZEN} v1`, `population lgsp.raw.population.citizen.v1 ${CITIZEN} v2`]);
    expect(after.levels['1']).toBeGreaterThan(0);
    expect(after.levels['2']).toBeGreaterThan(0);
    // Citizens without an account gained a null the source did not date: they were not read
    // again and keep the NULL they were loaded with, which is what the source says of them too.
    expect(await levelsUnlikeSource(t)).toEqual([]);
    const [loadedBefore] = await t.query<{ n: number; with_level: number }>(
      `SELECT count(*)::int AS n, count(vneid_level)::int AS with_level FROM core.citizen WHERE source_updated_at < $1::date - interval '7 hours'`,
      [CHANGE],
    );
    expect(loadedBefore?.n).toBeGreaterThan(0);
    expect(loadedBefore?.with_level).toBe(0);
    const mart = await indicators(t);
    expect(mart).toEqual(await indicators(twin));
    const [fed] = await t.query<{ n: number }>(`SELECT count(applicant_vneid_level)::int AS n FROM mart.dossier_fact`);
    expect(fed?.n).toBeGreaterThan(0);
  });
});

describe('pipelines older than the connectors', () => {
  // The source serves the field from before the world's day: every citizen is written as v2.
  const t = useDeployment({ world: { seed: SEED, scale: SCALE, vneidFrom: '2025-12-01' }, runtime: false });
  const withoutV2 = schemaDir((dir) => rmSync(join(dir, 'raw/population/Citizen.v2.avsc')));
  // A v3 written without `lgsp schemas check`: vneidLevel widened to long, which a v2 reader cannot read.
  const withV3 = schemaDir((dir) => {
    const v2 = JSON.parse(readFileSync(join(dir, 'raw/population/Citizen.v2.avsc'), 'utf8')) as { fields: { name: string }[] };
    const fields = v2.fields.map((f) => (f.name === 'vneidLevel' ? { ...f, type: ['null', 'long'] } : f));
    writeFileSync(join(dir, 'raw/population/Citizen.v3.avsc'), JSON.stringify({ ...v2, fields }, null, 2));
  });

  it('load v2 messages with their v1 reader, warn once naming the file and the backfill, reject nothing; redeployed, a backfill fills the column', async () => {
    await ok(t, ['extract', 'population']);
    const old = await ok(t, ['load', 'population'], { LGSP_SCHEMA_DIR: withoutV2 });
    const warnings = old.stderr.split('\n').filter((l) => l.includes('was not deployed with'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`carries ${CITIZEN} v2, which pipeline population was not deployed with: read as v1`);
    expect(warnings[0]).toContain('Deploy the pipelines with schemas/raw/population/Citizen.v2.avsc, then `lgsp backfill population --from');
    const loaded = await warehouseFigures(t);
    const citizens = loaded.levels['NULL'] ?? 0;
    expect(citizens).toBeGreaterThan(1000);
    expect(loaded).toEqual({ levels: { NULL: citizens }, rejected: 0, seen: [`population lgsp.raw.population.citizen.v1 ${CITIZEN} v2`] });

    // Redeployed with v2: the backfill from the day the source started serving the field.
    await ok(t, ['backfill', 'population', '--from', '2025-12-01T00:00:00+07:00', '--to', new Date(Date.now() + 60_000).toISOString()]);
    const filled = await warehouseFigures(t);
    console.info(`vneid-evolution, old pipelines — loaded by v1: ${JSON.stringify(loaded)}; after the backfill: ${JSON.stringify(filled)}`);
    expect(filled.rejected).toBe(0);
    expect(filled.levels['2']).toBeGreaterThan(0);
    expect(await levelsUnlikeSource(t)).toEqual([]);
  });

  it('a writer the reader cannot read stops the population pipeline alone, rejecting nothing; redeployed with a reader of it, the next night loads from there', async () => {
    const runtime = await t.runtimeWith(withV3);
    const v3 = loadCatalogue(withV3).schema(CITIZEN, 3);
    // What a connector deployed with the v3 file does: publish it, then write with it.
    await publishSchemas(runtime.kafka, runtime.naming, [publishedForm(v3)]);
    const chosen = await t.query<{ personal_id: string; full_name: string; birth_date: string; sex: string; household_id: string; residence_commune_code: string }>(
      `SELECT personal_id, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, household_id, residence_commune_code
       FROM core.citizen WHERE deleted_at IS NULL AND death_date IS NULL ORDER BY personal_id LIMIT 3`,
    );
    const producer = runtime.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: javaCompatiblePartitioner });
    await producer.connect();
    const topic = rawTopic(runtime.naming, 'population', 'citizen');
    const sent = await producer
      .send({
        topic,
        acks: -1,
        messages: chosen.map((c) => ({
          key: c.personal_id,
          value: runtime.catalogue.encode(
            CITIZEN,
            { personalId: c.personal_id, fullName: `${c.full_name} Vthree`, birthDate: c.birth_date, sex: c.sex, householdId: c.household_id, residenceCommuneCode: c.residence_commune_code, deathDate: null, updatedAt: new Date(), vneidLevel: 2 },
            3,
          ),
        })),
      })
      .finally(() => producer.disconnect());
    const offsetsBefore = await t.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset::text FROM meta.consumer_offsets WHERE pipeline = 'population' ORDER BY partition`,
    );
    await ok(t, ['mock', 'advance', '--days', '1']);

    const stopped = await cli(t, ['run']);
    expect(stopped.code).not.toBe(0);
    const output = stopped.stdout + stopped.stderr;
    console.info(`vneid-evolution, unreadable writer — lgsp run said:\n${output.split('\n').filter((l) => /SCHEMA_UNREADABLE|stopped at|Fix|hint|deploy/i.test(l)).join('\n')}`);
    expect(output).toMatch(/step load:population failed: pipeline population stopped at \S+lgsp\.raw\.population\.citizen\.v1\[\d+\] offset \d+: the message is written with vn\.lgsp\.raw\.population\.Citizen v3 \(fingerprint [0-9a-f]{16}\), which its reader vn\.lgsp\.raw\.population\.Citizen v2 cannot read/);
    expect(output).toContain('deploy the pipelines with schemas/raw/population/Citizen.v3.avsc');
    const runs = await t.query<{ name: string; status: string; error: string | null }>(
      `SELECT DISTINCT ON (target) target AS name, status, error FROM meta.runs WHERE kind = 'load' ORDER BY target, run_id DESC`,
    );
    const failed = runs.filter((r) => r.status !== 'succeeded');
    expect(failed.map((r) => r.name)).toEqual(['population']);
    expect(failed[0]?.error).toContain('which its reader vn.lgsp.raw.population.Citizen v2 cannot read');
    expect(runs.length).toBeGreaterThan(1);
    expect((await warehouseFigures(t)).rejected).toBe(0);
    // The partitions holding v3 messages did not move past them.
    for (const m of sent) {
      const stored = offsetsBefore.find((o) => o.partition === m.partition);
      const now = await t.query<{ next_offset: string }>(`SELECT next_offset::text FROM meta.consumer_offsets WHERE pipeline = 'population' AND partition = $1`, [m.partition]);
      expect(BigInt(now[0]?.next_offset ?? '0')).toBeLessThanOrEqual(BigInt(m.baseOffset ?? '0'));
      expect(now[0]?.next_offset).toBe(stored?.next_offset);
    }
    const names = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.citizen WHERE full_name LIKE '% Vthree'`);
    expect(names[0]?.n).toBe(0);

    // Redeployed with the v3 file (its reader reads v1, v2 and v3): the next night loads from where it stopped.
    await ok(t, ['run'], { LGSP_SCHEMA_DIR: withV3 });
    const loaded = await t.query<{ personal_id: string; vneid_level: number }>(`SELECT personal_id, vneid_level FROM core.citizen WHERE full_name LIKE '% Vthree' ORDER BY 1`);
    expect(loaded).toEqual(chosen.map((c) => ({ personal_id: c.personal_id, vneid_level: 2 })));
    const after = await warehouseFigures(t);
    console.info(`vneid-evolution, after the redeploy with v3: ${JSON.stringify(after)}`);
    expect(after.rejected).toBe(0);
    expect(after.seen).toContain(`population lgsp.raw.population.citizen.v1 ${CITIZEN} v3`);
  });
});
