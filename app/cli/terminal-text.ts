/**
 * Characters a terminal does not just print: C0 controls (ESC starts colour, cursor and title
 * sequences; CR and BS overwrite what was printed), DEL, C1 controls (U+009B is a one-byte CSI),
 * the line and paragraph separators, the bidirectional marks, embeddings, overrides and isolates
 * (they reorder what follows: "Trojan Source"), and lone surrogates (not text at all).
 */
const UNPRINTABLE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]|\p{Cs}/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from outside (dead letters' keys, values and headers, a source's answer) made safe to
 * print: every character above becomes a visible escape (`\x1b`, `\u202e`, `\n`), and everything
 * printable — Vietnamese with its diacritics included — stays as it is.
 */
export function terminalText(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
