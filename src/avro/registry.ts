import type { Type } from 'avsc';
import { SchemaInvalidError } from './errors.js';

/** One version of one schema, as the registry holds it. */
export interface RegisteredSchema {
  /** Full name of the top-level record, e.g. `vn.lgsp.raw.population.Citizen`. */
  readonly fullName: string;
  /** Version from the file name (`Citizen.v2.avsc` → 2); versions of a name count up from 1. */
  readonly version: number;
  /** CRC-64-AVRO of the Parsing Canonical Form, 16 hex digits: the id single-object messages carry. */
  readonly fingerprint: string;
  /** The parsed schema (always through `parseSchema`). */
  readonly type: Type;
  /** Where the schema came from (a file path), for messages. */
  readonly source: string;
}

/**
 * Where writer and reader schemas are looked up. The catalogue reads schemas from files into the
 * in-memory registry below; a Confluent-compatible registry client could implement the same
 * interface (its 4-byte ids as decimal strings) next to a framing for `00 + id` messages.
 *
 * Lifecycle: `register` every schema at start-up, then only look up; implementations need not be
 * safe against registering while decoding.
 */
export interface SchemaRegistry {
  /** Adds a schema version; throws when the (fullName, version) pair is already taken. */
  register(schema: RegisteredSchema): void;
  /** The writer schema for the id found in a message header, or undefined when unknown. */
  byId(id: string): RegisteredSchema | undefined;
  /** One version of a schema, the latest when `version` is omitted; undefined when unknown. */
  byName(fullName: string, version?: number): RegisteredSchema | undefined;
  /** All versions of a schema, oldest first (empty when unknown). */
  versions(fullName: string): readonly RegisteredSchema[];
  /** Every schema full name, sorted. */
  names(): readonly string[];
}

/**
 * A registry held in memory. Versions whose canonical forms are equal (only docs or defaults
 * changed) share a fingerprint; `byId` then answers the newest of them, which reads the same bytes.
 */
export function createMemoryRegistry(): SchemaRegistry {
  const byFingerprint = new Map<string, RegisteredSchema>();
  const byFullName = new Map<string, RegisteredSchema[]>();

  return {
    register(schema) {
      const versions = byFullName.get(schema.fullName) ?? [];
      const taken = versions.find((v) => v.version === schema.version);
      if (taken !== undefined) {
        throw new SchemaInvalidError(schema.source, `${schema.fullName} v${schema.version} is already defined in ${taken.source}`);
      }
      versions.push(schema);
      versions.sort((a, b) => a.version - b.version);
      byFullName.set(schema.fullName, versions);
      const existing = byFingerprint.get(schema.fingerprint);
      if (existing === undefined || existing.version < schema.version) byFingerprint.set(schema.fingerprint, schema);
    },
    byId: (id) => byFingerprint.get(id),
    byName(fullName, version) {
      const versions = byFullName.get(fullName);
      if (versions === undefined) return undefined;
      return version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    },
    versions: (fullName) => byFullName.get(fullName) ?? [],
    names: () => [...byFullName.keys()].sort(),
  };
}
