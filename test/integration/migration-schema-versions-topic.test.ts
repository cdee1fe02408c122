import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/db/postgres.js';
import { createKnex } from '../../warehouse/migrator.js';
import { up as meta } from '../../warehouse/migrations/20261127_0001_meta.js';
import { up as schemaVersionsTopic } from '../../warehouse/migrations/20261207_0303_meta_schema_versions_topic.js';
import { testInfra } from '../harness/infra.js';

/**
 * Migration 20261207_0303 gives meta.schema_versions_seen a topic: rows written before it get the raw topic
 * the pipeline read that schema from (found in meta.consumer_offsets), and the key becomes
 * (pipeline, topic, fingerprint), which is what the loads' upsert names.
 */
const url = withDatabase(testInfra().databaseUrl, `lgsp_it_meta_topic_${process.pid}`);
let knex: Knex;

/** What a load writes per batch for each writer schema it decoded (src/sink/batch-loader.ts). */
const SEEN_UPSERT = `INSERT INTO meta.schema_versions_seen (pipeline, topic, schema_name, version, fingerprint) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (pipeline, topic, fingerprint) DO UPDATE SET last_seen = now()`;

beforeAll(async () => {
  await dropDatabase(url);
  await ensureDatabase(url);
  knex = createKnex(url);
  await meta(knex);
});

afterAll(async () => {
  await knex?.destroy();
  await dropDatabase(url);
});

describe('migration 20261207_0303: schema versions seen per topic', () => {
  it('gives each existing row the raw topic of its schema from the pipeline\'s offsets, drops a row without one, and keys by topic', async () => {
    const offsets: readonly (readonly [string, string])[] = [
      ['population', 't1_lgsp.raw.population.citizen.v1'],
      ['onestop', 't1_lgsp.raw.onestop.dossier.v1'],
      ['onestop', 't1_lgsp.raw.onestop.dossier_component.v1'],
    ];
    for (const [pipeline, topic] of offsets) {
      await knex.raw('INSERT INTO meta.consumer_offsets (pipeline, topic, partition, next_offset) VALUES (?, ?, 0, 10), (?, ?, 1, 12)', [pipeline, topic, pipeline, topic]);
    }
    const seen = [
      ['population', 'vn.lgsp.raw.population.Citizen', 1, 'aaaa000000000001'],
      ['population', 'vn.lgsp.raw.population.Citizen', 2, 'aaaa000000000002'],
      ['onestop', 'vn.lgsp.raw.onestop.Dossier', 1, 'bbbb000000000001'],
      ['onestop', 'vn.lgsp.raw.onestop.DossierComponent', 1, 'cccc000000000001'],
      // Written by hand, not by a load: no topic of this pipeline carries it.
      ['onestop', 'vn.lgsp.raw.onestop.Rating', 1, 'dddd000000000001'],
    ];
    for (const row of seen) {
      await knex.raw(`INSERT INTO meta.schema_versions_seen (pipeline, schema_name, version, fingerprint, first_seen) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')`, row);
    }
    await schemaVersionsTopic(knex);
    const rows = await knex.raw<{ rows: { pipeline: string; topic: string; version: number; first_seen: string }[] }>(
      `SELECT pipeline, topic, version, to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS first_seen FROM meta.schema_versions_seen ORDER BY pipeline, topic, version`,
    );
    expect(rows.rows).toEqual([
      { pipeline: 'onestop', topic: 't1_lgsp.raw.onestop.dossier.v1', version: 1, first_seen: '2026-01-01' },
      { pipeline: 'onestop', topic: 't1_lgsp.raw.onestop.dossier_component.v1', version: 1, first_seen: '2026-01-01' },
      { pipeline: 'population', topic: 't1_lgsp.raw.population.citizen.v1', version: 1, first_seen: '2026-01-01' },
      { pipeline: 'population', topic: 't1_lgsp.raw.population.citizen.v1', version: 2, first_seen: '2026-01-01' },
    ]);
  });

  it('takes the loads\' upsert: one row per pipeline, topic and fingerprint, last_seen moving', async () => {
    const topic = 't2_lgsp.raw.population.citizen.v1';
    const args = ['population', topic, 'vn.lgsp.raw.population.Citizen', 2, 'aaaa000000000002'];
    await knex.raw(SEEN_UPSERT, args);
    const first = await knex.raw<{ rows: { last_seen: Date }[] }>(`SELECT last_seen FROM meta.schema_versions_seen WHERE topic = ?`, [topic]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await knex.raw(SEEN_UPSERT, args);
    const second = await knex.raw<{ rows: { last_seen: Date; first_seen: Date }[] }>(`SELECT first_seen, last_seen FROM meta.schema_versions_seen WHERE topic = ?`, [topic]);
    expect(second.rows).toHaveLength(1);
    expect(second.rows[0]?.last_seen.getTime()).toBeGreaterThan(first.rows[0]?.last_seen.getTime() ?? Infinity);
    const total = await knex.raw<{ rows: { n: string }[] }>(`SELECT count(*) AS n FROM meta.schema_versions_seen WHERE fingerprint = 'aaaa000000000002'`);
    expect(total.rows[0]?.n).toBe('2');
    // The old upsert (no topic, conflict on pipeline and fingerprint) is refused: the loads must name the topic.
    await expect(
      knex.raw(`INSERT INTO meta.schema_versions_seen (pipeline, schema_name, version, fingerprint) VALUES ('p', 's', 1, 'f') ON CONFLICT (pipeline, fingerprint) DO UPDATE SET last_seen = now()`),
    ).rejects.toThrow(/no unique or exclusion constraint matching the ON CONFLICT specification/);
  });
});
