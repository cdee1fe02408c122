import { describe, expect, it } from 'vitest';
import { enterpriseCheckDigit } from '../../src/domain/identifiers.js';
import { TransformError } from '../../src/sink/errors.js';
import { enterpriseToRow } from './enterprise-transform.js';

const code = `280012345${enterpriseCheckDigit('280012345') ?? 0}`;
const raw = {
  enterpriseCode: code,
  name: '  Công ty TNHH  Mo\u0323\u0302t Thành Viên ',
  legalType: 'TNHH1TV',
  legalRepresentativeId: '084195000123',
  communeCode: '29236',
  registrationDate: '2019-05-02',
  dissolutionDate: null,
  status: 'active',
  updatedAt: new Date('2024-01-02T03:04:05.000Z'),
};

describe('enterpriseToRow', () => {
  it('maps every field in column order, the name in NFC', () => {
    const row = enterpriseToRow(raw);
    expect(row).toEqual([code, 'Công ty TNHH Một Thành Viên', 'TNHH1TV', '084195000123', '29236', '2019-05-02', null, 'active', '2024-01-02T03:04:05.000Z']);
    expect((row[1] as string).normalize('NFC')).toBe(row[1]);
  });

  it('rejects a wrong check digit, naming the field', () => {
    const bad = `${code.slice(0, 9)}${(Number(code[9]) + 1) % 10}`;
    expect(() => enterpriseToRow({ ...raw, enterpriseCode: bad })).toThrow(/^enterpriseCode: check digit/);
  });

  it('rejects unknown codes, an impossible date and a dissolution before registration', () => {
    expect(() => enterpriseToRow({ ...raw, legalType: 'LLC' })).toThrow(/^legalType: must be one of/);
    expect(() => enterpriseToRow({ ...raw, status: 'gone' })).toThrow(/^status: /);
    expect(() => enterpriseToRow({ ...raw, registrationDate: '2021-02-30' })).toThrow('registrationDate: 2021-02-30 is not a calendar date');
    expect(() => enterpriseToRow({ ...raw, dissolutionDate: '2018-01-01' })).toThrow(TransformError);
    expect(() => enterpriseToRow({ ...raw, legalRepresentativeId: '12345' })).toThrow(/^legalRepresentativeId: /);
  });
});
