import { describe, expect, it } from 'vitest';
import { terminalText } from './terminal-text.js';

describe('terminalText', () => {
  it('escapes C0, DEL and C1 controls, so no escape sequence reaches the terminal', () => {
    expect(terminalText('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(terminalText('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07');
    expect(terminalText('a\rb\nc\td\x00\x08')).toBe('a\\rb\\nc\\td\\x00\\x08');
    expect(terminalText('\x7f\x9b2J\x85')).toBe('\\x7f\\x9b2J\\x85');
  });

  it('escapes bidirectional overrides and isolates, line separators and lone surrogates', () => {
    expect(terminalText('abc\u202Efed\u202C')).toBe('abc\\u202efed\\u202c');
    expect(terminalText('\u2066x\u2069\u200F\u061C')).toBe('\\u2066x\\u2069\\u200f\\u061c');
    expect(terminalText('a\u2028b\u2029')).toBe('a\\u2028b\\u2029');
    expect(terminalText('x\uD800y\uDC00')).toBe('x\\ud800y\\udc00');
  });

  it('leaves printable text alone: Vietnamese, combining marks, emoji, other scripts', () => {
    for (const text of ['Nguyễn Thị Ánh Tuyết', 'Trà Vinh', 'Nguye\u0302\u0303n', 'hồ sơ 📄', 'العربية', 'key "quoted" \\ back']) {
      expect(terminalText(text)).toBe(text);
    }
  });
});
