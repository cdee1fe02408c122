/**
 * Makes decoding garbage fail fast. avsc reads an array or map block of `n` items without asking
 * whether the bytes left can hold them: a corrupt count of 10⁹ keeps it looping (and allocating)
 * long after the buffer has run out, which would stall a consumer on one bad message. The guarded
 * readers below stop as soon as the read position passes the end; `fromBuffer` then reports
 * "truncated buffer", which the catalogue turns into an `AvroDecodeError`.
 *
 * Limit: items that take no bytes at all (`null`, an empty record) cannot run out of buffer, so a
 * huge count of them is still read; no schema here has arrays of such items.
 */
import avsc from 'avsc';
import type { Schema, Type } from 'avsc';

interface Tap {
  pos: number;
  readonly buf: Buffer;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
}

interface Reader {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

interface Block {
  readonly itemsType?: Reader;
  readonly valuesType?: Reader;
}

const ended = (tap: Tap): boolean => tap.pos > tap.buf.length;

/** Block count; a negative count is followed by the block's byte size, which reading ignores. */
function blockCount(tap: Tap): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong();
  }
  return n;
}

function skipBlocks(tap: Tap, skipItem: () => void): void {
  let n: number;
  while (!ended(tap) && (n = tap.readLong()) !== 0) {
    if (n < 0) {
      const size = tap.readLong();
      if (size < 0) tap.pos = tap.buf.length + 1;
      else tap.pos += size;
      continue;
    }
    while (n-- > 0 && !ended(tap)) skipItem();
  }
}

function readArray(this: Block, tap: Tap): unknown[] {
  const items = this.itemsType as Reader;
  const values: unknown[] = [];
  let n: number;
  while (!ended(tap) && (n = blockCount(tap)) !== 0) {
    while (n-- > 0 && !ended(tap)) values.push(items._read(tap));
  }
  return values;
}

function readMap(this: Block, tap: Tap): Record<string, unknown> {
  const values = this.valuesType as Reader;
  const map: Record<string, unknown> = {};
  let n: number;
  while (!ended(tap) && (n = blockCount(tap)) !== 0) {
    while (n-- > 0 && !ended(tap)) {
      const key = tap.readString();
      map[key] = values._read(tap);
    }
  }
  return map;
}

/** avsc's array type with guarded block reading. (avsc freezes type instances: hence subclasses.) */
class GuardedArrayType extends avsc.types.ArrayType {}
Object.assign(GuardedArrayType.prototype, {
  _read: readArray,
  _skip(this: Block, tap: Tap) {
    const items = this.itemsType as Reader;
    skipBlocks(tap, () => items._skip(tap));
  },
});

/** avsc's map type with guarded block reading. */
class GuardedMapType extends avsc.types.MapType {}
Object.assign(GuardedMapType.prototype, {
  _read: readMap,
  _skip(this: Block, tap: Tap) {
    const values = this.valuesType as Reader;
    skipBlocks(tap, () => {
      tap.skipString();
      values._skip(tap);
    });
  },
});

/** A `typeHook` for `Type.forSchema` that builds arrays and maps with guarded block reading. */
export function guardedBlockTypes(schema: Schema, opts: unknown): Type | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const kind = (schema as { type?: unknown; logicalType?: unknown }).type;
  if ((schema as { logicalType?: unknown }).logicalType !== undefined) return undefined;
  if (kind === 'array') return new GuardedArrayType(schema, opts);
  if (kind === 'map') return new GuardedMapType(schema, opts);
  return undefined;
}
