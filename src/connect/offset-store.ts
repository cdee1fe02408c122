import type { Kafka, Message } from 'kafkajs';
import { readToEnd } from '../kafka/read-to-end.js';
import type { SourceOffset } from './types.js';

/**
 * Source offsets live in a compacted Kafka topic of the connector's own (KIP-618 lets each
 * connector have one), keyed `["<connector>","<stream>"]` as Kafka Connect keys them, and are
 * written in the same transaction as the records they cover.
 */
export function offsetKey(connector: string, stream: string): string {
  return JSON.stringify([connector, stream]);
}

export function offsetMessage(connector: string, stream: string, offset: SourceOffset): Message {
  return { key: offsetKey(connector, stream), value: JSON.stringify(offset) };
}

/** The last committed offset of each stream of a connector. */
export async function readOffsets(kafka: Kafka, topic: string, connector: string): Promise<Map<string, SourceOffset>> {
  const offsets = new Map<string, SourceOffset>();
  await readToEnd(kafka, topic, (message) => {
    if (message.key === null) return;
    const [owner, stream] = JSON.parse(message.key.toString('utf8')) as [string, string];
    if (owner !== connector) return;
    if (message.value === null) offsets.delete(stream);
    else offsets.set(stream, JSON.parse(message.value.toString('utf8')) as SourceOffset);
  });
  return offsets;
}
