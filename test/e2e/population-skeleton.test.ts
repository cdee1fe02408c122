import { describe, expect, it } from 'vitest';
import { extract } from '../../app/batch/extract.js';
import { load } from '../../app/batch/load.js';
import { DEFAULT_CLIENT } from '../../simulator/mocks/oauth.js';
import { useDeployment } from '../harness/deployment.js';
import { tableFingerprint } from '../harness/fingerprint.js';

/**
 * The walking skeleton, for real: mock population API (HTTP, paged JSON) → population connector →
 * Kafka topic (Avro) → population pipeline → core.citizen. Every record the mock serves must be in
 * PostgreSQL exactly once with equal field values.
 */
describe('population, end to end', () => {
  const t = useDeployment({ world: { seed: 7, scale: 0.002 } });
  const citizens = async (): Promise<unknown> => tableFingerprint(await t.db(), 'core.citizen', 'personal_id');

  /** Every record the mock serves, read through its API page by page as any client would. */
  async function served(): Promise<Record<string, unknown>[]> {
    const base = t.sources.urls.population;
    const tokenResponse = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const all: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = (await (await fetch(`${base}/v1/citizens?offset=${offset}&limit=1000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        data: Record<string, unknown>[];
      };
      all.push(...page.data);
      if (page.data.length < 1000) return all;
    }
  }

  it('loads every served citizen exactly once, with equal field values', async () => {
    const { runtime, overrides } = t;
    const [streams] = [await extract(runtime, ['population'], { overrides })];
    const [figures] = await load(runtime, ['population']);

    const records = await served();
    const live = records.filter((r) => r['deletedAt'] === undefined);
    expect(live.length).toBeGreaterThan(1000);
    expect(streams?.[0]?.read).toBe(records.length);
    expect(streams?.[0]?.deadLettered).toBe(0);
    expect(figures?.rejected).toBe(0);

    const rows = await (await t.db()).query<Record<string, string | null>>(
      `SELECT personal_id, full_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, household_id, residence_commune_code,
              to_char(death_date, 'YYYY-MM-DD') AS death_date, source_updated_at, deleted_at FROM core.citizen`,
    );
    const byId = new Map(rows.rows.map((r) => [r['personal_id'], r]));
    expect(byId.size).toBe(rows.rowCount); // primary key: exactly once
    expect(rows.rows.filter((r) => r['deleted_at'] === null)).toHaveLength(live.length);
    for (const record of live) {
      const row = byId.get(record['personalId'] as string);
      expect(row, `citizen ${String(record['personalId'])}`).toBeDefined();
      expect(row).toMatchObject({
        full_name: (record['fullName'] as string).normalize('NFC'),
        birth_date: record['birthDate'],
        sex: record['sex'],
        household_id: record['householdId'],
        residence_commune_code: record['residenceCommuneCode'],
        death_date: record['deathDate'] ?? null,
      });
      expect(new Date(row?.['source_updated_at'] as unknown as Date).toISOString()).toBe(record['updatedAt']);
    }
    // Lineage: every row knows the message that set it.
    const lineage = await t.query(`SELECT count(*)::int AS n FROM core.citizen WHERE src_topic = $1 AND run_id IS NOT NULL`, [
      `${t.settings.LGSP_TOPIC_PREFIX}lgsp.raw.population.citizen.v1`,
    ]);
    expect(lineage).toEqual([{ n: rows.rowCount }]);
  });

  it('running extract and load again moves and duplicates nothing', async () => {
    const { runtime, overrides } = t;
    const before = await citizens();
    const [streams] = [await extract(runtime, ['population'], { overrides })];
    const [figures] = await load(runtime, ['population']);
    expect(streams?.[0]?.read).toBe(0);
    expect(figures?.loaded).toBe(0);
    expect(await citizens()).toEqual(before);
  });
});
