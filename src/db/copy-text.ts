/**
 * Encodes one row for `COPY … FROM STDIN` in PostgreSQL's text format: tab-separated, `\N` for
 * NULL, and backslash escapes for the characters the format reserves.
 */
export function copyText(values: readonly (string | number | boolean | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) line += '\t';
    const value = values[i];
    if (value === null || value === undefined) line += '\\N';
    else if (typeof value === 'string') line += escapeCopy(value);
    else line += String(value);
  }
  return `${line}\n`;
}

const SPECIAL = /[\\\t\n\r]/;

function escapeCopy(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
