import { describe, expect, it } from 'vitest';
import {
  enterpriseCheckDigit,
  formatPersonalId,
  isValidAgencyCode,
  isValidCertificateSerial,
  isValidDossierCode,
  isValidEnterpriseCode,
  isValidHealthCardNumber,
  isValidInsuranceCode,
  isValidPersonalId,
  makeEnterpriseCode,
  parsePersonalId,
} from './identifiers.js';

describe('personal ID', () => {
  it('encodes province, century/sex and birth year', () => {
    expect(formatPersonalId('084', 'M', 1985, 123)).toBe('084085000123');
    expect(formatPersonalId('084', 'F', 1985, 123)).toBe('084185000123');
    expect(formatPersonalId('079', 'M', 2003, 999999)).toBe('079203999999');
    expect(formatPersonalId('084', 'F', 2021, 1)).toBe('084321000001');
    expect(parsePersonalId('084321000001')).toEqual({ provinceCode: '084', sex: 'F', birthYear: 2021, serial: '000001' });
  });

  it('rejects malformed IDs', () => {
    expect(isValidPersonalId('08408500012')).toBe(false);
    expect(isValidPersonalId('000085000123')).toBe(false);
    expect(isValidPersonalId('09908500012x')).toBe(false);
    expect(isValidPersonalId('084085000123')).toBe(true);
  });
});

describe('enterprise code', () => {
  it('computes 10 − (weighted sum mod 11)', () => {
    // 2,1,0,0,1,0,0,0,0 · 31,29,23,19,17,13,7,5,3 = 62+29+17 = 108; 108 mod 11 = 9; check 1.
    expect(enterpriseCheckDigit('210010000')).toBe(1);
    expect(makeEnterpriseCode('21', 10000)).toBe('2100100001');
    expect(isValidEnterpriseCode('2100100001')).toBe(true);
    expect(isValidEnterpriseCode('2100100002')).toBe(false);
    expect(isValidEnterpriseCode('2100100001-001')).toBe(true);
    expect(isValidEnterpriseCode('2100100001-000')).toBe(false);
  });

  it('has no check digit when the sum is divisible by 11 (the unverified edge case)', () => {
    let found = 0;
    for (let serial = 0; serial < 200; serial++) {
      const first = `21${String(serial).padStart(7, '0')}`;
      if (enterpriseCheckDigit(first) === null) {
        found++;
        expect(makeEnterpriseCode('21', serial)).toBeNull();
      }
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe('other identifiers', () => {
  it('validates formats', () => {
    expect(isValidInsuranceCode('8405553714')).toBe(true);
    expect(isValidInsuranceCode('840555371')).toBe(false);
    expect(isValidHealthCardNumber('DN4848405553714')).toBe(true);
    expect(isValidHealthCardNumber('DN9848405553714')).toBe(false);
    expect(isValidCertificateSerial('CS582684')).toBe(true);
    expect(isValidAgencyCode('000.00.23.H57')).toBe(true);
    expect(isValidDossierCode('000.00.23.H57-210101-00000')).toBe(true);
    expect(isValidDossierCode('000.00.23.H57-2101-00000')).toBe(false);
  });
});
