import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../../src/errors.js';
import { defaultSchemaDir } from '../../../src/avro/catalogue.js';
import { checkFullTransitive } from '../../../src/avro/compatibility.js';
import { createMemoryRegistry } from '../../../src/avro/registry.js';
import { scanSchemaDir } from '../../../src/avro/schema-files.js';

/** Where a command writes its report, one line at a time (stdout by default; tests collect lines). */
export type WriteLine = (line: string) => void;

const stdout: WriteLine = (line) => process.stdout.write(`${line}\n`);

/**
 * `lgsp schemas check`: parses every schema file, checks the conventions (file name, namespace, a
 * `doc` on every field) and full transitive compatibility between the versions of each schema.
 * Returns the exit code: 0 when all is well, 1 when anything is wrong.
 */
export function schemasCheck(options: { dir?: string; write?: WriteLine } = {}): number {
  const dir = schemaDir(options.dir);
  const write = options.write ?? stdout;
  const scan = scanSchemaDir(dir);
  const registry = createMemoryRegistry();
  let failures = scan.problems.length;
  for (const problem of scan.problems) write(`${problem.file}: ${problem.message}`);
  for (const schema of scan.schemas) {
    try {
      registry.register(schema);
    } catch (err) {
      failures += 1;
      write(err instanceof Error ? err.message : String(err));
    }
  }
  for (const fullName of registry.names()) {
    const versions = registry.versions(fullName);
    const problems = checkFullTransitive(versions);
    failures += problems.length;
    const numbers = versions.map((v) => `v${v.version}`).join(', ');
    write(`${fullName} (${numbers}): ${problems.length === 0 ? 'OK' : `${problems.length} incompatible`}`);
    for (const problem of problems) write(`  ${problem.message}`);
  }
  const versionCount = registry.names().reduce((n, name) => n + registry.versions(name).length, 0);
  write(`${registry.names().length} schema(s), ${versionCount} version(s), ${failures === 0 ? 'no problems' : `${failures} problem(s)`} in ${dir}`);
  return failures === 0 ? 0 : 1;
}

/** `lgsp schemas list`: each schema version with its fingerprint (CRC-64-AVRO, hex) and file. */
export function schemasList(options: { dir?: string; write?: WriteLine } = {}): number {
  const dir = schemaDir(options.dir);
  const write = options.write ?? stdout;
  const scan = scanSchemaDir(dir);
  for (const schema of [...scan.schemas].sort((a, b) => a.fullName.localeCompare(b.fullName) || a.version - b.version)) {
    write(`${schema.fullName}\tv${schema.version}\t${schema.fingerprint}\t${schema.source}`);
  }
  const unusable = scan.problems.filter((p) => p.fatal);
  for (const problem of unusable) write(`${problem.file}: ${problem.message}`);
  return unusable.length === 0 ? 0 : 1;
}

function schemaDir(dir: string | undefined): string {
  const path = dir === undefined ? defaultSchemaDir() : resolve(dir);
  if (!existsSync(path)) throw new UsageError(`schema directory ${path} does not exist`, 'pass --dir <path to schemas/>');
  return path;
}

/** Registers `lgsp schemas check` and `lgsp schemas list`. */
export function registerSchemasCommand(program: Command): void {
  const schemas = program.command('schemas').description('the Avro contracts in schemas/: check and list them');
  schemas
    .command('check')
    .description('parse every schema, check conventions and full transitive compatibility between versions')
    .option('--dir <path>', 'schemas directory (default: the repository\'s schemas/)')
    .action((options: { dir?: string }) => {
      process.exitCode = schemasCheck({ dir: options.dir });
    });
  schemas
    .command('list')
    .description('list schema versions with their fingerprints (CRC-64-AVRO, hex)')
    .option('--dir <path>', 'schemas directory (default: the repository\'s schemas/)')
    .action((options: { dir?: string }) => {
      process.exitCode = schemasList({ dir: options.dir });
    });
}
