/**
 * Reading the schema files of a `schemas/` directory and checking its conventions
 * (schemas/README.md): `raw/<source>/<Name>.v<N>.avsc` in namespace `vn.lgsp.raw.<source>`,
 * `canonical/<Name>.v<N>.avsc` in `vn.lgsp.canonical`, a record at the top, a `doc` on every field.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Schema } from 'avsc';
import { describeError } from '../errors.js';
import { fingerprintHex, schemaFingerprint } from './fingerprint.js';
import { parseSchema } from './parse-schema.js';
import type { RegisteredSchema } from './registry.js';

const FILE_NAME = /^([A-Za-z_][A-Za-z0-9_]*)\.v([1-9][0-9]*)\.avsc$/;

/** Something wrong with one file. `fatal` problems keep the schema out of the catalogue. */
export interface SchemaFileProblem {
  /** Path relative to the schemas directory, with `/` separators. */
  readonly file: string;
  readonly message: string;
  /** True when the file cannot be used at all (unreadable, unparsable, badly named). */
  readonly fatal: boolean;
}

/** What a directory scan found: usable schemas, and every problem met on the way. */
export interface SchemaScan {
  readonly schemas: readonly RegisteredSchema[];
  readonly problems: readonly SchemaFileProblem[];
}

/** Every `.avsc` file under `dir`, relative paths with `/`, sorted. */
export function findSchemaFiles(dir: string): readonly string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.avsc'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Reads, parses and checks every schema file under `dir`. Never throws for a bad file. */
export function scanSchemaDir(dir: string): SchemaScan {
  const schemas: RegisteredSchema[] = [];
  const problems: SchemaFileProblem[] = [];
  for (const file of findSchemaFiles(dir)) {
    const result = readSchemaFile(dir, file);
    if (result.schema !== undefined) schemas.push(result.schema);
    problems.push(...result.problems.map((p) => ({ file, ...p })));
  }
  return { schemas, problems };
}

function readSchemaFile(
  dir: string,
  file: string,
): { schema?: RegisteredSchema; problems: { message: string; fatal: boolean }[] } {
  const fatal = (message: string) => ({ problems: [{ message, fatal: true }] });
  const baseName = file.slice(file.lastIndexOf('/') + 1);
  const nameMatch = FILE_NAME.exec(baseName);
  if (nameMatch === null) return fatal('file name must be <Name>.v<N>.avsc (N = 1, 2, …)');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (err) {
    return fatal(`not valid JSON: ${describeError(err)}`);
  }
  let type;
  try {
    type = parseSchema(json as Schema);
  } catch (err) {
    return fatal(`not a valid Avro schema: ${describeError(err)}`);
  }
  if (type.typeName !== 'record' || type.name === undefined) return fatal('the top-level schema must be a record');

  const fullName = type.name;
  const problems: { message: string; fatal: boolean }[] = [];
  const shortName = fullName.slice(fullName.lastIndexOf('.') + 1);
  if (shortName !== nameMatch[1]) problems.push({ message: `record is named ${shortName} but the file says ${nameMatch[1]}`, fatal: true });
  const expected = expectedNamespace(file);
  const namespace = fullName.slice(0, Math.max(0, fullName.lastIndexOf('.')));
  if (expected === undefined) {
    problems.push({ message: 'schema files live in raw/<source>/ or canonical/', fatal: false });
  } else if (namespace !== expected) {
    problems.push({ message: `namespace is "${namespace}" but files in this folder use "${expected}"`, fatal: false });
  }
  for (const path of fieldsWithoutDoc(json)) problems.push({ message: `field "${path}" has no doc`, fatal: false });
  if (problems.some((p) => p.fatal)) return { problems };

  const schema = { fullName, version: Number(nameMatch[2]), fingerprint: fingerprintHex(schemaFingerprint(type)), type, source: file };
  return { schema, problems };
}

function expectedNamespace(file: string): string | undefined {
  const parts = file.split('/');
  if (parts.length === 3 && parts[0] === 'raw') return `vn.lgsp.raw.${parts[1]}`;
  if (parts.length === 2 && parts[0] === 'canonical') return 'vn.lgsp.canonical';
  return undefined;
}

/** Dotted paths of record fields (at any depth) whose `doc` is missing or blank. */
export function fieldsWithoutDoc(schema: unknown, prefix = ''): readonly string[] {
  if (Array.isArray(schema)) return schema.flatMap((branch) => fieldsWithoutDoc(branch, prefix));
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as { type?: unknown; fields?: unknown; items?: unknown; values?: unknown };
  if (node.type === 'record' || node.type === 'error') {
    const fields = Array.isArray(node.fields) ? (node.fields as { name?: unknown; doc?: unknown; type?: unknown }[]) : [];
    return fields.flatMap((field) => {
      const path = `${prefix}${String(field.name)}`;
      const own = typeof field.doc === 'string' && field.doc.trim() !== '' ? [] : [path];
      return [...own, ...fieldsWithoutDoc(field.type, `${path}.`)];
    });
  }
  if (node.type === 'array') return fieldsWithoutDoc(node.items, prefix);
  if (node.type === 'map') return fieldsWithoutDoc(node.values, prefix);
  if (typeof node.type === 'object') return fieldsWithoutDoc(node.type, prefix);
  return [];
}
