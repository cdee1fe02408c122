/**
 * Schema evolution check, full transitive: every version of a schema must be able to read data
 * written by every other version, both ways. The Avro resolution rules are applied here (not only
 * by asking avsc whether it can build a resolver) so that each problem is a plain sentence naming
 * the field, both versions and both types. Tests cross-check the verdicts with avsc.
 */
import type { Type } from 'avsc';
import { describeType } from './describe-type.js';
import { canReadLogical, logicalName } from './logical-types.js';
import type { RegisteredSchema } from './registry.js';

/** One reason why data of one version cannot be read by another. */
export interface CompatibilityProblem {
  readonly fullName: string;
  readonly writerVersion: number;
  readonly readerVersion: number;
  /** Field path inside the record (`address.communeCode`, `owners[]`, `tags{}`); empty for the record itself. */
  readonly path: string;
  /** The whole sentence: `vn.x.Citizen v2 → v1: field "birthDate" has type long in v2 but int in v1 (…)`. */
  readonly message: string;
}

/** Labels for the two sides in messages, and which side is newer (to say "added" or "removed"). */
export interface ReadLabels {
  readonly writer: string;
  readonly reader: string;
  readonly readerIsNewer: boolean;
}

/** A problem found by {@link readProblems}: where, and why in words. */
export interface ReadProblem {
  readonly path: string;
  readonly reason: string;
}

interface Parts {
  readonly fields?: readonly { name: string; aliases: readonly string[]; type: Type; defaultValue(): unknown }[];
  readonly symbols?: readonly string[];
  readonly default?: unknown;
  readonly size?: number;
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly types?: readonly Type[];
  readonly underlyingType?: Type;
  readonly aliases?: readonly string[];
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  string: ['bytes'],
  bytes: ['string'],
};

const parts = (type: Type): Parts => type;
const isUnion = (type: Type): boolean => type.typeName.startsWith('union');

/** Every reason why data written with `writer` cannot be read with `reader` (empty when it can). */
export function readProblems(writer: Type, reader: Type, labels: ReadLabels): readonly ReadProblem[] {
  const out: ReadProblem[] = [];
  check(writer, reader, '', { labels, seen: new Set(), out });
  return out;
}

/**
 * Full transitive check of all versions of one schema: for every ordered pair (writer, reader) of
 * distinct versions, the reasons the reader cannot read the writer's data.
 */
export function checkFullTransitive(versions: readonly RegisteredSchema[]): readonly CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const writer of versions) {
    for (const reader of versions) {
      if (writer === reader) continue;
      const labels = { writer: `v${writer.version}`, reader: `v${reader.version}`, readerIsNewer: reader.version > writer.version };
      for (const { path, reason } of readProblems(writer.type, reader.type, labels)) {
        problems.push({
          fullName: writer.fullName,
          writerVersion: writer.version,
          readerVersion: reader.version,
          path,
          message: `${writer.fullName} v${writer.version} → v${reader.version}: ${reason}`,
        });
      }
    }
  }
  return problems;
}

interface Context {
  readonly labels: ReadLabels;
  /** Record pairs under way, so recursive records terminate. */
  readonly seen: Set<string>;
  readonly out: ReadProblem[];
}

function subject(path: string): string {
  return path === '' ? 'the record' : `field "${path}"`;
}

function mismatch(writer: Type, reader: Type, path: string, ctx: Context, why?: string): void {
  const { labels } = ctx;
  const [w, r] = [describeType(writer), describeType(reader)];
  ctx.out.push({
    path,
    reason: `${subject(path)} has type ${w} in ${labels.writer} but ${r} in ${labels.reader} (${why ?? `${w} cannot be read as ${r}`})`,
  });
}

function canRead(writer: Type, reader: Type, ctx: Context): boolean {
  const probe: Context = { labels: ctx.labels, seen: new Set(ctx.seen), out: [] };
  check(writer, reader, '', probe);
  return probe.out.length === 0;
}

function check(writer: Type, reader: Type, path: string, ctx: Context): void {
  // The order follows Avro resolution (and avsc's createResolver): a plain reader sees through a
  // writer's logical type; a writer union must be readable branch by branch.
  const readerLogical = logicalName(reader) !== undefined;
  if (!isUnion(reader) && !readerLogical && logicalName(writer) !== undefined) {
    check(parts(writer).underlyingType ?? writer, reader, path, ctx);
    return;
  }
  if (isUnion(writer)) {
    const unreadable = (parts(writer).types ?? []).filter((branch) => !canRead(branch, reader, ctx));
    if (unreadable.length > 0) {
      mismatch(writer, reader, path, ctx, `${unreadable.map(describeType).join(', ')} cannot be read as ${describeType(reader)}`);
    }
    return;
  }
  if (isUnion(reader)) {
    if (!(parts(reader).types ?? []).some((branch) => canRead(writer, branch, ctx))) {
      mismatch(writer, reader, path, ctx, `no branch can read ${describeType(writer)}`);
    }
    return;
  }
  if (readerLogical) {
    if (!canReadLogical(reader, writer)) mismatch(writer, reader, path, ctx);
    return;
  }
  switch (reader.typeName) {
    case 'record':
    case 'error':
      checkRecord(writer, reader, path, ctx);
      return;
    case 'enum':
      checkEnum(writer, reader, path, ctx);
      return;
    case 'fixed':
      if (writer.typeName !== 'fixed' || !sameName(writer, reader) || parts(writer).size !== parts(reader).size) {
        mismatch(writer, reader, path, ctx, writer.typeName === 'fixed' ? 'fixed types must have the same name and size' : undefined);
      }
      return;
    case 'array':
      if (writer.typeName !== 'array') mismatch(writer, reader, path, ctx);
      else check(parts(writer).itemsType ?? writer, parts(reader).itemsType ?? reader, `${path}[]`, ctx);
      return;
    case 'map':
      if (writer.typeName !== 'map') mismatch(writer, reader, path, ctx);
      else check(parts(writer).valuesType ?? writer, parts(reader).valuesType ?? reader, `${path}{}`, ctx);
      return;
    default:
      if (writer.typeName !== reader.typeName && !(PROMOTIONS[reader.typeName] ?? []).includes(writer.typeName)) {
        mismatch(writer, reader, path, ctx);
      }
  }
}

/** Named types match when the reader's full name or one of its aliases is the writer's full name. */
function sameName(writer: Type, reader: Type): boolean {
  return writer.name === undefined || reader.name === writer.name || (parts(reader).aliases ?? []).includes(writer.name);
}

function checkRecord(writer: Type, reader: Type, path: string, ctx: Context): void {
  const { labels } = ctx;
  if (writer.typeName !== 'record' && writer.typeName !== 'error') return mismatch(writer, reader, path, ctx);
  if (!sameName(writer, reader)) return mismatch(writer, reader, path, ctx, 'the names differ and the reader has no alias for the writer\'s name');
  const key = `${writer.name ?? ''}>${reader.name ?? ''}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  const writerFields = new Map((parts(writer).fields ?? []).map((f) => [f.name, f]));
  for (const field of parts(reader).fields ?? []) {
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    const matches = [field.name, ...field.aliases].filter((name, i, all) => writerFields.has(name) && all.indexOf(name) === i);
    if (matches.length > 1) {
      ctx.out.push({ path: fieldPath, reason: `field "${fieldPath}" in ${labels.reader} matches several ${labels.writer} fields (${matches.join(', ')}) through its aliases` });
    } else if (matches.length === 0) {
      if (field.defaultValue() === undefined) {
        const reason = labels.readerIsNewer
          ? `${labels.writer} data cannot be read by ${labels.reader}: field "${fieldPath}" was added in ${labels.reader} without a default`
          : `${labels.writer} data cannot be read by ${labels.reader}: field "${fieldPath}" was removed in ${labels.writer} but has no default in ${labels.reader}`;
        ctx.out.push({ path: fieldPath, reason });
      }
    } else {
      const writerField = writerFields.get(matches[0] ?? '');
      if (writerField !== undefined) check(writerField.type, field.type, fieldPath, ctx);
    }
  }
}

function checkEnum(writer: Type, reader: Type, path: string, ctx: Context): void {
  const { labels } = ctx;
  if (writer.typeName !== 'enum') return mismatch(writer, reader, path, ctx);
  if (!sameName(writer, reader)) return mismatch(writer, reader, path, ctx, 'the names differ and the reader has no alias for the writer\'s name');
  const readerSymbols = new Set(parts(reader).symbols ?? []);
  const missing = (parts(writer).symbols ?? []).filter((s) => !readerSymbols.has(s));
  if (missing.length > 0 && parts(reader).default === undefined) {
    const symbols = missing.map((s) => `"${s}"`).join(', ');
    ctx.out.push({
      path,
      reason: `${subject(path)}: enum ${reader.name ?? ''} in ${labels.writer} has symbol(s) ${symbols} that ${labels.reader} lacks, and ${labels.reader} sets no enum default`,
    });
  }
}
