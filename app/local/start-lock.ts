import { readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { LgspError } from '../../src/errors.js';

/** What a lock guards the start of, for its error. */
export interface StartLockSubject {
  readonly code: string;
  readonly name: string;
}

const BROKER: StartLockSubject = { code: 'KAFKA_START_LOCKED', name: 'the broker' };

/**
 * Holds `file` (created exclusively, with our pid in it) while `work` runs, so that two `up`s at the same
 * time — a developer's terminal and a test run's global setup — do not both start a broker on one port.
 * A lock left by a process that has died is taken over.
 */
export async function withStartLock<T>(file: string, timeoutMs: number, work: () => Promise<T>, what: StartLockSubject = BROKER): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!holderAlive(file)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LgspError(what.code, `another \`lgsp local up\` is still starting ${what.name} (lock ${file})`, {
          retriable: true,
          hint: `wait for it, or remove ${file} if no lgsp process runs`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

function holderAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    return true; // Being written right now.
  }
  if (Number.isNaN(pid)) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
