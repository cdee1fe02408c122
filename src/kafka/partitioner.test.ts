import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { javaCompatiblePartitioner, murmur2 } from './partitioner.js';

// kafkajs's own (Long-based) implementation, the reference the fast one must equal.
const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;

describe('murmur2', () => {
  it('equals kafkajs (and so Java) for keys of every length and byte value', () => {
    const keys = [Buffer.alloc(0), Buffer.from('a'), Buffer.from('079203001234'), Buffer.from('Nguyễn Thị Ánh'), Buffer.from([0xff, 0x80, 0x7f, 0x00, 0xfe])];
    for (let n = 0; n < 2000; n++) keys.push(randomBytes(n % 41));
    for (const key of keys) expect(murmur2(key), key.toString('hex')).toBe(kafkajsMurmur2(key));
  });

  it('matches values published for the Java client', () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
  });

  it('partitions by key as Kafka does, honours an explicit partition, and round-robins keyless messages', () => {
    const partitioner = javaCompatiblePartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, partitionErrorCode: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }));
    const key = Buffer.from('079203001234');
    expect(partitioner({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 3);
    expect(partitioner({ topic: 't', partitionMetadata, message: { key, value: null, partition: 2 } })).toBe(2);
    const spread = new Set(Array.from({ length: 6 }, () => partitioner({ topic: 't', partitionMetadata, message: { value: 'x' } })));
    expect(spread).toEqual(new Set([0, 1, 2]));
  });
});
