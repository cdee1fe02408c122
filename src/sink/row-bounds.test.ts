import { describe, expect, it } from 'vitest';
import { rowProblem, valueProblem } from './row-bounds.js';
import type { Column } from './types.js';

const NOW = Date.parse('2026-12-07T00:00:00Z');

describe('column bounds', () => {
  it('bounds text by characters as PostgreSQL counts them: 256 by default, a char(n) by n, a column by its own', () => {
    const text: Column = { name: 'agency_code', type: 'text' };
    expect(valueProblem(text, 'A'.repeat(256), NOW)).toBeNull();
    expect(valueProblem(text, 'A'.repeat(257), NOW)).toBe('longer than 256 characters (257 UTF-16 units)');
    // 200 characters outside the BMP are 400 UTF-16 units but 200 characters.
    expect(valueProblem(text, '𝔸'.repeat(200), NOW)).toBeNull();
    expect(valueProblem({ name: 'sex', type: 'char(1)' }, 'MF', NOW)).toMatch(/^longer than 1 /);
    expect(valueProblem({ name: 'full_name', type: 'text', bounds: { maxLength: 200 } }, 'N'.repeat(201), NOW)).toMatch(/^longer than 200 /);
    expect(valueProblem({ name: 'required_documents', type: 'jsonb' }, '['.repeat(65_537), NOW)).toMatch(/^longer than 65536 /);
  });

  it('bounds numbers by their type and the column', () => {
    expect(valueProblem({ name: 'n', type: 'integer' }, 2_147_483_647, NOW)).toBeNull();
    expect(valueProblem({ name: 'n', type: 'integer' }, 2_147_483_648, NOW)).toBe('2147483648 is above 2147483647');
    expect(valueProblem({ name: 'fee', type: 'bigint', bounds: { min: 0, max: 1e12 } }, -1, NOW)).toBe('-1 is below 0');
    expect(valueProblem({ name: 'area', type: 'numeric(12,1)' }, '123456789012.5', NOW)).toBe('123456789012.5 is above 100000000000');
    expect(valueProblem({ name: 'n', type: 'bigint' }, 'NaN', NOW)).toBe('NaN is not a finite number');
  });

  it('keeps dates and times in a plausible window, and "now" a day ahead of the clock at most', () => {
    const birth: Column = { name: 'birth_date', type: 'date', bounds: { notAfter: 'now' } };
    expect(valueProblem(birth, '1995-03-04', NOW)).toBeNull();
    expect(valueProblem(birth, '2026-12-07', NOW)).toBeNull();
    expect(valueProblem(birth, '2026-12-09', NOW)).toBe('2026-12-09 is in the future');
    expect(valueProblem(birth, '1899-12-31', NOW)).toBe('1899-12-31 is before 1900-01-01');
    const at: Column = { name: 'received_at', type: 'timestamptz' };
    expect(valueProblem(at, '2025-06-01T02:00:00.000Z', NOW)).toBeNull();
    expect(valueProblem(at, '9999-01-01T00:00:00.000Z', NOW)).toBe('9999-01-01T00:00:00.000Z is after 2100-01-01');
    // toISOString of a year past 9999: not four digits, parsed instead of compared as text.
    expect(valueProblem(at, '+010000-01-01T00:00:00.000Z', NOW)).toBe('+010000-01-01T00:00:00.000Z is after 2100-01-01');
    expect(valueProblem(at, 'tomorrow', NOW)).toBe('tomorrow is not a date');
  });

  it('names the first column out of bounds; a missing value is left to NOT NULL', () => {
    const columns: Column[] = [
      { name: 'code', type: 'text' },
      { name: 'staff', type: 'integer', bounds: { min: 0, max: 10 } },
    ];
    expect(rowProblem(columns, [null, 3], NOW)).toBeNull();
    expect(rowProblem(columns, ['x', 11], NOW)).toEqual({ column: 'staff', problem: '11 is above 10' });
  });
});
