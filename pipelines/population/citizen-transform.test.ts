import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/avro/catalogue.js';
import { TransformError } from '../../src/sink/errors.js';
import { CITIZEN_TABLE, citizenToRow, normaliseName } from './citizen-transform.js';

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
    expect(citizenToRow(raw)).toEqual(['084195000123', 'Nguyễn Văn An', '1995-04-02', 'M', 'HGD-0001', '29236', null, '2025-01-02T03:04:05.678Z', null]);
    expect(CITIZEN_TABLE.columns.map((c) => c.name).at(-1)).toBe('vneid_level');
  });

  it('maps raw v2\'s vneidLevel, and reads a v1 message (resolved to v2 with its default) as NULL', () => {
    const catalogue = loadCatalogue();
    const CITIZEN = 'vn.lgsp.raw.population.Citizen';
    const fromV1 = catalogue.decode<Record<string, unknown>>(catalogue.encode(CITIZEN, raw, 1), CITIZEN);
    expect(fromV1.writer.version).toBe(1);
    expect(citizenToRow(fromV1.value).at(-1)).toBeNull();
    const fromV2 = catalogue.decode<Record<string, unknown>>(catalogue.encode(CITIZEN, { ...raw, vneidLevel: 2 }, 2), CITIZEN);
    expect(citizenToRow(fromV2.value).at(-1)).toBe(2);
    expect(citizenToRow({ ...raw, vneidLevel: 1 }).at(-1)).toBe(1);
  });

  it('rejects a vneidLevel that is not 1, 2 or null, naming the field', () => {
    expect(() => citizenToRow({ ...raw, vneidLevel: 3 })).toThrow('vneidLevel: must be 1, 2 or null, not 3');
    expect(() => citizenToRow({ ...raw, vneidLevel: '2' })).toThrow(/^vneidLevel: /);
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
