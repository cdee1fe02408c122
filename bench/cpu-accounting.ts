/**
 * CPU seconds spent by each process of the machine while a stage of the benchmark runs, read from
 * Linux's /proc: this process (sources' mock adapters, connectors, loads), the Kafka broker, and
 * PostgreSQL's backends split by database (the warehouse, the simulator store the sources read).
 * It answers "where did the machine's cores go", which a wall-clock figure cannot: on a 2-core
 * machine the pipeline shares the CPU with the sources, the broker and the database.
 *
 * A sampler, not a tracer: processes that start and end between two samples (PostgreSQL's parallel
 * query workers, short connections) are missed, so the machine's own busy time (/proc/stat) is
 * reported too and the difference shows as `unattributed`. Autovacuum and parallel workers count
 * for the database they work on. Elsewhere than Linux it reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux build that matters. */
const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 250;

export interface CpuFigures {
  readonly wallSeconds: number;
  readonly cores: number;
  /** Busy CPU seconds of the whole machine (all cores, /proc/stat). */
  readonly machineBusySeconds: number;
  /** CPU seconds per process group; `unattributed` = machine busy − the groups. */
  readonly groups: Readonly<Record<string, number>>;
}

export interface CpuAccount {
  stop(): CpuFigures | undefined;
}

interface Seen {
  readonly group: string;
  ticks: number;
}

/**
 * Starts sampling. `databases` names the PostgreSQL databases to report apart (database name →
 * group label); other backends count as `postgres: other`, PostgreSQL's own processes (WAL writer,
 * checkpointer) as `postgres: background (WAL, checkpoints)`. `clusters` labels every process of a
 * PostgreSQL server by its `cluster_name` (the databases named in `databases` still win). `processes`
 * labels other processes by pid.
 */
export function startCpuAccount(
  databases: Readonly<Record<string, string>>,
  processes: Readonly<Record<number, string>> = {},
  clusters: Readonly<Record<string, string>> = {},
): CpuAccount {
  if (process.platform !== 'linux') return { stop: () => undefined };
  const started = performance.now();
  const machineStart = machineBusyTicks();
  const startedAtTicks = uptimeTicks();
  const seen = new Map<number, Seen>();
  const totals = new Map<string, number>();

  const sample = (): void => {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = readStat(pid);
      if (stat === undefined) continue;
      const known = seen.get(pid);
      if (known === undefined) {
        const group = processes[pid] ?? classify(pid, stat.comm, { databases, clusters }, seen);
        // A process older than the account counts from the first sample; a newer one from its start.
        const base = stat.startTicks >= startedAtTicks ? 0 : stat.ticks;
        seen.set(pid, { group, ticks: base });
        totals.set(group, (totals.get(group) ?? 0) + stat.ticks - base);
        continue;
      }
      totals.set(known.group, (totals.get(known.group) ?? 0) + stat.ticks - known.ticks);
      known.ticks = stat.ticks;
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();

  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const machineBusySeconds = (machineBusyTicks() - machineStart) / TICKS_PER_SECOND;
      const groups: Record<string, number> = {};
      for (const [group, ticks] of [...totals].sort((a, b) => b[1] - a[1])) {
        if (ticks > 0) groups[group] = round(ticks / TICKS_PER_SECOND);
      }
      const attributed = Object.values(groups).reduce((a, b) => a + b, 0);
      groups['unattributed'] = round(Math.max(0, machineBusySeconds - attributed));
      return { wallSeconds: round((performance.now() - started) / 1000), cores: availableParallelism(), machineBusySeconds: round(machineBusySeconds), groups };
    },
  };
}

interface Labels {
  readonly databases: Readonly<Record<string, string>>;
  readonly clusters: Readonly<Record<string, string>>;
}

function classify(pid: number, comm: string, labels: Labels, seen: ReadonlyMap<number, Seen>): string {
  if (pid === process.pid) return 'this process (node)';
  const cmdline = read(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ') ?? '';
  if (comm === 'java' && cmdline.includes('kafka.Kafka')) return 'kafka broker';
  if (comm === 'java' && cmdline.includes('org.apache.kafka.connect.cli.Connect')) return 'kafka connect worker (JVM)';
  if (comm === 'postgres' || cmdline.startsWith('postgres:')) {
    const { databases } = labels;
    // The postmaster's own command line carries the cluster name it was started with, if any.
    const cluster = /^postgres: (\S+): /.exec(cmdline)?.[1] ?? /cluster_name=(\S+)/.exec(cmdline)?.[1];
    const other = (cluster === undefined ? undefined : labels.clusters[cluster]) ?? 'postgres: other';
    // A backend's title: "postgres: [<cluster>: ]<user> <database> <client> <state>".
    const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\[local\]|\S+\(\d+\))/.exec(cmdline);
    if (backend !== null) return databases[backend[1] ?? ''] ?? other;
    // Autovacuum cleans up after a database's writes: its cost is that database's.
    const vacuum = /autovacuum worker (\S+)/.exec(cmdline);
    if (vacuum !== null) return databases[vacuum[1] ?? ''] ?? other;
    // A parallel query worker works for its leader's database.
    const leader = /parallel worker for PID (\d+)/.exec(cmdline);
    if (leader !== null) {
      const pid = Number(leader[1]);
      return seen.get(pid)?.group ?? classify(pid, readStat(pid)?.comm ?? 'postgres', labels, seen);
    }
    return (cluster === undefined ? undefined : labels.clusters[cluster]) ?? 'postgres: background (WAL, checkpoints)';
  }
  return 'other processes';
}

function readStat(pid: number): { comm: string; ticks: number; startTicks: number } | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name is in parentheses and may hold spaces; the fields after it are fixed.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // After the name: state is field 3 → index 0, so utime (14) is 11, stime (15) 12, starttime (22) 19.
  return { comm, ticks: Number(fields[11]) + Number(fields[12]), startTicks: Number(fields[19]) };
}

function machineBusyTicks(): number {
  const cpu = (read('/proc/stat') ?? '').split('\n')[0]?.split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return total - (cpu[3] ?? 0) - (cpu[4] ?? 0);
}

function uptimeTicks(): number {
  return Number((read('/proc/uptime') ?? '0').split(' ')[0]) * TICKS_PER_SECOND;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;
