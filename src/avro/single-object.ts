/**
 * Avro single-object encoding (specification, "Single object encoding"): the two marker bytes
 * `C3 01`, the writer schema's CRC-64-AVRO fingerprint as 8 little-endian bytes, then the Avro
 * binary body. A message names its writer schema by content, so no registry service is needed to
 * read it, only the schema files.
 */
import type { Type } from 'avsc';

/** The two marker bytes that open every single-object encoded message. */
export const SINGLE_OBJECT_MARKER: readonly [number, number] = [0xc3, 0x01];
/** Marker (2 bytes) + fingerprint (8 bytes). */
export const SINGLE_OBJECT_HEADER_LENGTH = 10;

// Scratch buffer reused between calls: the body is written once into it, then copied once into the
// exact-size result (what avsc's own `toBuffer` does, plus the header). Grows when a value needs more.
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Encodes `value` with `type` and frames it; throws avsc's error when `value` does not fit `type`. */
export function encodeSingleObject(type: Type, fingerprint: bigint, value: unknown): Buffer {
  let end = type.encode(value, scratch, SINGLE_OBJECT_HEADER_LENGTH);
  if (end < 0) {
    // avsc returns minus the number of missing bytes.
    scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
    end = type.encode(value, scratch, SINGLE_OBJECT_HEADER_LENGTH);
  }
  const message = Buffer.allocUnsafe(end);
  scratch.copy(message, SINGLE_OBJECT_HEADER_LENGTH, SINGLE_OBJECT_HEADER_LENGTH, end);
  writeHeader(message, fingerprint);
  return message;
}

/** Writes the 10-byte header at the start of `target`. */
export function writeHeader(target: Buffer, fingerprint: bigint): void {
  target[0] = SINGLE_OBJECT_MARKER[0];
  target[1] = SINGLE_OBJECT_MARKER[1];
  target.writeBigUInt64LE(fingerprint, 2);
}

/** True when `message` starts with the single-object marker and is long enough to hold a header. */
export function isSingleObject(message: Uint8Array): boolean {
  return (
    message.length >= SINGLE_OBJECT_HEADER_LENGTH &&
    message[0] === SINGLE_OBJECT_MARKER[0] &&
    message[1] === SINGLE_OBJECT_MARKER[1]
  );
}

/** The writer fingerprint in a message's header; call {@link isSingleObject} first. */
export function readFingerprint(message: Buffer): bigint {
  return message.readBigUInt64LE(2);
}

/** The Avro body after the header (a view, not a copy). */
export function bodyOf(message: Buffer): Buffer {
  return message.subarray(SINGLE_OBJECT_HEADER_LENGTH);
}
