import { describe, expect, it } from 'vitest';
import { checkAgency } from './agencies-stream.js';
import { checkDossierComponent } from './dossier-components-stream.js';
import { checkDossier } from './dossiers-stream.js';
import { checkProcedure } from './procedures-stream.js';
import { checkRating } from './ratings-stream.js';

const dossier = {
  dossierCode: '000.06.27.H57-210101-00000',
  procedureCode: '2.000815',
  level: 'commune',
  agencyCode: '000.06.27.H57',
  applicantKind: 'citizen',
  applicantId: '084089867400',
  channel: 'direct',
  receivedAt: new Date('2021-01-01T04:36:37.950Z'),
  appointmentAt: new Date('2021-01-04T09:30:00.000Z'),
  finishedAt: new Date('2021-01-01T05:06:37.950Z'),
  status: 'finished',
  extraDocumentRequests: 0,
  extraDocumentDays: 0,
  resultIsElectronic: false,
  resultDigitised: false,
  counterWaitMinutes: 12,
  receivingStaffId: '000.06.27.H57.CB01',
  fee: 2000,
  paidOnline: false,
  communeCode: '29533',
  updatedAt: new Date('2021-01-01T15:24:33.090Z'),
};

describe('one-stop stream checks', () => {
  it('pass a well-formed dossier and name each field of a bad one', () => {
    expect(checkDossier(dossier)).toEqual([]);
    expect(checkDossier({ ...dossier, applicantId: '084989867400', finishedAt: new Date('2020-12-31T00:00:00Z'), communeCode: '2953' })).toEqual([
      expect.stringMatching(/^applicantId: century\/sex digit 9/),
      expect.stringMatching(/^finishedAt: 2020-12-31T00:00:00.000Z is before receivedAt/),
      expect.stringMatching(/^communeCode: must be a 5-digit/),
    ]);
    expect(checkDossier({ ...dossier, applicantKind: 'business', applicantId: '2100000019' })).toEqual([expect.stringMatching(/^applicantId: check digit/)]);
  });

  it('check procedures, agencies, components and ratings', () => {
    const procedure = { procedureCode: '1.001193', name: 'Đăng ký khai sinh', level: 'commune', fee: 0, processingDays: 1, requiredDocuments: '[]' };
    expect(checkProcedure(procedure)).toEqual([]);
    expect(checkProcedure({ ...procedure, procedureCode: '1193', name: 'x'.repeat(501) })).toEqual([
      expect.stringMatching(/^procedureCode: /),
      expect.stringMatching(/^name: length 501/),
    ]);
    const agency = { agencyCode: '000.00.01.H57', name: 'Sở Tư pháp', level: 'province', oneStopStaff: 4, validFrom: '2020-01-01', validTo: '2025-06-30' };
    expect(checkAgency(agency)).toEqual([]);
    expect(checkAgency({ ...agency, validTo: '2019-12-31' })).toEqual([expect.stringMatching(/^validTo: 2019-12-31 is before validFrom/)]);
    expect(checkDossierComponent({ dossierCode: 'D1', seq: 1, documentType: 'cccd', replacementResultCode: null })).toEqual([]);
    expect(checkDossierComponent({ dossierCode: 'D1', seq: 0, documentType: '', replacementResultCode: null })).toEqual([
      expect.stringMatching(/^seq: 0/),
      expect.stringMatching(/^documentType: length 0/),
    ]);
    expect(checkRating({ dossierCode: 'D1', rating: 'satisfied' })).toEqual([]);
    expect(checkRating({ dossierCode: 'D1', rating: 'great' })).toEqual([expect.stringMatching(/^rating: "great" is not one of/)]);
  });
});
