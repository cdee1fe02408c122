/**
 * kafkajs 2.2.4 runs here with patches/kafkajs+2.2.4.patch, applied by `npm ci` (postinstall:
 * patch-package). Without it a read_committed consumer delivers records of aborted transactions
 * when two producers' transactions interleave in a partition (see the README, "Kafka version"), so
 * no Kafka client is created until the patch is known to be in place: checked once per process by
 * running kafkajs's own filter on a case the unpatched one gets wrong.
 */
import { createRequire } from 'node:module';
import { LgspError } from '../errors.js';

/** A message as kafkajs's aborted-transaction filter sees it. */
export interface FilteredMessage {
  offset: string;
  key: Buffer | null;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

export type AbortedFilter = (input: { messages: FilteredMessage[]; abortedTransactions: { producerId: string; firstOffset: string }[] }) => FilteredMessage[];

export function kafkajsAbortedFilter(): AbortedFilter {
  return createRequire(import.meta.url)('kafkajs/src/consumer/filterAbortedMessages.js') as AbortedFilter;
}

const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

export function record(offset: number, producerId: string): FilteredMessage {
  return { offset: String(offset), key: Buffer.from(`k${offset}`), isControlRecord: false, batchContext: { producerId, inTransaction: true } };
}

export function abortMarker(offset: number, producerId: string): FilteredMessage {
  return { offset: String(offset), key: ABORT_MARKER_KEY, isControlRecord: true, batchContext: { producerId, inTransaction: true } };
}

/**
 * Producer 1 began at 0, producer 2 at 1; 2 aborted first (marker 2), then 1 (marker 3), so the
 * broker lists 2's abort first; producer 3 commits at 4. Only record 4 may pass.
 */
export const ABORTS_ENDED_OUT_OF_ORDER: Parameters<AbortedFilter>[0] = {
  messages: [record(0, '1'), record(1, '2'), abortMarker(2, '2'), abortMarker(3, '1'), record(4, '3')],
  abortedTransactions: [
    { producerId: '2', firstOffset: '1' },
    { producerId: '1', firstOffset: '0' },
  ],
};

/** Offsets of the data records among what the filter kept (control records pass it; kafkajs drops them after). */
export function keptRecordOffsets(kept: readonly FilteredMessage[]): string[] {
  return kept.filter((m) => !m.isControlRecord).map((m) => m.offset);
}

let patched = false;

/**
 * Throws KAFKAJS_UNPATCHED, with the fix as hint, unless kafkajs's filter (or `filter`, for tests)
 * drops what it must. kafkajs's own is checked once per process.
 */
export function assertKafkajsPatched(filter?: AbortedFilter): void {
  if (filter === undefined && patched) return;
  const kept = keptRecordOffsets((filter ?? kafkajsAbortedFilter())(ABORTS_ENDED_OUT_OF_ORDER));
  if (kept.length !== 1 || kept[0] !== '4') {
    throw new LgspError('KAFKAJS_UNPATCHED', 'kafkajs is installed without its patch: read_committed consumers could receive records of aborted transactions', {
      hint: 'install with `npm ci` (scripts enabled): its postinstall applies patches/kafkajs+2.2.4.patch',
    });
  }
  if (filter === undefined) patched = true;
}
