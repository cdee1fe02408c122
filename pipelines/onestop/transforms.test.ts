import { describe, expect, it } from 'vitest';
import { agencyToRow, procedureToRow } from './catalogue-transform.js';
import { componentKey, componentToRow } from './component-transform.js';
import { dossierToRow, ratingToRow } from './dossier-transform.js';

const at = (iso: string): Date => new Date(iso);
const dossier = {
  dossierCode: '000.00.01.H57-210104-00001',
  procedureCode: '1.001193',
  level: 'commune',
  agencyCode: '000.00.01.H57',
  applicantKind: 'citizen',
  applicantId: '084195000123',
  channel: 'online',
  receivedAt: at('2021-01-04T02:00:00.000Z'),
  appointmentAt: at('2021-01-05T02:00:00.000Z'),
  finishedAt: at('2021-01-05T01:00:00.000Z'),
  status: 'finished',
  extraDocumentRequests: 0,
  extraDocumentDays: 0,
  resultIsElectronic: true,
  resultDigitised: true,
  counterWaitMinutes: null,
  receivingStaffId: 'CB-001',
  fee: 0,
  paidOnline: false,
  communeCode: '29236',
  updatedAt: at('2021-01-05T01:00:00.000Z'),
};

describe('one-stop transforms', () => {
  it('dossier: every field in column order; the applicant is validated by kind', () => {
    const row = dossierToRow(dossier);
    expect(row).toHaveLength(21);
    expect(row.slice(0, 8)).toEqual(['000.00.01.H57-210104-00001', '1.001193', 'commune', '000.00.01.H57', 'citizen', '084195000123', 'online', '2021-01-04T02:00:00.000Z']);
    expect(() => dossierToRow({ ...dossier, applicantKind: 'business' })).toThrow(/^applicantId: /);
    expect(() => dossierToRow({ ...dossier, finishedAt: at('2021-01-01T00:00:00.000Z') })).toThrow(/^finishedAt: /);
    expect(() => dossierToRow({ ...dossier, channel: 'fax' })).toThrow(/^channel: /);
    expect(() => dossierToRow({ ...dossier, procedureCode: '1001193' })).toThrow(/^procedureCode: /);
  });

  it('component: key from the value; tombstone keys decode the connector JSON key', () => {
    const c = { dossierCode: 'D-1', seq: 2, documentType: 'cccd', suppliedByApplicant: false, digitised: true, reused: true, fromNationalStore: true, replacementResultCode: ' ', updatedAt: at('2021-01-05T00:00:00.000Z') };
    expect(componentToRow(c)).toEqual(['D-1', 2, 'cccd', false, true, true, true, null, '2021-01-05T00:00:00.000Z']);
    expect(() => componentToRow({ ...c, seq: 0 })).toThrow(/^seq: /);
    expect(componentKey('["000.00.01.H57-210104-00001",3]')).toEqual(['000.00.01.H57-210104-00001', 3]);
    expect(() => componentKey('D-1#3')).toThrow(/^key: /);
  });

  it('rating, procedure and agency', () => {
    expect(ratingToRow({ dossierCode: 'D-1', rating: 'satisfied', updatedAt: at('2021-01-05T00:00:00.000Z') })).toEqual(['D-1', 'satisfied', '2021-01-05T00:00:00.000Z']);
    expect(() => ratingToRow({ dossierCode: 'D-1', rating: 'meh', updatedAt: at('2021-01-05T00:00:00.000Z') })).toThrow(/^rating: /);
    const procedure = { procedureCode: '2.000815', name: ' Chứng thực ', level: 'commune', fee: 2000, resultIsDocument: true, resultDocumentType: null, processingDays: 1, requiredDocuments: '[]', updatedAt: at('2025-12-31T00:00:00.000Z') };
    expect(procedureToRow(procedure)).toEqual(['2.000815', 'Chứng thực', 'commune', 2000, true, null, 1, '[]', '2025-12-31T00:00:00.000Z']);
    expect(() => procedureToRow({ ...procedure, requiredDocuments: '{' })).toThrow('requiredDocuments: is not JSON');
    const agency = { agencyCode: 'A', name: 'UBND', level: 'district', unitCode: '842', oneStopStaff: 3, validFrom: '2020-01-01', validTo: '2025-06-30', updatedAt: at('2025-12-31T00:00:00.000Z') };
    // The source gives the last day; the warehouse stores the exclusive end.
    expect(agencyToRow(agency).slice(5, 7)).toEqual(['2020-01-01', '2025-07-01']);
  });
});
