/**
 * Writers a pipeline was not deployed with. Connectors may be upgraded before the pipelines (the
 * wrong order, or a site that upgrades one host at a time): their messages then name a writer
 * schema the pipeline's files do not hold. The connectors published it on the schema topic
 * (src/kafka/schema-topic.ts) before writing with it, so the pipeline learns it from there:
 *  - the writer reads as the pipeline's reader (Avro resolution: a field added with a default, a
 *    promoted type…): the messages load, the new fields are left out until the pipeline is
 *    redeployed, and a warning once per writer says what to deploy and how to load them;
 *  - it does not: {@link SchemaUnreadableError} stops the pipeline at the batch, before anything of
 *    it is loaded or dead-lettered; the next run, with a reader that reads it, loads from there.
 * A fingerprint the schema topic does not hold either was not written by a connector: the record
 * is rejected like any bad record (SCHEMA_UNKNOWN), and the reject budget stops a stream of them.
 */
import type { KafkaMessage } from 'kafkajs';
import type { Catalogue } from '../avro/catalogue.js';
import { fingerprintHex } from '../avro/fingerprint.js';
import { registeredFromPublished, type PublishedSchema } from '../avro/published-schema.js';
import type { RegisteredSchema } from '../avro/registry.js';
import { isSingleObject, readFingerprint } from '../avro/single-object.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SchemaUnreadableError } from './errors.js';

/** The part of a batch whose writers must be known before it is decoded. */
export interface WriterCheck {
  readonly pipeline: string;
  readonly topic: string;
  readonly partition: number;
  readonly readerSchema: string;
  /** The messages that will be decoded (at or above the stored offset). */
  readonly messages: readonly KafkaMessage[];
}

/**
 * Lifecycle: one per runtime (it shares the runtime's catalogue); `prepare` every batch before it
 * is staged. The schema topic is read only when a batch names a fingerprint nobody knows yet.
 */
export interface WriterSchemas {
  /** Teaches the catalogue the batch's unknown writers; throws {@link SchemaUnreadableError} for one its reader cannot read. */
  prepare(check: WriterCheck): Promise<void>;
}

export interface WriterSchemasDeps {
  readonly catalogue: Catalogue;
  /** Every schema on the schema topic, by fingerprint. */
  readonly readPublished: () => Promise<ReadonlyMap<string, PublishedSchema>>;
  /** Where the published schemas come from, for messages (the schema topic's name). */
  readonly where: string;
  /** How to load what a learnt writer adds, for the warning: e.g. ``lgsp backfill <source> --from … --to …``. */
  readonly backfillHint?: (topic: string) => string;
  readonly logger: Logger;
}

export function createWriterSchemas(deps: WriterSchemasDeps): WriterSchemas {
  const logger = deps.logger.child({ component: 'writer-schemas' });
  let published = new Map<string, PublishedSchema>();
  /** Fingerprints looked for on the topic and not found there since the last read. */
  const missing = new Set<string>();
  const learnt = new Map<string, RegisteredSchema>();
  /** Verdicts per writer and reader: null when it reads, else the problem. */
  const verdicts = new Map<string, string | null>();
  /** Headers (marker + fingerprint) known to be decodable: the fast path of every batch. */
  const known = new Set<string>();

  async function writerOf(fingerprint: string): Promise<RegisteredSchema | undefined> {
    const found = learnt.get(fingerprint);
    if (found !== undefined) return found;
    if (!published.has(fingerprint) && !missing.has(fingerprint)) {
      published = new Map(await deps.readPublished());
      missing.clear();
    }
    const p = published.get(fingerprint);
    if (p === undefined) {
      missing.add(fingerprint);
      return undefined;
    }
    try {
      const writer = registeredFromPublished(p, deps.where);
      learnt.set(fingerprint, writer);
      return writer;
    } catch (err) {
      logger.warn({ fingerprint, err: describeError(err) }, 'a published writer schema cannot be used; its messages are rejected as of an unknown writer');
      missing.add(fingerprint);
      return undefined;
    }
  }

  function verdict(writer: RegisteredSchema, check: WriterCheck): string | null {
    const key = `${writer.fingerprint}>${check.readerSchema}`;
    if (verdicts.has(key)) return verdicts.get(key) ?? null;
    deps.catalogue.learn(writer);
    const problem = deps.catalogue.readProblem(writer, check.readerSchema);
    verdicts.set(key, problem);
    if (problem === null) warnOnce(writer, check);
    return problem;
  }

  function warnOnce(writer: RegisteredSchema, check: WriterCheck): void {
    const reader = deps.catalogue.latest(check.readerSchema);
    const file = publishedFile(published.get(writer.fingerprint), writer);
    const load = deps.backfillHint?.(check.topic) ?? 'reload the changes written since';
    logger.warn(
      { pipeline: check.pipeline, topic: check.topic, schema: writer.fullName, version: writer.version, fingerprint: writer.fingerprint, reader: reader.version },
      `${check.topic} carries ${writer.fullName} v${writer.version}, which pipeline ${check.pipeline} was not deployed with: read as v${reader.version}, without what v${writer.version} adds. ` +
        `Deploy the pipelines with schemas/${file}, then ${load} to load the new fields`,
    );
  }

  return {
    async prepare(check) {
      for (const message of check.messages) {
        const value = message.value;
        if (value === null || !isSingleObject(value)) continue;
        const header = `${value.toString('latin1', 2, 10)}>${check.readerSchema}`;
        if (known.has(header)) continue;
        const fingerprint = fingerprintHex(readFingerprint(value));
        const writer = deps.catalogue.knows(fingerprint) && !learnt.has(fingerprint) ? undefined : await writerOf(fingerprint);
        if (writer !== undefined) {
          const problem = verdict(writer, check);
          if (problem !== null) throw unreadable(check, message, writer, problem, deps);
        }
        // Deployed, learnt and readable, or unknown everywhere (its record is rejected on decoding).
        if (writer !== undefined || deps.catalogue.knows(fingerprint)) known.add(header);
      }
    },
  };
}

function unreadable(check: WriterCheck, message: KafkaMessage, writer: RegisteredSchema, problem: string, deps: WriterSchemasDeps): SchemaUnreadableError {
  const reader = deps.catalogue.latest(check.readerSchema);
  return new SchemaUnreadableError({
    pipeline: check.pipeline,
    topic: check.topic,
    partition: check.partition,
    offset: message.offset,
    writer: { fullName: writer.fullName, version: writer.version, fingerprint: writer.fingerprint, file: publishedFile(undefined, writer) },
    reader: { fullName: reader.fullName, version: reader.version },
    problem,
  });
}

/** `raw/population/Citizen.v2.avsc`: the file a learnt writer came from (its source ends with it in brackets). */
function publishedFile(published: PublishedSchema | undefined, writer: RegisteredSchema): string {
  if (published !== undefined) return published.file;
  return /\(([^()]+)\)$/.exec(writer.source)?.[1] ?? `<${writer.fullName} v${writer.version}>.avsc`;
}
