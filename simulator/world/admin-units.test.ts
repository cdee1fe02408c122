import { describe, expect, it } from 'vitest';
import { adminUnits, DISTRICTS, NEW_UNITS, OLD_COMMUNES, unitMappings } from './admin-units.js';
import { AGENCIES } from './agencies.js';
import { isValidAgencyCode, isValidCommuneCode } from './identifiers.js';

describe('administrative units', () => {
  it('has province 84, 9 districts and the real commune list', () => {
    const units = [...adminUnits()];
    expect(units.filter((u) => u.level === 'district')).toHaveLength(9);
    expect(OLD_COMMUNES).toHaveLength(106);
    expect(OLD_COMMUNES.every((c) => isValidCommuneCode(c.code) && DISTRICTS.some((d) => d.code === c.districtCode))).toBe(true);
    expect(OLD_COMMUNES.find((c) => c.code === '29266')?.name).toBe('Thị trấn Càng Long');
    // (code, validFrom) identifies a unit: new units re-use an old code.
    expect(new Set(units.map((u) => `${u.code}@${u.validFrom}`)).size).toBe(units.length);
    expect(units.every((u) => u.name === u.name.normalize('NFC'))).toBe(true);
  });

  it('maps every old commune to exactly one new unit from 2025-07-01', () => {
    const mappings = [...unitMappings()];
    expect(new Set(mappings.map((m) => m.oldCode)).size).toBe(OLD_COMMUNES.length);
    const newCodes = new Set(NEW_UNITS.map((u) => u.code));
    expect(mappings.every((m) => newCodes.has(m.newCode) && m.validFrom === '2025-07-01')).toBe(true);
  });

  it('gives every unit an agency with a well-formed, unique code', () => {
    expect(new Set(AGENCIES.map((a) => a.code)).size).toBe(AGENCIES.length);
    expect(AGENCIES.every((a) => isValidAgencyCode(a.code) && a.oneStopStaff > 0)).toBe(true);
    expect(AGENCIES.filter((a) => a.level === 'commune' && a.validTo !== null)).toHaveLength(OLD_COMMUNES.length);
    expect(AGENCIES.filter((a) => a.validTo === null && a.level === 'district')).toHaveLength(0);
  });
});
