/**
 * The suite's final table: one row per scenario with its trial count and outcome, printed once
 * the file's tests are done, so a run's output says what was proven and how often.
 */
export interface ScenarioOutcome {
  readonly scenario: string;
  trials: number;
  /** Faults that landed mid-run (kills, restarts); a trial can end before its fault lands. */
  landed: number;
  /** Trials whose warehouse equalled the reference (or that failed: see `failures`). */
  equal: number;
  failures: string[];
  seconds: number;
  readonly notes: string[];
}

export function createSummary(): { scenario(name: string): ScenarioOutcome; render(): string } {
  const rows: ScenarioOutcome[] = [];
  return {
    scenario(name) {
      const row: ScenarioOutcome = { scenario: name, trials: 0, landed: 0, equal: 0, failures: [], seconds: 0, notes: [] };
      rows.push(row);
      return row;
    },
    render() {
      const header = ['scenario', 'trials', 'landed', 'equal to reference', 'result', 'seconds'];
      const body = rows.map((r) => [
        r.scenario,
        String(r.trials),
        String(r.landed),
        `${r.equal}/${r.trials}`,
        r.trials === 0 ? 'NOT RUN' : r.failures.length === 0 && r.equal === r.trials ? 'ok' : 'FAILED',
        r.seconds.toFixed(1),
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
      const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
      const notes = rows.flatMap((r) => [...r.notes, ...r.failures.map((f) => `FAILED: ${f}`)].map((n) => `  ${r.scenario}: ${n}`));
      return ['', '== fault suite summary ==', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ...(notes.length > 0 ? ['', ...notes] : []), ''].join('\n');
    },
  };
}
