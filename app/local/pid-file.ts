import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';

/** What `lgsp local up` records about the broker it started, so that `status` and `down` can find it. */
export interface BrokerRecord {
  readonly pid: number;
  readonly version: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly startedAt: string;
}

export async function writeBrokerRecord(file: string, record: BrokerRecord): Promise<void> {
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function readBrokerRecord(file: string): BrokerRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BrokerRecord>;
    return typeof parsed.pid === 'number' && typeof parsed.version === 'string' ? (parsed as BrokerRecord) : undefined;
  } catch {
    return undefined;
  }
}

export async function removeBrokerRecord(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Whether `pid` is a live Kafka broker. A pid file can outlive its process (reboot, kill -9), and the
 * pid may since have been reused, so on Linux the command line must also name `kafka.Kafka`.
 */
export function isBrokerProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it belongs to someone else, so it cannot be our broker.
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('kafka.Kafka');
  } catch {
    // No /proc (macOS): trust the signal check.
    return process.platform !== 'linux';
  }
}
