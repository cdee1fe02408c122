import { describe, expect, it } from 'vitest';
import { checkAllText, textProblem } from '../../src/domain/field-checks.js';

/** The character rule behind the corpus's broken-text cases: what it refuses, and real names it must not. */
describe('textProblem', () => {
  it.each([
    ['Thạch Thị Sa Rết'],
    ['Nguyễn Văn An'],
    ['ថាច់ សុខា'], // Khmer script
    ["Robert'); DROP TABLE core.citizen;--"],
    ['O\u2019Brien'], // typographic apostrophe
    ['क्\u200Dष'], // zero-width joiner inside a conjunct
    ['line one\nline two\tcell\r'],
    ['😀 emoji (a surrogate pair)'],
  ])('accepts %j', (text) => {
    expect(textProblem(text)).toBeNull();
  });

  it.each([
    ['a\u0000b', 'control character U+0000 at 1'],
    ['a\u0007', 'control character U+0007 at 1'],
    ['\u001B[31m', 'control character U+001B at 0'],
    ['a\u007F', 'control character U+007F at 1'],
    ['a\u0085', 'control character U+0085 at 1'],
    ['a\u202Eb', 'bidirectional control U+202E at 1'],
    ['\u2066x\u2069', 'bidirectional control U+2066 at 0'],
    ['V\uFFFDn', 'replacement character (the source sent bytes that are not UTF-8) U+FFFD at 1'],
    ['a\uD800b', 'lone surrogate U+D800 at 1 (broken UTF-16)'],
    ['a\uDC00', 'lone surrogate U+DC00 at 1 (broken UTF-16)'],
  ])('refuses %j', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it('checkAllText names nested fields by path and skips non-strings', () => {
    const problems: string[] = [];
    checkAllText(problems, { name: 'ok', owners: [{ holderId: 'x\u0000' }], area: 12, at: new Date(0), nothing: null });
    expect(problems).toEqual(['owners.0.holderId: control character U+0000 at 1']);
  });
});
