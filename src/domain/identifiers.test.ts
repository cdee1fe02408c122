import { describe, expect, it } from 'vitest';
import { enterpriseCheckDigit, enterpriseCodeProblem, personalIdProblem, sexOfPersonalId } from './identifiers.js';

describe('personal IDs', () => {
  it('accepts a well-formed ID whose year matches the birth date', () => {
    expect(personalIdProblem('084195000123', '1995-04-02')).toBeNull();
    expect(personalIdProblem('084305000123', '2005-01-01')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(personalIdProblem('08419500012')).toBe('must be 12 digits');
    expect(personalIdProblem('084995000123')).toBe('century/sex digit 9 must be 0-3');
    expect(personalIdProblem('000195000123')).toBe('province code 000 does not exist');
    expect(personalIdProblem('084195000123', '1996-04-02')).toBe('encodes birth year 1995 but the birth date is 1996-04-02');
  });

  it('reads the sex from the century/sex digit', () => {
    expect(sexOfPersonalId('084095000123')).toBe('M');
    expect(sexOfPersonalId('084395000123')).toBe('F');
  });
});

describe('enterprise codes', () => {
  it('computes the check digit with the weights 31,29,23,19,17,13,7,5,3', () => {
    // 0·31+1·29+0·23+0·19+0·17+0·13+0·7+0·5+1·3 = 32; 32 mod 11 = 10; 10 − 10 = 0
    expect(enterpriseCheckDigit('010000001')).toBe(0);
    expect(enterpriseCodeProblem('0100000010')).toBeNull();
    expect(enterpriseCodeProblem('0100000010-001')).toBeNull();
    expect(enterpriseCodeProblem('0100000011')).toBe('check digit 1 is wrong');
  });

  it('has no check digit when 10 − (sum mod 11) is 10 or 11', () => {
    // sum 0 → 10 − 0 = 10
    expect(enterpriseCheckDigit('000000000')).toBeNull();
    expect(enterpriseCodeProblem('0000000000')).toBe('check digit 0 is wrong');
  });
});
