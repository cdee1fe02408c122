/**
 * The schema catalogue: every schema version in `schemas/`, indexed by fingerprint and by
 * (full name, version), with the single-object encode/decode and the validation connectors use.
 * Messages carry their writer's fingerprint; decoding resolves writer → reader with Avro's rules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Type } from 'avsc';
import { describeError } from '../errors.js';
import { AvroDecodeError, AvroEncodeError, SchemaIncompatibleError, SchemaInvalidError, SchemaUnknownError } from './errors.js';
import { fingerprintHex } from './fingerprint.js';
import { createMemoryRegistry, type RegisteredSchema, type SchemaRegistry } from './registry.js';
import { scanSchemaDir } from './schema-files.js';
import { bodyOf, encodeSingleObject, isSingleObject, readFingerprint } from './single-object.js';
import { validateValue } from './validate.js';

type Resolver = ReturnType<Type['createResolver']>;

/** A decoded message: the value as the reader schema sees it, and which schema wrote it. */
export interface DecodedMessage<T = unknown> {
  readonly value: T;
  readonly writer: { readonly fullName: string; readonly version: number; readonly fingerprint: string };
}

/**
 * Encodes and decodes single-object Avro messages against a {@link SchemaRegistry}.
 * Create once at start-up (`loadCatalogue`), share between streams; it only caches resolvers.
 */
export interface Catalogue {
  readonly registry: SchemaRegistry;
  /** The newest version of a schema; throws `SchemaUnknownError` when the name is unknown. */
  latest(fullName: string): RegisteredSchema;
  /** One version of a schema (the newest when omitted); throws `SchemaUnknownError`. */
  schema(fullName: string, version?: number): RegisteredSchema;
  /** Single-object encodes `value`; throws `AvroEncodeError` naming the bad fields when it does not fit. */
  encode(fullName: string, value: unknown, version?: number): Buffer;
  /**
   * Decodes a single-object message, resolving its writer schema to the reader (by default the
   * newest version of the writer's name). Throws `AvroDecodeError` for bytes that are not a valid
   * message, `SchemaUnknownError` for an unknown fingerprint or reader, `SchemaIncompatibleError`
   * when the writer cannot be read as the reader.
   */
  decode<T = unknown>(message: Buffer, readerFullName?: string, readerVersion?: number): DecodedMessage<T>;
  /**
   * What is wrong with `value` for the schema, one line per problem naming the field path
   * (`birthDate: "2021-02-30" is not a valid int (date)`); empty when valid. Stricter than `encode`:
   * fields the schema does not declare are problems too (they would be dropped silently).
   */
  validate(fullName: string, value: unknown, version?: number): readonly string[];
  /** Whether a message with this writer fingerprint can be decoded: a schema of `schemas/`, or one learnt. */
  knows(fingerprint: string): boolean;
  /**
   * Adds a writer schema that is not in the deployed files (published by a newer connector, see
   * src/sink/writer-schemas.ts): messages it wrote then decode, resolved to the reader asked for.
   * Readers stay the deployed files' versions: a learnt schema is never a reader.
   */
  learn(writer: RegisteredSchema): void;
  /** Why `writer` cannot be read as the newest version of `readerFullName`, or null when it can. */
  readProblem(writer: RegisteredSchema, readerFullName: string): string | null;
}

/** Builds a catalogue over a registry that is already filled. */
export function createCatalogue(registry: SchemaRegistry): Catalogue {
  const resolvers = new Map<string, Resolver | Error>();
  // Hot-path caches: writer schemas by the raw header bytes, fingerprints as numbers.
  const writers = new Map<string, RegisteredSchema>();
  const fingerprints = new WeakMap<RegisteredSchema, bigint>();
  const learnt = new Map<string, RegisteredSchema>();
  const writerById = (fingerprint: string): RegisteredSchema | undefined => registry.byId(fingerprint) ?? learnt.get(fingerprint);

  function writerOf(message: Buffer): RegisteredSchema {
    const key = message.toString('latin1', 2, 10);
    let writer = writers.get(key);
    if (writer === undefined) {
      const fingerprint = fingerprintHex(readFingerprint(message));
      writer = writerById(fingerprint);
      if (writer === undefined) throw new SchemaUnknownError(`unknown writer schema fingerprint ${fingerprint}`, { fingerprint });
      writers.set(key, writer);
    }
    return writer;
  }

  function fingerprintOf(schema: RegisteredSchema): bigint {
    let fingerprint = fingerprints.get(schema);
    if (fingerprint === undefined) {
      fingerprint = BigInt(`0x${schema.fingerprint}`);
      fingerprints.set(schema, fingerprint);
    }
    return fingerprint;
  }

  function schema(fullName: string, version?: number): RegisteredSchema {
    const found = registry.byName(fullName, version);
    if (found !== undefined) return found;
    const what = version === undefined ? fullName : `${fullName} v${version}`;
    throw new SchemaUnknownError(`unknown schema ${what}`, { fullName, version });
  }

  function resolverFor(writer: RegisteredSchema, reader: RegisteredSchema): Resolver {
    const key = `${writer.fingerprint}>${reader.fingerprint}`;
    let resolver = resolvers.get(key);
    if (resolver === undefined) {
      try {
        resolver = reader.type.createResolver(writer.type);
      } catch (err) {
        resolver = err instanceof Error ? err : new Error(String(err));
      }
      resolvers.set(key, resolver);
    }
    if (resolver instanceof Error) {
      throw new SchemaIncompatibleError(
        `${writer.fullName} v${writer.version} cannot be read as ${reader.fullName} v${reader.version}: ${resolver.message}`,
        { cause: resolver },
      );
    }
    return resolver;
  }

  return {
    registry,
    latest: (fullName) => schema(fullName),
    schema,
    encode(fullName, value, version) {
      const target = schema(fullName, version);
      try {
        return encodeSingleObject(target.type, fingerprintOf(target), value);
      } catch (err) {
        const problems = validateValue(target.type, value);
        throw new AvroEncodeError(fullName, target.version, problems.length > 0 ? problems : [describeError(err)]);
      }
    },
    decode<T>(message: Buffer, readerFullName?: string, readerVersion?: number): DecodedMessage<T> {
      if (!isSingleObject(message)) {
        const confluent = message.length >= 5 && message[0] === 0;
        throw new AvroDecodeError(`not a single-object Avro message (${message.length} bytes, no C3 01 marker)`, {
          hint: confluent ? 'starts with byte 0: Confluent wire format? this platform uses Avro single-object encoding' : 'check what produced this message',
        });
      }
      const writer = writerOf(message);
      const fingerprint = writer.fingerprint;
      const reader = schema(readerFullName ?? writer.fullName, readerVersion);
      const resolver = reader.fingerprint === writer.fingerprint ? undefined : resolverFor(writer, reader);
      let value: T;
      try {
        value = reader.type.fromBuffer(bodyOf(message), resolver) as T;
      } catch (err) {
        throw new AvroDecodeError(`invalid ${writer.fullName} v${writer.version} message: ${describeError(err)}`, { cause: err, fingerprint });
      }
      return { value, writer: { fullName: writer.fullName, version: writer.version, fingerprint } };
    },
    validate: (fullName, value, version) => validateValue(schema(fullName, version).type, value),
    knows: (fingerprint) => writerById(fingerprint) !== undefined,
    learn(writer) {
      if (registry.byId(writer.fingerprint) === undefined) learnt.set(writer.fingerprint, writer);
    },
    readProblem(writer, readerFullName) {
      try {
        resolverFor(writer, schema(readerFullName));
        return null;
      } catch (err) {
        return describeError(err);
      }
    },
  };
}

/**
 * Reads every `.avsc` under `dir` (default: the repository's `schemas/`) into a catalogue. Throws
 * `SchemaInvalidError` for a file that cannot be used (unparsable, badly named, duplicate version);
 * convention problems (a missing `doc`) are left to `lgsp schemas check`.
 */
export function loadCatalogue(dir: string = defaultSchemaDir()): Catalogue {
  const scan = scanSchemaDir(dir);
  const fatal = scan.problems.find((p) => p.fatal);
  if (fatal !== undefined) throw new SchemaInvalidError(join(dir, fatal.file), fatal.message);
  const registry = createMemoryRegistry();
  for (const schema of scan.schemas) registry.register(schema);
  return createCatalogue(registry);
}

/** `<repo>/schemas`, found from this module's location (not the working directory). */
export function defaultSchemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root above src/avro');
    dir = parent;
  }
  return join(dir, 'schemas');
}
