import { describe, expect, it } from 'vitest';
import { runConnector, type RecordCodec } from '../../src/connect/source-runner.js';
import type { SourceConnector, SourceRecord, Stream } from '../../src/connect/types.js';
import { silentLogger } from '../../src/logger.js';
import { useDeployment } from '../harness/deployment.js';

/**
 * How a connector's pages become Kafka transactions (src/connect/source-runner.ts), against the
 * real broker: consecutive pages share a transaction up to the records per transaction, a page is
 * never split, and a transaction commits early once it holds 768 KiB.
 */
describe('source runner transactions', () => {
  const t = useDeployment({ migrate: false });

  /** A stream of `pages` pages of `perPage` records; the codec makes each value `valueBytes` long. */
  function connector(name: string, pages: number, perPage: number): SourceConnector {
    const stream: Stream = {
      name: 'items',
      entity: 'item',
      valueSchema: 'test.Item',
      primaryKey: 'id',
      cursorField: 'updatedAt',
      async *read(): AsyncIterable<readonly SourceRecord[]> {
        for (let p = 0; p < pages; p++) {
          yield Array.from({ length: perPage }, (_, i) => {
            const n = p * perPage + i;
            return { key: `k${n}`, value: { id: n }, sourceOffset: { updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), id: `k${n}` } };
          });
          await Promise.resolve();
        }
      },
      check: () => [],
      keyOf: (value) => `k${String(value['id'])}`,
    };
    return { name, streams: [stream] };
  }
  const codec = (valueBytes: number): RecordCodec => ({ validate: () => [], encode: () => Buffer.alloc(valueBytes, 1), published: () => [] });
  const deps = (valueBytes: number) => ({ kafka: t.runtime.kafka, codec: codec(valueBytes), naming: t.runtime.naming, partitions: 1, logger: silentLogger() });

  it('gathers whole pages into a transaction up to the records per transaction', async () => {
    // 10 pages of 100: with 250 a transaction, pages commit 3 at a time (300 ≥ 250), the last alone.
    const [figures] = await runConnector(connector('grouped', 10, 100), deps(10), { recordsPerTransaction: 250 });
    expect(figures).toMatchObject({ read: 1000, produced: 1000, transactions: 4 });
    // 1: every page on its own.
    const [single] = await runConnector(connector('single', 10, 100), deps(10), { recordsPerTransaction: 1 });
    expect(single).toMatchObject({ read: 1000, transactions: 10 });
  });

  it('commits once a transaction holds 768 KiB, whatever its record count', async () => {
    // 20 pages of 10 records of 20 KB: 200 KB a page, so every 4th page reaches 768 KiB (800 KB).
    const [figures] = await runConnector(connector('bytes', 20, 10), deps(20_000), { recordsPerTransaction: 5000 });
    expect(figures).toMatchObject({ read: 200, produced: 200, transactions: 5 });
  });
});
