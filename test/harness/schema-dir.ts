/**
 * Test support: writes schema files into a fresh temporary `schemas/` directory, so tests never
 * depend on (or touch) the repository's own schemas.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → schema JSON, or raw text) under a new temp dir and returns its path. */
export function writeSchemaDir(files: Readonly<Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-schemas-'));
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** A documented field, for building test schemas tersely. */
export function field(name: string, type: unknown, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { name, type, doc: `The ${name}.`, ...extra };
}

/** A documented record in `vn.lgsp.raw.<source>`, matching the file layout conventions. */
export function rawRecord(source: string, name: string, fields: readonly unknown[]): Record<string, unknown> {
  return { type: 'record', name, namespace: `vn.lgsp.raw.${source}`, doc: `Test ${name}.`, fields };
}
