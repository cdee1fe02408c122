import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { populationPipeline } from '../../pipelines/population/pipeline.js';
import { loadCatalogue } from '../avro/catalogue.js';
import { partitionOfKey } from '../kafka/partitioner.js';
import { stageMessage, type StagingContext } from './stage-message.js';
import type { PipelineInput } from './types.js';

const catalogue = loadCatalogue();
const input = populationPipeline.inputs[0] as PipelineInput;
const CITIZEN = 'vn.lgsp.raw.population.Citizen';
const citizen = (personalId: string): Record<string, unknown> => ({
  personalId,
  fullName: 'Kiên Thị Khóa',
  birthDate: '1995-03-04',
  sex: 'F',
  householdId: 'HGD-1',
  residenceCommuneCode: '29236',
  deathDate: null,
  updatedAt: new Date('2025-06-01T02:00:00Z'),
});
const A = '084195000601';
const B = '084195000602';
const PARTITIONS = 6;

function context(partition: number, over: Partial<StagingContext> = {}): StagingContext {
  return {
    input,
    topic: 't',
    partition,
    partitions: PARTITIONS,
    decode: (value, reader) => {
      const d = catalogue.decode<Record<string, unknown>>(value, reader);
      return { value: d.value, schema: d.writer.fullName, version: d.writer.version, fingerprint: d.writer.fingerprint };
    },
    ...over,
  };
}

function message(key: string | Buffer | null, value: Buffer | null): KafkaMessage {
  return { key: typeof key === 'string' ? Buffer.from(key) : key, value, offset: '7', timestamp: '0', attributes: 0, headers: {} };
}

const home = (key: string): number => partitionOfKey(Buffer.from(key), PARTITIONS);

describe('stageMessage: nothing on a topic is trusted', () => {
  it('stages a record keyed by its entity, in its key’s partition', () => {
    const staged = stageMessage(message(A, catalogue.encode(CITIZEN, citizen(A))), context(home(A)));
    expect(staged.staged.line.startsWith(`${A}\t`)).toBe(true);
    expect(staged.seen?.schema).toBe(CITIZEN);
  });

  it('rejects a key in another partition than the one it hashes to', () => {
    expect(() => stageMessage(message(A, catalogue.encode(CITIZEN, citizen(A))), context((home(A) + 1) % PARTITIONS))).toThrow(
      new RegExp(`^key: belongs in partition ${home(A)} of ${PARTITIONS}, not ${(home(A) + 1) % PARTITIONS}`),
    );
  });

  it("rejects a key that names another entity than the value's", () => {
    expect(() => stageMessage(message(A, catalogue.encode(CITIZEN, citizen(B))), context(home(A)))).toThrow(`key: "${A}" does not name the entity of the value (personal_id "${B}")`);
  });

  it('rejects a tombstone whose key is no personal ID, and one without a key', () => {
    expect(() => stageMessage(message('not-an-id', null), context(home('not-an-id')))).toThrow(/^key: /);
    expect(() => stageMessage(message(null, null), context(0))).toThrow('key: a tombstone without a key names nothing to delete');
  });

  it('rejects a value out of its column’s bounds, naming the column', () => {
    const value = catalogue.encode(CITIZEN, { ...citizen(A), deathDate: '9999-12-31' });
    expect(() => stageMessage(message(A, value), context(home(A)))).toThrow('death_date: 9999-12-31 is in the future');
  });

  it('makes anything a transform throws the record’s failure, coded, naming the table', () => {
    const crashing: PipelineInput = {
      ...input,
      transform: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    expect(() => stageMessage(message(A, catalogue.encode(CITIZEN, citizen(A))), context(home(A), { input: crashing }))).toThrow(
      expect.objectContaining({ code: 'TRANSFORM_FAILED', message: 'record: the transform to core.citizen failed: Maximum call stack size exceeded' }) as Error,
    );
  });
});
