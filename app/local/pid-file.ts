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

/** What `lgsp local status` knows of a local service (the broker, the PostgreSQL): from its record and its pid. */
export interface LocalServiceStatus {
  readonly running: boolean;
  readonly address: string;
  readonly pid: number | undefined;
  readonly version: string | undefined;
  readonly dataDir: string;
  readonly logFile: string;
  readonly startedAt: string | undefined;
}

/**
 * Whether `pid` is a live process whose command line holds every one of `marks`. A pid file can
 * outlive its process (reboot, kill -9), and the pid may since have been reused, so on Linux the
 * command line must also name what we started.
 */
export function isLiveProcess(pid: number, ...marks: readonly string[]): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it belongs to someone else, so it cannot be ours.
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return marks.every((mark) => cmdline.includes(mark));
  } catch {
    // No /proc (macOS): trust the signal check.
    return process.platform !== 'linux';
  }
}

/** Whether `pid` is a live Kafka broker. */
export function isBrokerProcess(pid: number): boolean {
  return isLiveProcess(pid, 'kafka.Kafka');
}
