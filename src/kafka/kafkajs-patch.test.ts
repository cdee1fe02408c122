import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * patches/kafkajs+2.2.4.patch (applied by `npm ci`, postinstall): kafkajs's read_committed filter
 * must walk the broker's aborted transactions by first offset, not in the order listed (the order
 * they ended). Checked here without a broker so a missing patch fails the unit tests; the real
 * broker case is test/integration/kafka-aborted-transactions.test.ts.
 */
type Filter = (input: { messages: Message[]; abortedTransactions: { producerId: string; firstOffset: string }[] }) => Message[];
interface Message {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

const filterAbortedMessages = createRequire(import.meta.url)('kafkajs/src/consumer/filterAbortedMessages.js') as Filter;
const ABORT = Buffer.from([0, 0, 0, 0]);
const record = (offset: number, producerId: string): Message => ({ offset: String(offset), key: Buffer.from(`k${offset}`), isControlRecord: false, batchContext: { producerId, inTransaction: true } });
const abortMarker = (offset: number, producerId: string): Message => ({ offset: String(offset), key: ABORT, isControlRecord: true, batchContext: { producerId, inTransaction: true } });
const offsets = (messages: Message[]): string[] => messages.filter((m) => !m.isControlRecord).map((m) => m.offset);

describe('kafkajs aborted-transaction filter (patched)', () => {
  it('drops aborted records when the transactions ended in another order than they began', () => {
    // Producer 1 began at 0, producer 2 at 1; 2 aborted first (marker 2), then 1 (marker 3); 3 commits at 4.
    const messages = [record(0, '1'), record(1, '2'), abortMarker(2, '2'), abortMarker(3, '1'), { ...record(4, '3') }];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '2', firstOffset: '1' }, { producerId: '1', firstOffset: '0' }] });
    expect(offsets(kept)).toEqual(['4']);
  });

  it('drops the records of every aborted transaction that began before the first record fetched', () => {
    // The fetch starts at 5, inside transactions of producers 1 and 2 that began at 1 and 2; the
    // first record fetched is producer 2's, so both must be in force from the first record on.
    const messages = [record(5, '2'), record(6, '1'), abortMarker(7, '1'), abortMarker(8, '2'), record(9, '1')];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '1', firstOffset: '1' }, { producerId: '2', firstOffset: '2' }] });
    expect(offsets(kept)).toEqual(['9']);
  });
});
