/**
 * A dead letter must always fit in a Kafka record: the broker refuses a record batch over its
 * `message.max.bytes` (1 MiB by default), and a dead letter that cannot be written would stop the
 * path that exists so that bad records never stop anything. A key or value over its share of that
 * limit is cut, and a header says so and how long it was; the whole record is kept elsewhere (the
 * warehouse's meta.rejected_records for a pipeline's rejects, the source system for a connector's).
 */
import type { IHeaders } from 'kafkajs';

/** Most bytes of a dead letter's value; with the key and headers well under a 1 MiB record batch. */
export const MAX_DEAD_LETTER_VALUE_BYTES = 512 * 1024;
/** Most bytes of a dead letter's key. */
export const MAX_DEAD_LETTER_KEY_BYTES = 8 * 1024;

export interface FittedDeadLetter {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Headers to add: `lgsp.dlq.key-cut` / `lgsp.dlq.value-cut` with the original size, when cut. */
  readonly headers: Record<string, string>;
}

export function fitDeadLetter(key: Buffer | string | null, value: Buffer | string | null, whereKept: string): FittedDeadLetter {
  const k = key === null ? null : Buffer.isBuffer(key) ? key : Buffer.from(key);
  const v = value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);
  const headers: Record<string, string> = {};
  if (k !== null && k.length > MAX_DEAD_LETTER_KEY_BYTES) headers['lgsp.dlq.key-cut'] = `${k.length} bytes, cut to ${MAX_DEAD_LETTER_KEY_BYTES}; the whole record: ${whereKept}`;
  if (v !== null && v.length > MAX_DEAD_LETTER_VALUE_BYTES) headers['lgsp.dlq.value-cut'] = `${v.length} bytes, cut to ${MAX_DEAD_LETTER_VALUE_BYTES}; the whole record: ${whereKept}`;
  return {
    key: k !== null && k.length > MAX_DEAD_LETTER_KEY_BYTES ? k.subarray(0, MAX_DEAD_LETTER_KEY_BYTES) : k,
    value: v !== null && v.length > MAX_DEAD_LETTER_VALUE_BYTES ? v.subarray(0, MAX_DEAD_LETTER_VALUE_BYTES) : v,
    headers,
  };
}

/** Bytes a message takes in a produce request, near enough to bound a request's size. */
export function messageBytes(message: { readonly key?: Buffer | string | null; readonly value: Buffer | string | null; readonly headers?: IHeaders }): number {
  let n = 64 + bytesOf(message.key) + bytesOf(message.value);
  for (const [name, header] of Object.entries(message.headers ?? {})) n += name.length + (typeof header === 'string' || Buffer.isBuffer(header) ? bytesOf(header) : 64);
  return n;
}

function bytesOf(x: Buffer | string | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return Buffer.isBuffer(x) ? x.length : Buffer.byteLength(x);
}
