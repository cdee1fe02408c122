import { describe, expect, it } from 'vitest';
import { enterpriseCheckDigit } from '../../src/domain/identifiers.js';
import { participantToRows } from './participant-transform.js';

const employer = `280012345${enterpriseCheckDigit('280012345') ?? 0}`;
const raw = {
  insuranceCode: '8400001234',
  personalId: '084195000123',
  employerCode: employer,
  contributionPeriods: [
    { from: '2015-01-01', to: '2018-06-01', employerCode: null },
    { from: '2019-01-01', to: null, employerCode: employer },
  ],
  healthCardNumber: 'dn4848400001234',
  updatedAt: new Date('2024-01-02T00:00:00.000Z'),
};

describe('participantToRows', () => {
  it('gives the participant row and one period row per period, numbered from 1', () => {
    expect(participantToRows(raw)).toEqual({
      row: ['8400001234', '084195000123', employer, 'DN4848400001234', '2024-01-02T00:00:00.000Z'],
      children: {
        periods: [
          ['8400001234', 1, '2015-01-01', '2018-06-01', null],
          ['8400001234', 2, '2019-01-01', null, employer],
        ],
      },
    });
  });

  it('rejects a health card that does not end in the insurance code', () => {
    expect(() => participantToRows({ ...raw, healthCardNumber: 'DN4848400009999' })).toThrow(/^healthCardNumber: ends in 8400009999/);
  });

  it('names the period and field of a bad period', () => {
    const periods = [{ from: '2015-01-01', to: '2014-01-01', employerCode: null }];
    expect(() => participantToRows({ ...raw, contributionPeriods: periods })).toThrow(/^contributionPeriods\[0\]\.to: /);
    expect(() => participantToRows({ ...raw, insuranceCode: '84' })).toThrow('insuranceCode: must be 10 digits');
  });
});
