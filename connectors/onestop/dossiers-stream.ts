import type { SqlStreamDefinition } from '../../src/connect/sql-stream.js';
import { checkAllText, checkIdentifier, checkLength, checkOneOf, checkOrder, checkRange, type Problems } from '../../src/domain/field-checks.js';
import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { orNull, type Row } from './rows.js';

const LEVELS = ['province', 'district', 'commune'] as const;
const APPLICANT_KINDS = ['citizen', 'business'] as const;
const CHANNELS = ['online', 'direct', 'postal'] as const;
const STATUSES = ['processing', 'finished', 'rejected', 'withdrawn'] as const;

/** `onestop.dossier` (soft deletes → tombstones) → `lgsp.raw.onestop.dossier.v1`. */
export function dossiersStream(schema: string, pageSize: number): SqlStreamDefinition {
  return {
    name: 'dossiers',
    entity: 'dossier',
    valueSchema: 'vn.lgsp.raw.onestop.Dossier',
    table: `${schema}.dossier`,
    keyColumns: ['dossier_code'],
    keyFields: ['dossierCode'],
    cursorColumn: 'updated_at',
    deletedColumn: 'deleted_at',
    pageSize,
    toValue: (row: Row) => ({
      dossierCode: row['dossier_code'],
      procedureCode: row['procedure_code'],
      level: row['level'],
      agencyCode: row['agency_code'],
      applicantKind: row['applicant_kind'],
      applicantId: row['applicant_id'],
      channel: row['channel'],
      receivedAt: row['received_at'],
      appointmentAt: row['appointment_at'],
      finishedAt: orNull(row['finished_at']),
      status: row['status'],
      extraDocumentRequests: row['extra_document_requests'],
      extraDocumentDays: row['extra_document_days'],
      resultIsElectronic: row['result_is_electronic'],
      resultDigitised: row['result_digitised'],
      counterWaitMinutes: orNull(row['counter_wait_minutes']),
      receivingStaffId: row['receiving_staff_id'],
      fee: row['fee'],
      paidOnline: row['paid_online'],
      communeCode: row['commune_code'],
      updatedAt: row['updated_at'],
    }),
    check: checkDossier,
  };
}

export function checkDossier(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  checkLength(problems, 'dossierCode', value['dossierCode'], 64);
  checkOneOf(problems, 'level', value['level'], LEVELS);
  checkOneOf(problems, 'applicantKind', value['applicantKind'], APPLICANT_KINDS);
  const applicant = value['applicantKind'] === 'business' ? enterpriseCodeProblem : (id: string) => personalIdProblem(id);
  checkIdentifier(problems, 'applicantId', value['applicantId'], applicant);
  checkOneOf(problems, 'channel', value['channel'], CHANNELS);
  checkOrder(problems, 'receivedAt', value['receivedAt'], 'appointmentAt', value['appointmentAt']);
  checkOrder(problems, 'receivedAt', value['receivedAt'], 'finishedAt', value['finishedAt']);
  checkOneOf(problems, 'status', value['status'], STATUSES);
  checkRange(problems, 'extraDocumentRequests', value['extraDocumentRequests'], 0);
  checkRange(problems, 'extraDocumentDays', value['extraDocumentDays'], 0);
  checkRange(problems, 'counterWaitMinutes', value['counterWaitMinutes'], 0);
  checkRange(problems, 'fee', value['fee'], 0);
  checkIdentifier(problems, 'communeCode', value['communeCode'], communeCodeProblem);
  return problems;
}
