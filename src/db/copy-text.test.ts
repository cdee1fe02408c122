import { describe, expect, it } from 'vitest';
import { copyText } from './copy-text.js';

describe('copyText', () => {
  it('separates with tabs, ends with a newline and writes NULL as \\N', () => {
    expect(copyText(['a', 1, null, true, undefined])).toBe('a\t1\t\\N\ttrue\t\\N\n');
  });

  it('escapes the characters the text format reserves', () => {
    expect(copyText(['back\\slash', 'tab\there', 'line\nbreak', 'cr\rx'])).toBe('back\\\\slash\ttab\\there\tline\\nbreak\tcr\\rx\n');
  });

  it('keeps Vietnamese text as it is', () => {
    expect(copyText(['Nguyễn Thị Ánh'])).toBe('Nguyễn Thị Ánh\n');
  });

  it('continues a row with more columns as one row of both', () => {
    expect(copyText(['a\tb', null], ['U', null, 7])).toBe(copyText(['a\tb', null, 'U', null, 7]));
    expect(copyText([], ['x'])).toBe('x\n');
    expect(copyText(['x'], [])).toBe('x\n');
  });
});
