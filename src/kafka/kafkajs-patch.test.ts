import { describe, expect, it } from 'vitest';
import { ABORTS_ENDED_OUT_OF_ORDER, abortMarker, assertKafkajsPatched, kafkajsAbortedFilter, keptRecordOffsets, record, type FilteredMessage } from './kafkajs-patch.js';

/**
 * patches/kafkajs+2.2.4.patch (applied by `npm ci`, postinstall): kafkajs's read_committed filter
 * must walk the broker's aborted transactions by first offset, not in the order listed (the order
 * they ended). Checked without a broker; the broker case is
 * test/integration/kafka-aborted-transactions.test.ts.
 */
const filter = kafkajsAbortedFilter();

describe('kafkajs aborted-transaction filter (patched)', () => {
  it('drops aborted records when the transactions ended in another order than they began', () => {
    expect(keptRecordOffsets(filter(ABORTS_ENDED_OUT_OF_ORDER))).toEqual(['4']);
  });

  it('drops the records of every aborted transaction that began before the first record fetched', () => {
    // The fetch starts at 5, inside transactions of producers 1 and 2 that began at 1 and 2; the
    // first record fetched is producer 2's, so both must be in force from the first record on.
    const messages = [record(5, '2'), record(6, '1'), abortMarker(7, '1'), abortMarker(8, '2'), record(9, '1')];
    const kept = filter({ messages, abortedTransactions: [{ producerId: '1', firstOffset: '1' }, { producerId: '2', firstOffset: '2' }] });
    expect(keptRecordOffsets(kept)).toEqual(['9']);
  });

  it('is checked before any Kafka client is made: an unpatched filter is refused with the fix as hint', () => {
    expect(() => assertKafkajsPatched()).not.toThrow();
    // kafkajs 2.2.4's filter as published: one step per record, in the order listed.
    const unpatched = ({ messages, abortedTransactions }: Parameters<typeof filter>[0]): FilteredMessage[] => {
      const remaining = [...abortedTransactions];
      const current = new Set<string>();
      return messages.filter((m) => {
        if (remaining.length > 0 && BigInt(m.offset) >= BigInt(remaining[0]?.firstOffset ?? 0)) current.add(remaining.shift()?.producerId ?? '');
        if (m.isControlRecord) current.delete(m.batchContext.producerId);
        else if (current.has(m.batchContext.producerId) && m.batchContext.inTransaction) return false;
        return true;
      });
    };
    expect(() => assertKafkajsPatched(unpatched)).toThrow(expect.objectContaining({ code: 'KAFKAJS_UNPATCHED', hint: expect.stringContaining('npm ci') as unknown }) as Error);
  });
});
