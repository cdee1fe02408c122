import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSchemaDir, loadCatalogue, type Catalogue } from '../../src/avro/catalogue.js';
import { startRun } from '../../app/batch/runs.js';
import { rawTopic } from '../../src/kafka/topics.js';
import { runPipelineToEnd } from '../../src/sink/pipeline-runner.js';
import type { MessageDecoder } from '../../src/sink/batch-loader.js';
import type { LoadFigures, PipelineDefinition } from '../../src/sink/types.js';
import { populationPipeline } from '../../pipelines/population/pipeline.js';
import { CITIZEN_TABLE, citizenToRow } from '../../pipelines/population/citizen-transform.js';
import { startCli } from '../harness/cli.js';
import { useDeployment } from '../harness/deployment.js';

/**
 * The population source starts sending a citizen's e-mail: the way the project says to evolve a
 * contract (schemas/README.md), end to end. A v2 of the raw schema adds an optional field with a
 * default; `lgsp schemas check` accepts it (and refuses the same field without a default); the
 * pipeline as it is reads v1 and v2 messages alike; a migration adds the column and the pipeline
 * maps the field: v2 messages fill it, v1 messages (an adapter not yet upgraded) give NULL.
 */
const CITIZEN = 'vn.lgsp.raw.population.Citizen';
const EMAIL = { name: 'email', type: ['null', 'string'], default: null, doc: 'E-mail address the citizen registered with the population database; null when none.' };

const citizenId = (n: number): string => `0841950003${String(n).padStart(2, '0')}`;
const citizen = (n: number, at: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  personalId: citizenId(n),
  fullName: `Thạch Thị Evolution ${n}`,
  birthDate: '1995-03-04',
  sex: 'F',
  householdId: `HGD-EVO-${n}`,
  residenceCommuneCode: '29236',
  deathDate: null,
  updatedAt: new Date(at),
  ...extra,
});

/** The repository's schemas plus a v2 of the raw citizen, in a directory of their own. */
function schemasWithCitizenV2(field: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-schemas-'));
  cpSync(defaultSchemaDir(), dir, { recursive: true });
  const v1 = JSON.parse(readFileSync(join(dir, 'raw/population/Citizen.v1.avsc'), 'utf8')) as { fields: unknown[] };
  writeFileSync(join(dir, 'raw/population/Citizen.v2.avsc'), JSON.stringify({ ...v1, fields: [...v1.fields, field] }, null, 2));
  return dir;
}

describe('schema evolution: a new optional source field reaches a new warehouse column', () => {
  const t = useDeployment();
  const dir = schemasWithCitizenV2(EMAIL);
  const dirs: string[] = [dir];
  const catalogue: Catalogue = loadCatalogue(dir);

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function produce(messages: { n: number; version: 1 | 2; value: Record<string, unknown> }[]): Promise<void> {
    const { runtime } = t;
    const producer = runtime.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({
        topic: rawTopic(runtime.naming, 'population', 'citizen'),
        acks: -1,
        messages: messages.map((m) => ({ key: citizenId(m.n), value: catalogue.encode(CITIZEN, m.value, m.version) })),
      });
    } finally {
      await producer.disconnect();
    }
  }

  /** Loads with the schema files deployed with the pipelines: by default the ones with v2. */
  async function loadWith(definition: PipelineDefinition, deployed: Catalogue = catalogue): Promise<LoadFigures> {
    const decode: MessageDecoder = (value, reader) => {
      const d = deployed.decode<Record<string, unknown>>(value, reader);
      return { value: d.value, schema: d.writer.fullName, version: d.writer.version, fingerprint: d.writer.fingerprint };
    };
    const { runtime } = t;
    const runId = await startRun(await t.db(), 'load', definition.name);
    return runPipelineToEnd(definition, { kafka: runtime.kafka, databaseUrl: t.settings.DATABASE_URL, naming: runtime.naming, decode, logger: runtime.logger }, { runId, rejectPolicy: { share: 1, tolerated: 0 } });
  }

  it('lgsp schemas check accepts the field with a default and refuses it without one', async () => {
    const good = await startCli(['schemas', 'check', '--dir', dir], t.cliEnv()).done;
    expect(good.code, good.stdout + good.stderr).toBe(0);
    const { default: _default, ...required } = EMAIL;
    const bad = schemasWithCitizenV2(required);
    dirs.push(bad);
    const refused = await startCli(['schemas', 'check', '--dir', bad], t.cliEnv()).done;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Citizen v1 → v2: v1 data cannot be read by v2: field "email" was added in v2 without a default');
  });

  it('the pipeline as it is reads v1 and v2 messages alike once the v2 file is deployed', async () => {
    await produce([
      { n: 1, version: 1, value: citizen(1, '2025-06-01T00:00:00Z') },
      { n: 2, version: 1, value: citizen(2, '2025-06-01T00:00:00Z') },
      { n: 3, version: 2, value: citizen(3, '2025-06-01T00:00:00Z', { email: 'ba@example.vn' }) },
    ]);
    const figures = await loadWith(populationPipeline);
    expect(figures).toMatchObject({ consumed: 3, loaded: 3, rejected: 0 });
    // A pipeline deployed without the v2 file meets a v2 writer no connector published on the schema
    // topic (written straight onto it): rejected, named, kept for a replay.
    const repoCatalogue = loadCatalogue();
    const old = await loadWith({ ...populationPipeline, name: 'population_without_v2' }, repoCatalogue);
    expect(old).toMatchObject({ consumed: 3, rejected: 1 });
    const rejected = await t.query<{ record_key: string; error_code: string; reason: string }>(
      `SELECT record_key, error_code, reason FROM meta.rejected_records WHERE pipeline = 'population_without_v2'`,
    );
    expect(rejected).toEqual([{ record_key: citizenId(3), error_code: 'SCHEMA_UNKNOWN', reason: expect.stringMatching(/^unknown writer schema fingerprint /) as string }]);
    const seen = await t.query<{ version: number }>(`SELECT version FROM meta.schema_versions_seen WHERE pipeline = 'population' AND schema_name = $1 ORDER BY version`, [CITIZEN]);
    expect(seen.map((r) => r.version)).toEqual([1, 2]);
  });

  it('after a migration adds the column, v2 messages fill it and v1 messages leave it NULL', async () => {
    // What the forward migration of this change would hold.
    await t.query(`ALTER TABLE core.citizen ADD COLUMN email text`);
    const withEmail: PipelineDefinition = {
      ...populationPipeline,
      inputs: populationPipeline.inputs.map((input) => ({
        ...input,
        target: { ...CITIZEN_TABLE, columns: [...CITIZEN_TABLE.columns, { name: 'email', type: 'text', nullable: true, doc: EMAIL.doc }] },
        transform: (value: Record<string, unknown>) => [...citizenToRow(value), typeof value['email'] === 'string' ? value['email'] : null],
      })),
    };
    await produce([
      { n: 1, version: 2, value: citizen(1, '2025-06-02T00:00:00Z', { email: 'mot@example.vn' }) }, // an update, now with the field
      { n: 4, version: 2, value: citizen(4, '2025-06-02T00:00:00Z', { email: 'bon@example.vn' }) },
      { n: 5, version: 2, value: citizen(5, '2025-06-02T00:00:00Z', { email: null }) },
      { n: 6, version: 1, value: citizen(6, '2025-06-02T00:00:00Z') }, // an adapter still on v1
    ]);
    const figures = await loadWith(withEmail);
    expect(figures).toMatchObject({ consumed: 4, loaded: 3, updated: 1, rejected: 0 });
    const rows = await t.query<{ personal_id: string; email: string | null }>(`SELECT personal_id, email FROM core.citizen ORDER BY personal_id`);
    expect(rows).toEqual([
      { personal_id: citizenId(1), email: 'mot@example.vn' },
      { personal_id: citizenId(2), email: null },
      // Loaded before the column existed: it stays NULL until the source changes the citizen again
      // (a replay of the same message changes nothing, by design of the merge).
      { personal_id: citizenId(3), email: null },
      { personal_id: citizenId(4), email: 'bon@example.vn' },
      { personal_id: citizenId(5), email: null },
      { personal_id: citizenId(6), email: null },
    ]);
  });
});
