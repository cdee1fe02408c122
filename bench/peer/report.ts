import type { CpuFigures } from '../cpu-accounting.js';

type Say = (line: string) => void;

/** Per stack, per source table: whether the target holds the source's keys. */
export interface Compared {
  readonly peer: Readonly<Record<string, string>>;
  readonly ours: Readonly<Record<string, string>>;
}

interface Figures {
  readonly rows: number;
  readonly ours: {
    readonly seconds: number;
    readonly rowsPerSec: number;
    readonly cpuSeconds: number | null;
    readonly startupSeconds: number | null;
    readonly processSeconds: number;
    readonly steps: Readonly<Record<string, number>>;
    readonly guarantee: string;
  };
  readonly peer: {
    readonly seconds: number;
    readonly rowsPerSec: number;
    readonly cpuSeconds: number | null;
    readonly startupSeconds: number | null;
    readonly snapshotSeconds: number | null;
    readonly settings: { readonly tuning: { readonly jvm: readonly string[]; readonly worker: Readonly<Record<string, string>>; readonly source: Readonly<Record<string, string>>; readonly sink: Readonly<Record<string, string>> } };
    readonly guarantee: string;
  };
  readonly ratio: number;
}

/** The headline table, the peer's tuning, the content check and the guarantees. */
export function printFigures(say: Say, f: Figures, compared: Compared): void {
  const steps = Object.entries(f.ours.steps).map(([step, s]) => `${step} ${s.toFixed(1)} s`).join(', ');
  const table: [string, string, string][] = [
    ['', 'ours (lgsp run)', 'peer (Connect + Debezium)'],
    ['rows moved', String(f.rows), String(f.rows)],
    ['seconds to the last row in the target', f.ours.seconds.toFixed(1), f.peer.seconds.toFixed(1)],
    ['rows/s', String(f.ours.rowsPerSec), String(f.peer.rowsPerSec)],
    ['process start-up seconds (in the above)', seconds(f.ours.startupSeconds), seconds(f.peer.startupSeconds)],
    ['CPU seconds of the stack (worker, broker, PostgreSQL)', String(f.ours.cpuSeconds ?? '-'), String(f.peer.cpuSeconds ?? '-')],
  ];
  printTable(say, table);
  say(`ratio ours/peer rows/s: ${f.ratio.toFixed(3)}`);
  say(`ours, steps: ${steps}; the whole process (mart refresh included) ${f.ours.processSeconds.toFixed(1)} s`);
  if (f.peer.snapshotSeconds !== null) say(`peer: Debezium logged its snapshot complete at ${f.peer.snapshotSeconds.toFixed(1)} s`);
  const t = f.peer.settings.tuning;
  say('peer settings:');
  say(`  jvm     ${t.jvm.join(' ')}`);
  for (const scope of ['worker', 'source', 'sink'] as const) {
    say(`  ${scope.padEnd(7)} ${Object.entries(t[scope]).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  say('target content against the source (row count and key digest per table):');
  for (const table of Object.keys(compared.peer)) say(`  ${table.padEnd(26)} ours: ${compared.ours[table] ?? '-'}; peer: ${compared.peer[table] ?? '-'}`);
  say(`guarantees — ours: ${f.ours.guarantee}`);
  say(`             peer: ${f.peer.guarantee}`);
}

/** CPU seconds by process group for each stack's measured span, and how busy the cores were. */
export function printCpu(say: Say, figures: Readonly<Record<string, CpuFigures | undefined>>): void {
  const measured = Object.entries(figures).filter((e): e is [string, CpuFigures] => e[1] !== undefined);
  if (measured.length === 0) return;
  const groups = [...new Set(measured.flatMap(([, f]) => Object.keys(f.groups)))];
  const table: string[][] = [
    ['CPU seconds', ...measured.map(([name]) => name)],
    ...groups.map((g) => [`  ${g}`, ...measured.map(([, f]) => (f.groups[g] ?? 0).toFixed(1))]),
    ['  machine busy (all cores)', ...measured.map(([, f]) => f.machineBusySeconds.toFixed(1))],
    ['wall seconds', ...measured.map(([, f]) => f.wallSeconds.toFixed(1))],
    [`cores busy (of ${String(measured[0]?.[1].cores)})`, ...measured.map(([, f]) => (f.machineBusySeconds / Math.max(f.wallSeconds, 0.01)).toFixed(2))],
  ];
  printTable(say, table);
  const other = (f: CpuFigures): number => (f.groups['other processes'] ?? 0) + (f.groups['postgres: other'] ?? 0);
  say(`other work on this machine (other processes, other databases): ${measured.map(([name, f]) => `${other(f).toFixed(1)} CPU s during ${name} (${(other(f) / Math.max(f.wallSeconds, 0.01)).toFixed(2)} cores)`).join(', ')}`);
}

const seconds = (s: number | null): string => (s === null ? '-' : s.toFixed(1));

function printTable(say: Say, table: readonly (readonly string[])[]): void {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => r[i]?.length ?? 0))) ?? [];
  for (const r of table) say(r.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '));
}
