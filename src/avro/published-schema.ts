/**
 * A writer schema as connectors publish it on the schema topic (src/kafka/schema-topic.ts): enough
 * for a pipeline deployed with older schema files to read the messages written with it. The JSON
 * keeps what the fingerprint leaves out (logical types, defaults, docs), which the reader needs.
 */
import type { Schema } from 'avsc';
import { describeError } from '../errors.js';
import { SchemaInvalidError } from './errors.js';
import { fingerprintHex, schemaFingerprint } from './fingerprint.js';
import { parseSchema } from './parse-schema.js';
import type { RegisteredSchema } from './registry.js';

export interface PublishedSchema {
  readonly fullName: string;
  readonly version: number;
  /** 16 hex digits, as messages name it (the schema topic's key). */
  readonly fingerprint: string;
  /** The file it came from, relative to `schemas/` (`raw/population/Citizen.v2.avsc`): what to deploy. */
  readonly file: string;
  /** The schema as JSON, attributes (logical types, defaults, docs) included. */
  readonly schema: unknown;
}

/** What a connector publishes for a schema of its catalogue. */
export function publishedForm(schema: RegisteredSchema): PublishedSchema {
  return {
    fullName: schema.fullName,
    version: schema.version,
    fingerprint: schema.fingerprint,
    file: schema.source,
    schema: schema.type.schema({ exportAttrs: true }),
  };
}

/**
 * A published schema, parsed as the catalogue parses its files. Throws `SchemaInvalidError` when it
 * does not parse or its JSON does not have the fingerprint it is published under (a record that
 * would let a message be read with the wrong schema).
 */
export function registeredFromPublished(published: PublishedSchema, where: string): RegisteredSchema {
  let type;
  try {
    type = parseSchema(published.schema as Schema);
  } catch (err) {
    throw new SchemaInvalidError(where, `${published.fullName} v${published.version} is not a valid Avro schema: ${describeError(err)}`);
  }
  const fingerprint = fingerprintHex(schemaFingerprint(type));
  if (fingerprint !== published.fingerprint) {
    throw new SchemaInvalidError(where, `${published.fullName} v${published.version} is published under fingerprint ${published.fingerprint} but its schema has ${fingerprint}`);
  }
  return { fullName: published.fullName, version: published.version, fingerprint, type, source: `${where} (${published.file})` };
}

/** Parses a schema topic record's value; undefined when it is not a published schema. */
export function parsePublished(value: Buffer): PublishedSchema | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const p = json as Record<string, unknown>;
  const ok = typeof p['fullName'] === 'string' && typeof p['version'] === 'number' && typeof p['fingerprint'] === 'string' && typeof p['file'] === 'string' && p['schema'] !== undefined;
  return ok ? (json as PublishedSchema) : undefined;
}
