/**
 * PostgreSQL's text and jsonb cannot hold U+0000. Text we record about bad input (a rejected
 * record's key, a reason quoting its value) may contain it, so NUL is written as the visible
 * escape `\u0000` instead — the record itself is kept byte for byte in a bytea column.
 */
export function storableText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\\u0000') : value;
}
