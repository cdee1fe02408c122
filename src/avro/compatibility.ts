/**
 * Schema evolution check, full transitive: every version of a schema must be able to read data
 * written by every other version, both ways. The Avro resolution rules are applied here (not only
 * by asking avsc whether it can build a resolver) so that each problem is a plain sentence naming
 * the field, both versions and both types, followed by what to do about it (the older version is
 * released and never changes, so the fix is always in the newer one). Tests cross-check the
 * verdicts with avsc.
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
  /** What to change in the newer version, e.g. `keep int (date) in v2, or …`. */
  readonly fix: string;
  /**
   * The whole text: `vn.x.Citizen v2 → v1: field "birthDate" has type long in v2 but int in v1 (…).
   * Fix: v2 widens "birthDate" from int (date) to long, which v1 readers cannot read: keep …`.
   */
  readonly message: string;
}

/** Labels for the two sides in messages, and which side is newer (to say "added" or "removed"). */
export interface ReadLabels {
  readonly writer: string;
  readonly reader: string;
  readonly readerIsNewer: boolean;
}

/** A problem found by {@link readProblems}: where, why in words, and what to change. */
export interface ReadProblem {
  readonly path: string;
  readonly reason: string;
  readonly fix: string;
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
      for (const { path, reason, fix } of readProblems(writer.type, reader.type, labels)) {
        problems.push({
          fullName: writer.fullName,
          writerVersion: writer.version,
          readerVersion: reader.version,
          path,
          fix,
          message: `${writer.fullName} v${writer.version} → v${reader.version}: ${reason}. Fix: ${fix}.`,
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

/** `"path"`, or `the record` for the top level: how a fix names the place to change. */
function place(path: string): string {
  return path === '' ? 'the record' : `"${path}"`;
}

const newerOf = (labels: ReadLabels): string => (labels.readerIsNewer ? labels.reader : labels.writer);
const olderOf = (labels: ReadLabels): string => (labels.readerIsNewer ? labels.writer : labels.reader);

/**
 * The Avro type a value is carried in, for comparing promotions: `int` for a date, and the one
 * other branch of an optional `["null", T]`.
 */
function baseName(type: Type): string {
  if (isUnion(type)) {
    const others = (parts(type).types ?? []).filter((t) => t.typeName !== 'null');
    return others.length === 1 && others[0] !== undefined ? baseName(others[0]) : type.typeName;
  }
  return logicalName(type) === undefined ? type.typeName : (parts(type).underlyingType?.typeName ?? type.typeName);
}

/**
 * What to do when a version changed a field's type: keep the older version's type. Widening
 * (int → long) breaks the older readers, narrowing (long → int) the newer reader of older data.
 */
function typeFix(writer: Type, reader: Type, path: string, labels: ReadLabels): string {
  const [older, newer] = labels.readerIsNewer ? [writer, reader] : [reader, writer];
  const [o, n] = [describeType(older), describeType(newer)];
  const newerIsWider = (PROMOTIONS[baseName(newer)] ?? []).includes(baseName(older));
  const olderIsWider = (PROMOTIONS[baseName(older)] ?? []).includes(baseName(newer));
  const change = newerIsWider
    ? `${newerOf(labels)} widens ${place(path)} from ${o} to ${n}, which ${olderOf(labels)} readers cannot read`
    : olderIsWider
      ? `${newerOf(labels)} narrows ${place(path)} from ${o} to ${n}, which cannot hold ${olderOf(labels)} data`
      : `${newerOf(labels)} changes the type of ${place(path)}`;
  return `${change}: keep ${o} in ${newerOf(labels)}, or put the new type in a new field with a default and keep filling this one`;
}

function mismatch(writer: Type, reader: Type, path: string, ctx: Context, why?: string, fix?: string): void {
  const { labels } = ctx;
  const [w, r] = [describeType(writer), describeType(reader)];
  ctx.out.push({
    path,
    reason: `${subject(path)} has type ${w} in ${labels.writer} but ${r} in ${labels.reader} (${why ?? `${w} cannot be read as ${r}`})`,
    fix: fix ?? typeFix(writer, reader, path, labels),
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
  if (!sameName(writer, reader)) return mismatch(writer, reader, path, ctx, 'the names differ and the reader has no alias for the writer\'s name', renameFix(writer, reader, path, labels));
  const key = `${writer.name ?? ''}>${reader.name ?? ''}`;
  if (ctx.seen.has(key)) return;
  ctx.seen.add(key);
  const writerFields = new Map((parts(writer).fields ?? []).map((f) => [f.name, f]));
  for (const field of parts(reader).fields ?? []) {
    const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
    const matches = [field.name, ...field.aliases].filter((name, i, all) => writerFields.has(name) && all.indexOf(name) === i);
    if (matches.length > 1) {
      ctx.out.push({
        path: fieldPath,
        reason: `field "${fieldPath}" in ${labels.reader} matches several ${labels.writer} fields (${matches.join(', ')}) through its aliases`,
        fix: `change the aliases in ${newerOf(labels)} so that "${fieldPath}" matches one field of ${olderOf(labels)}`,
      });
    } else if (matches.length === 0) {
      if (field.defaultValue() === undefined) {
        ctx.out.push(
          labels.readerIsNewer
            ? {
                path: fieldPath,
                reason: `${labels.writer} data cannot be read by ${labels.reader}: field "${fieldPath}" was added in ${labels.reader} without a default`,
                fix: `give "${fieldPath}" a default in ${labels.reader}, usually by making it optional: "type": ["null", <its type>], "default": null`,
              }
            : {
                path: fieldPath,
                reason: `${labels.writer} data cannot be read by ${labels.reader}: field "${fieldPath}" was removed in ${labels.writer} but has no default in ${labels.reader}`,
                fix: `keep "${fieldPath}" in ${labels.writer}, with its type, and go on filling it: a field can be removed only if every version that has it gives it a default, and ${labels.reader} gives none`,
              },
        );
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
  if (!sameName(writer, reader)) return mismatch(writer, reader, path, ctx, 'the names differ and the reader has no alias for the writer\'s name', renameFix(writer, reader, path, labels));
  const readerSymbols = new Set(parts(reader).symbols ?? []);
  const missing = (parts(writer).symbols ?? []).filter((s) => !readerSymbols.has(s));
  if (missing.length > 0 && parts(reader).default === undefined) {
    const symbols = missing.map((s) => `"${s}"`).join(', ');
    const fix = labels.readerIsNewer
      ? `keep ${symbols} among the symbols of ${labels.reader}, or give ${labels.reader}'s enum a "default" symbol to read unknown symbols as`
      : `${labels.reader} cannot read the new symbol(s) ${symbols} and, released, cannot gain an enum default: leave them out of ${labels.writer}, or carry the new values in a new field with a default`;
    ctx.out.push({
      path,
      reason: `${subject(path)}: enum ${reader.name ?? ''} in ${labels.writer} has symbol(s) ${symbols} that ${labels.reader} lacks, and ${labels.reader} sets no enum default`,
      fix,
    });
  }
}

/** A named type (record, enum, fixed) renamed without an alias. */
function renameFix(writer: Type, reader: Type, path: string, labels: ReadLabels): string {
  const [older, newer] = labels.readerIsNewer ? [writer, reader] : [reader, writer];
  return `keep the name ${older.name ?? ''} for ${place(path)} in ${newerOf(labels)}, or list it in the "aliases" of ${newer.name ?? 'its type'} there`;
}
