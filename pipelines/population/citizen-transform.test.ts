import { describe, expect, it } from 'vitest';
import { TransformError } from '../../src/sink/errors.js';
import { citizenToRow, normaliseName } from './citizen-transform.js';

const raw = {
  personalId: '084195000123',
  fullName: '  Nguye\u0302\u0303n   Văn An ',
  birthDate: '1995-04-02',
  sex: 'M',
  householdId: 'HGD-0001 ',
  residenceCommuneCode: '29236',
  deathDate: null,
  updatedAt: new Date('2025-01-02T03:04:05.678Z'),
};

describe('citizenToRow', () => {
  it('normalises the name to NFC, trims and collapses spaces', () => {
    const row = citizenToRow(raw);
    expect(row[1]).toBe('Nguyễn Văn An');
    expect((row[1] as string).normalize('NFC')).toBe(row[1]);
  });

  it('maps every field in column order', () => {
    expect(citizenToRow(raw)).toEqual(['084195000123', 'Nguyễn Văn An', '1995-04-02', 'M', 'HGD-0001', '29236', null, '2025-01-02T03:04:05.678Z']);
  });

  it('rejects a personal ID whose year disagrees with the birth date, naming the field', () => {
    expect(() => citizenToRow({ ...raw, birthDate: '1996-04-02' })).toThrow(TransformError);
    expect(() => citizenToRow({ ...raw, birthDate: '1996-04-02' })).toThrow(/^personalId: /);
  });

  it('rejects a missing field and a death before birth', () => {
    const { fullName: _n, ...noName } = raw;
    expect(() => citizenToRow(noName)).toThrow('fullName: is missing');
    expect(() => citizenToRow({ ...raw, deathDate: '1990-01-01' })).toThrow(/^deathDate: /);
  });

  it('is pure: the same input gives the same row', () => {
    expect(citizenToRow(raw)).toEqual(citizenToRow(raw));
    expect(normaliseName('a\u00a0 b')).toBe('a b');
  });
});
