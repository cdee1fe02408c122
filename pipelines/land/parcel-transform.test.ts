import { describe, expect, it } from 'vitest';
import { parcelToRows } from './parcel-transform.js';

const raw = {
  parcelId: '29236-12-345',
  communeCode: '29236',
  mapSheet: 12,
  parcelNumber: 345,
  area: '1234.5',
  useCode: 'ONT',
  certificateSerial: 'cs123456',
  owners: [
    { holderKind: 'citizen', holderId: '084195000123', from: '2001-03-04', to: '2020-01-01' },
    { holderKind: 'citizen', holderId: '084195000124', from: '2020-01-01', to: null },
  ],
  updatedAt: new Date('2020-01-01T08:00:00.000Z'),
};

describe('parcelToRows', () => {
  it('keeps the area exact and the owners as periods, oldest first', () => {
    expect(parcelToRows(raw)).toEqual({
      row: ['29236-12-345', '29236', 12, 345, '1234.5', 'ONT', 'CS123456', '2020-01-01T08:00:00.000Z'],
      children: {
        owners: [
          ['29236-12-345', 1, 'citizen', '084195000123', '2001-03-04', '2020-01-01'],
          ['29236-12-345', 2, 'citizen', '084195000124', '2020-01-01', null],
        ],
      },
    });
  });

  it('rejects a parcel id that disagrees with its parts, a bad serial and a bad holder', () => {
    expect(() => parcelToRows({ ...raw, parcelId: '29236-12-346' })).toThrow(/^parcelId: /);
    expect(() => parcelToRows({ ...raw, certificateSerial: 'X1' })).toThrow(/^certificateSerial: /);
    expect(() => parcelToRows({ ...raw, area: '12.34' })).toThrow(/^area: /);
    const owners = [{ holderKind: 'business', holderId: '084195000123', from: '2001-03-04', to: null }];
    expect(() => parcelToRows({ ...raw, owners })).toThrow(/^owners\[0\]\.holderId: /);
  });
});
