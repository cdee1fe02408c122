import { terminalText } from './terminal-text.js';

/**
 * Renders rows as a plain aligned text table (numbers right-aligned) for terminal output. Cells
 * often hold what came from outside (dead letters, sources' errors): control characters and
 * bidirectional overrides are shown escaped, never sent to the terminal. Numbers are shown with one
 * decimal; `rightAligned` is for text cells that must be shown as they are (`lgsp sql`'s values).
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  options: { readonly rightAligned?: readonly boolean[] } = {},
): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : terminalText(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = options.rightAligned ?? numericColumns(headers, rows);
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (numeric[i] === true ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Which columns hold only numbers (none when there are no rows): those are right-aligned. */
export function numericColumns(headers: readonly string[], rows: readonly (readonly unknown[])[]): boolean[] {
  return headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
}
