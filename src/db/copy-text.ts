/**
 * Encodes one row for `COPY … FROM STDIN` in PostgreSQL's text format: tab-separated, `\N` for
 * NULL, and backslash escapes for the characters the format reserves.
 */
export function copyText(values: readonly CopyValue[], more?: readonly CopyValue[]): string {
  // `more` continues the row (e.g. the load's bookkeeping columns) without copying both into one array per row.
  let line = fields(values);
  if (more !== undefined && more.length > 0) line += (values.length > 0 ? '\t' : '') + fields(more);
  return `${line}\n`;
}

export type CopyValue = string | number | boolean | null | undefined;

function fields(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) line += '\t';
    const value = values[i];
    if (value === null || value === undefined) line += '\\N';
    else if (typeof value === 'string') line += escapeCopy(value);
    else line += String(value);
  }
  return line;
}

const SPECIAL = /[\\\t\n\r]/;

function escapeCopy(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
