/**
 * Schema identity: the Parsing Canonical Form (PCF) of a schema and its CRC-64-AVRO (Rabin)
 * fingerprint, as the Avro specification defines them. The fingerprint is a content address: two
 * schemas with the same PCF read and write the same bytes, whatever their docs, defaults or aliases.
 */
import type { Type } from 'avsc';

/** The spec's seed for CRC-64-AVRO, also the fingerprint of zero bytes. */
export const CRC64_AVRO_EMPTY = 0xc15d213aa4d7a795n;

const MASK_64 = 0xffffffffffffffffn;

const FP_TABLE: readonly bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (CRC64_AVRO_EMPTY & -(fp & 1n) & MASK_64);
    table.push(fp);
  }
  return table;
})();

/** CRC-64-AVRO of `bytes` (the spec's `fingerprint64`), as an unsigned 64-bit BigInt. */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = CRC64_AVRO_EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ (FP_TABLE[Number((fp ^ BigInt(byte)) & 0xffn)] ?? 0n);
  return fp;
}

/**
 * The Parsing Canonical Form of a parsed schema. avsc's `type.schema()` without attributes already
 * is PCF: full names, only `name`, `type`, `fields`, `symbols`, `items`, `values`, `size` in that order,
 * no docs, defaults, aliases or logical types. The tests pin this against the Java implementation.
 */
export function canonicalForm(type: Type): string {
  return JSON.stringify(type.schema());
}

/** CRC-64-AVRO fingerprint of a schema's Parsing Canonical Form. */
export function schemaFingerprint(type: Type): bigint {
  return crc64Avro(Buffer.from(canonicalForm(type), 'utf8'));
}

/** A fingerprint as 16 hex digits (big-endian, as Java prints `Long.toHexString`), for logs and the CLI. */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprint.toString(16).padStart(16, '0');
}
