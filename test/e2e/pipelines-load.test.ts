import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIPELINES } from '../../pipelines/index.js';
import { load } from '../../app/batch/load.js';
import { copyText } from '../../src/db/copy-text.js';
import { quoteIdent } from '../../src/db/postgres.js';
import { rawTopic } from '../../src/kafka/topics.js';
import type { LoadCounts, LoadFigures, Row } from '../../src/sink/types.js';
import { createWorld } from '../../simulator/world/index.js';
import { startCli, type CliResult } from '../harness/cli.js';
import { TestDeployment, useDeployment } from '../harness/deployment.js';
import { RUN_COLUMNS, warehouseFingerprint } from '../harness/fingerprint.js';
import { produceRaw, worldMessages, type RawMessage } from '../harness/world-messages.js';

/**
 * The world's records, produced to the raw topics as the connectors write them, loaded by every
 * pipeline: the warehouse must hold exactly the world, a replay must change nothing, two
 * processes in one consumer group must load what one does, and a move must become history.
 */
describe('pipelines, world → raw topics → warehouse', () => {
  const t = useDeployment();
  const world = createWorld({ seed: 7, scale: 0.002 });
  const messages = [...worldMessages(world)];

  beforeAll(async () => {
    // Records first; the source's deletions come after the first load, so they delete loaded rows.
    await produceRaw(t.runtime.kafka, t.runtime.catalogue, t.runtime.naming, messages.filter((m) => m.value !== null));
  });

  const total = (figures: readonly LoadFigures[], field: keyof LoadCounts | 'lag'): number => figures.reduce((sum, f) => sum + (f[field] ?? 0), 0);

  /**
   * Rows `expected` minus rows in `table` (and the reverse), compared in SQL over the table's own
   * column types: the expected rows are COPY'd into a scratch table, the load path is not used.
   */
  async function difference(table: string, columns: readonly { name: string; type: string }[], rows: readonly Row[], where = 'TRUE'): Promise<{ missing: number; extra: number }> {
    const db = await t.db();
    const scratch = quoteIdent(`exp_${table.replace('.', '_')}`);
    const cols = columns.map((c) => quoteIdent(c.name)).join(', ');
    await db.query(`DROP TABLE IF EXISTS ${scratch}; CREATE TEMP TABLE ${scratch} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
    await streamPipeline(Readable.from([rows.map((r) => copyText(r)).join('')]), db.query(copyFrom(`COPY ${scratch} (${cols}) FROM STDIN`)));
    const actual = `SELECT ${cols} FROM ${table} WHERE ${where}`;
    const result = await db.query<{ missing: number; extra: number }>(
      `SELECT (SELECT count(*) FROM (SELECT ${cols} FROM ${scratch} EXCEPT ALL ${actual}) m)::int AS missing,
              (SELECT count(*) FROM (${actual} EXCEPT ALL SELECT ${cols} FROM ${scratch}) x)::int AS extra`,
    );
    return result.rows[0] ?? { missing: -1, extra: -1 };
  }

  it('loads every record of the world exactly once: each table equals the world transformed', async () => {
    const { runtime } = t;
    const db = await t.db();
    const figures = await load(runtime, ['all']);
    const tombstones = messages.filter((m) => m.value === null);
    expect(tombstones.length).toBeGreaterThan(0);
    await produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, tombstones);
    const deletes = await load(runtime, ['population']);
    expect(total(figures, 'rejected') + total(deletes, 'rejected')).toBe(0);
    // consumed counts fetches: a batch fetched again after the seek to the stored offsets is skipped.
    const fresh = (f: readonly LoadFigures[]): number => total(f, 'consumed') - total(f, 'skipped');
    expect(fresh(figures) + fresh(deletes)).toBe(messages.length);
    expect(total(deletes, 'deleted')).toBe(tombstones.length);

    const counts = world.counts();
    const deletedIds = new Set(messages.filter((m) => m.value === null).map((m) => m.key));
    const live = async (table: string): Promise<number> =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE deleted_at IS NULL`)).rows[0]?.n ?? -1;
    expect(await live('core.citizen')).toBe(counts.citizens - deletedIds.size);
    expect(await live('core.business')).toBe(counts.businesses);
    expect(await live('core.insurance_participant')).toBe(counts.insuranceParticipants);
    expect(await live('core.land_parcel')).toBe(counts.landParcels);
    expect(await live('core.procedure')).toBe(counts.procedures);
    expect(await live('core.agency')).toBe(counts.agencies);
    expect(await live('core.dossier')).toBe(counts.dossiers);
    const deleted = await db.query(`SELECT personal_id FROM core.citizen WHERE deleted_at IS NOT NULL`);
    expect(new Set(deleted.rows.map((r: { personal_id: string }) => r.personal_id))).toEqual(deletedIds);

    // Content, table by table: the world's raw records through the pipelines' transforms.
    for (const pipeline of Object.values(PIPELINES)) {
      for (const input of pipeline.inputs) {
        const values = messages
          .filter((m) => m.source === input.source && m.entity === input.entity && m.value !== null && !(input.entity === 'citizen' && deletedIds.has(m.key)))
          .map((m) => input.transform(m.value as Record<string, unknown>));
        const rows = values.map((v) => ('row' in v ? v.row : v));
        const diff = await difference(input.target.table, input.target.columns, rows, 'deleted_at IS NULL');
        expect({ table: input.target.table, expected: rows.length, ...diff }).toEqual({ table: input.target.table, expected: rows.length, missing: 0, extra: 0 });
        for (const child of input.target.children ?? []) {
          const childRows = values.flatMap((v) => ('row' in v ? (v.children[child.name] ?? []) : []));
          const childDiff = await difference(child.table, child.columns, childRows);
          expect({ table: child.table, ...childDiff }).toEqual({ table: child.table, missing: 0, extra: 0 });
          expect(childRows.length).toBeGreaterThan(0);
        }
      }
    }
    // Checked straight against the world, not through the transforms.
    const owners = [...world.landParcels()].reduce((n, p) => n + p.owners.length, 0);
    const periods = [...world.insuranceParticipants()].reduce((n, p) => n + p.contributionPeriods.length, 0);
    const components = messages.filter((m) => m.entity === 'dossier_component').length;
    const rowCount = async (table: string): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n ?? -1;
    expect(await rowCount('core.land_ownership')).toBe(owners);
    expect(await rowCount('core.insurance_contribution_period')).toBe(periods);
    expect(await rowCount('core.dossier_component')).toBe(components);
    expect(await rowCount('core.dossier_rating')).toBe(messages.filter((m) => m.entity === 'rating').length);
    const names = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.citizen WHERE full_name <> normalize(full_name, NFC) OR full_name <> btrim(full_name)`);
    expect(names.rows[0]?.n).toBe(0);
    // History: one open residence per live citizen, closed at the deletion for deleted ones.
    const history = await db.query<{ open: number; closed: number }>(
      `SELECT count(*) FILTER (WHERE valid_to IS NULL)::int AS open, count(*) FILTER (WHERE valid_to IS NOT NULL)::int AS closed FROM core.citizen_residence_history`,
    );
    expect(history.rows[0]).toEqual({ open: counts.citizens - deletedIds.size, closed: deletedIds.size });
    expect(await rowCount('core.business_status_history')).toBe(counts.businesses);
    // Reference data and lineage.
    expect(await rowCount('core.admin_unit')).toBe(counts.adminUnits);
    expect(await rowCount('core.admin_unit_mapping')).toBe(counts.unitMappings);
    const noLineage = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.dossier WHERE run_id IS NULL OR src_topic <> $1`, [
      rawTopic(runtime.naming, 'onestop', 'dossier'),
    ]);
    expect(noLineage.rows[0]?.n).toBe(0);
  });

  it('replaying every topic from offset 0 changes nothing, loaded_at and run_id included', async () => {
    const { runtime } = t;
    const db = await t.db();
    const before = await warehouseFingerprint(db);
    await db.query(`UPDATE meta.consumer_offsets SET next_offset = 0`);
    const figures = await load(runtime, ['all']);
    expect(total(figures, 'consumed') - total(figures, 'skipped')).toBe(messages.length);
    expect({ loaded: total(figures, 'loaded'), updated: total(figures, 'updated'), deleted: total(figures, 'deleted'), rejected: total(figures, 'rejected') }).toEqual({
      loaded: 0,
      updated: 0,
      deleted: 0,
      rejected: 0,
    });
    expect(await warehouseFingerprint(db)).toEqual(before);
  });

  it('a move becomes a second residence with adjoining, non-overlapping validity', async () => {
    const { runtime } = t;
    const db = await t.db();
    const citizen = messages.find((m) => m.entity === 'citizen' && m.value !== null && !messages.some((d) => d.value === null && d.key === m.key));
    const value = citizen?.value as Record<string, unknown>;
    const oldCommune = value['residenceCommuneCode'] as string;
    const newCommune = oldCommune === '29236' ? '29239' : '29236';
    const movedAt = new Date((value['updatedAt'] as Date).getTime() + 86_400_000);
    const moved: RawMessage = { ...(citizen as RawMessage), value: { ...value, residenceCommuneCode: newCommune, updatedAt: movedAt } };
    await produceRaw(runtime.kafka, runtime.catalogue, runtime.naming, [moved]);
    const [figures] = await load(runtime, ['population']);
    expect(figures).toMatchObject({ updated: 1, rejected: 0 });
    expect((figures?.consumed ?? 0) - (figures?.skipped ?? 0)).toBe(1);

    const rows = await db.query<{ residence_commune_code: string; valid_from: Date; valid_to: Date | null }>(
      `SELECT residence_commune_code, valid_from, valid_to FROM core.citizen_residence_history WHERE personal_id = $1 ORDER BY valid_from`,
      [citizen?.key],
    );
    expect(rows.rows).toEqual([
      { residence_commune_code: oldCommune, valid_from: value['updatedAt'], valid_to: movedAt },
      { residence_commune_code: newCommune, valid_from: movedAt, valid_to: null },
    ]);
    // And again: the same move replayed changes nothing.
    await db.query(`UPDATE meta.consumer_offsets SET next_offset = 0 WHERE pipeline = 'population'`);
    await load(runtime, ['population']);
    const again = await db.query(`SELECT count(*)::int AS n FROM core.citizen_residence_history WHERE personal_id = $1`, [citizen?.key]);
    expect(again.rows[0]).toEqual({ n: 2 });
  });

  it('two `lgsp load all` processes in one consumer group load what one process loads', async () => {
    const db = await t.db();
    const reference = await warehouseFingerprint(db, { without: RUN_COLUMNS });
    const second = await new TestDeployment({ settings: { LGSP_TOPIC_PREFIX: t.settings.LGSP_TOPIC_PREFIX }, runtime: false }).start();
    try {
      const run = (): Promise<CliResult> => startCli(['load', 'all'], second.cliEnv({ LGSP_LOAD_MAX_BYTES_PER_PARTITION: '16384' })).done;
      const results = await Promise.all([run(), run()]);
      for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0);
      // The reference also has the moved citizen (a later message): compare without it.
      expect(await warehouseFingerprint(await second.db(), { without: RUN_COLUMNS })).toEqual(reference);
      // Both processes ran every pipeline; a message fetched by both is loaded by one and
      // skipped (below the stored offset) by the other.
      const [figures] = await second.query<{ runs: number; fresh: number; status: string[] }>(
        `SELECT count(*)::int AS runs, sum((figures->>'consumed')::int - (figures->>'skipped')::int)::int AS fresh, array_agg(DISTINCT status) AS status
         FROM meta.runs WHERE kind = 'load'`,
      );
      expect(figures).toEqual({ runs: 2 * Object.keys(PIPELINES).length, fresh: messages.length + 1, status: ['succeeded'] });
    } finally {
      await second.cleanup();
    }
  });
});


