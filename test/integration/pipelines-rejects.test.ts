import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { landPipeline } from '../../pipelines/land/pipeline.js';
import { load } from '../../app/batch/load.js';
import { connect } from '../../src/db/postgres.js';
import { dlqTopic, rawTopic } from '../../src/kafka/topics.js';
import { loadBatch } from '../../src/sink/batch-loader.js';
import { useDeployment } from '../harness/deployment.js';
import { produceRaw, type RawMessage } from '../harness/world-messages.js';

const parcel = (n: number, overrides: Record<string, unknown> = {}): RawMessage => ({
  source: 'land',
  entity: 'parcel',
  schema: 'vn.lgsp.raw.land.Parcel',
  key: `29236-1-${n}`,
  value: {
    parcelId: `29236-1-${n}`,
    communeCode: '29236',
    mapSheet: 1,
    parcelNumber: n,
    area: '120.5',
    useCode: 'ONT',
    certificateSerial: 'CS123456',
    owners: [{ holderKind: 'citizen', holderId: '084195000123', from: '2020-01-01', to: null }],
    updatedAt: new Date('2025-03-01T00:00:00Z'),
    ...overrides,
  },
});

/** Bad records at load time: rejected with a reason naming the field, dead-lettered, and the run goes on. */
describe('pipeline rejects', () => {
  const t = useDeployment();

  it('a transform failure and a constraint violation are rejected and dead-lettered; the good records load', async () => {
    const { runtime } = t;
    await produceRaw(
      runtime.kafka,
      runtime.catalogue,
      runtime.naming,
      [
        parcel(1),
        parcel(2, { certificateSerial: 'no serial' }), // the transform refuses it
        parcel(3, { area: '0.0' }), // the transform accepts it; CHECK (area > 0) refuses it
        parcel(4),
      ],
      1,
    );
    const [figures] = await load(runtime, ['land']);
    expect(figures).toMatchObject({ loaded: 2, rejected: 2 });
    expect((figures?.consumed ?? 0) - (figures?.skipped ?? 0)).toBe(4);

    const loaded = await t.query(`SELECT parcel_id FROM core.land_parcel ORDER BY 1`);
    expect(loaded).toEqual([{ parcel_id: '29236-1-1' }, { parcel_id: '29236-1-4' }]);
    const owners = await t.query(`SELECT parcel_id, holder_id FROM core.land_ownership ORDER BY 1`);
    expect(owners).toEqual([
      { parcel_id: '29236-1-1', holder_id: '084195000123' },
      { parcel_id: '29236-1-4', holder_id: '084195000123' },
    ]);
    const rejects = await t.query<{ record_key: string; error_code: string; reason: string; offset: string }>(
      `SELECT record_key, error_code, reason, "offset" FROM meta.rejected_records ORDER BY "offset"`,
    );
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ record_key: '29236-1-2', error_code: 'TRANSFORM_FAILED' });
    expect(rejects[0]?.reason).toMatch(/^certificateSerial: /);
    expect(rejects[1]).toMatchObject({ record_key: '29236-1-3', error_code: 'CONSTRAINT_VIOLATED' });
    expect(rejects[1]?.reason).toMatch(/^land_parcel_area_check: .*violates check constraint/);

    // The dead letters reached `<topic>.dlq` (outbox flushed and emptied), reason in headers.
    const outbox = await t.query(`SELECT count(*)::int AS n FROM meta.dlq_outbox`);
    expect(outbox).toEqual([{ n: 0 }]);
    const topic = dlqTopic(rawTopic(runtime.naming, 'land', 'parcel'));
    const consumer = runtime.kafka.consumer({ groupId: `${t.id}-dlq-reader` });
    const letters: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void letters.push(message)) });
    for (let i = 0; i < 100 && letters.length < 2; i += 1) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    expect(letters.map((m) => m.key?.toString())).toEqual(['29236-1-2', '29236-1-3']);
    expect(letters[1]?.headers?.['lgsp.error.reason']?.toString()).toMatch(/land_parcel_area_check/);
    expect(letters[1]?.headers?.['lgsp.source.offset']?.toString()).toBe('2');
  });

  it('a database error that is not about a record fails the batch and stores no offset', async () => {
    // A connection of its own, terminated by the warehouse's other one.
    const client = await connect(t.settings.DATABASE_URL);
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    await t.query('SELECT pg_terminate_backend($1)', [pid]);
    const input = landPipeline.inputs[0];
    if (input === undefined) throw new Error('land has an input');
    const message: KafkaMessage = {
      key: Buffer.from('29236-1-9'),
      value: t.runtime.catalogue.encode('vn.lgsp.raw.land.Parcel', parcel(9).value),
      offset: '0',
      timestamp: String(Date.now()),
      attributes: 0,
      headers: {},
    };
    await expect(
      loadBatch(client, { pipeline: 'land-test', input, topic: 'crash-topic', partition: 0, partitions: 1, messages: [message], nextOffset: 1n, runId: null, decode: t.runtime.decode }),
    ).rejects.toThrow();
    await client.end().catch(() => undefined);
    const stored = await t.query(`SELECT count(*)::int AS n FROM meta.consumer_offsets WHERE pipeline = 'land-test'`);
    expect(stored).toEqual([{ n: 0 }]);
    const rows = await t.query(`SELECT count(*)::int AS n FROM core.land_parcel WHERE parcel_id = '29236-1-9'`);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
