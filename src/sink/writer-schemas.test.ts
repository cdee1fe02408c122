import { readFileSync } from 'node:fs';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../avro/catalogue.js';
import { publishedForm, type PublishedSchema } from '../avro/published-schema.js';
import { createLogger } from '../logger.js';
import { field, writeSchemaDir } from '../../test/harness/schema-dir.js';
import { SchemaUnreadableError } from './errors.js';
import { createWriterSchemas } from './writer-schemas.js';

const CITIZEN = 'vn.lgsp.raw.population.Citizen';
const v1 = JSON.parse(readFileSync(new URL('../../schemas/raw/population/Citizen.v1.avsc', import.meta.url), 'utf8')) as { fields: { name: string }[] };
const v2 = { ...v1, fields: [...v1.fields, field('email', ['null', 'string'], { default: null })] };
const v3 = { ...v1, fields: v1.fields.map((f) => (f.name === 'householdId' ? { ...f, type: 'int' } : f)) };
const citizen = { personalId: '079201000001', fullName: 'A', birthDate: '2001-01-01', sex: 'F', householdId: 'H1', residenceCommuneCode: '84001', deathDate: null, updatedAt: new Date(0) };

/** The connectors' catalogue (v1–v3) and a pipeline deployed with v1 only, learning from a published list. */
function setUp(publish: readonly number[]) {
  const connectors = loadCatalogue(
    writeSchemaDir({ 'raw/population/Citizen.v1.avsc': v1, 'raw/population/Citizen.v2.avsc': v2, 'raw/population/Citizen.v3.avsc': { ...v3, fields: [...v3.fields] } }),
  );
  const pipelines = loadCatalogue(writeSchemaDir({ 'raw/population/Citizen.v1.avsc': v1 }));
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream });
  let reads = 0;
  const topic = new Map<string, PublishedSchema>(publish.map((v) => [connectors.schema(CITIZEN, v).fingerprint, publishedForm(connectors.schema(CITIZEN, v))]));
  const writers = createWriterSchemas({
    catalogue: pipelines,
    readPublished: () => {
      reads += 1;
      return Promise.resolve(topic);
    },
    where: 'lgsp.schemas',
    backfillHint: () => '`lgsp backfill population`',
    logger,
  });
  const message = (version: number, offset: string, value: Record<string, unknown> = citizen): KafkaMessage =>
    ({ key: Buffer.from(citizen.personalId), value: connectors.encode(CITIZEN, value, version), offset, timestamp: '0', attributes: 0, headers: {} });
  const check = (messages: KafkaMessage[]) => writers.prepare({ pipeline: 'population', topic: 'lgsp.raw.population.citizen.v1', partition: 0, readerSchema: CITIZEN, messages });
  return { pipelines, lines, reads: () => reads, message, check };
}

describe('writer schemas a pipeline was not deployed with', () => {
  it('learns a published writer its reader reads, warns once naming the file and the backfill, and reads the topic once', async () => {
    const s = setUp([1, 2]);
    await s.check([s.message(1, '0'), s.message(2, '1', { ...citizen, email: 'a@b.vn' })]);
    await s.check([s.message(2, '2')]);
    expect(s.reads()).toBe(1);
    expect(s.pipelines.decode(s.message(2, '3', { ...citizen, email: 'a@b.vn' }).value as Buffer, CITIZEN).value).toEqual(citizen);
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toContain(`carries ${CITIZEN} v2, which pipeline population was not deployed with: read as v1`);
    expect(s.lines[0]).toContain('Deploy the pipelines with schemas/raw/population/Citizen.v2.avsc, then `lgsp backfill population`');
  });

  it('stops at the first message of a writer its reader cannot read, naming the schema, the offset and the file to deploy', async () => {
    const s = setUp([3]);
    const stop = await s.check([s.message(1, '5'), s.message(3, '6', { ...citizen, householdId: 7 })]).catch((err: unknown) => err);
    expect(stop).toBeInstanceOf(SchemaUnreadableError);
    expect(stop).toMatchObject({ code: 'SCHEMA_UNREADABLE', retriable: false, context: { offset: '6', schema: CITIZEN, version: 3 } });
    expect((stop as Error).message).toMatch(/^pipeline population stopped at lgsp\.raw\.population\.citizen\.v1\[0\] offset 6: the message is written with vn\.lgsp\.raw\.population\.Citizen v3 \(fingerprint [0-9a-f]{16}\), which its reader vn\.lgsp\.raw\.population\.Citizen v1 cannot read/);
    expect((stop as SchemaUnreadableError).hint).toContain('deploy the pipelines with schemas/raw/population/Citizen.v3.avsc');
    // Every later batch of that writer stops the same way, without reading the topic again.
    await expect(s.check([s.message(3, '6', { ...citizen, householdId: 7 })])).rejects.toThrow(SchemaUnreadableError);
    expect(s.reads()).toBe(1);
  });

  it('leaves a writer nobody published to the decoder (its record is rejected as SCHEMA_UNKNOWN), reading the topic once for it', async () => {
    const s = setUp([]);
    await s.check([s.message(2, '0'), s.message(2, '1')]);
    await s.check([s.message(2, '2')]);
    expect(s.reads()).toBe(1);
    expect(() => s.pipelines.decode(s.message(2, '3').value as Buffer, CITIZEN)).toThrow(/^unknown writer schema fingerprint /);
  });
});
