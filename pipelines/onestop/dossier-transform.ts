import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { type Row, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import {
  checked,
  keyed,
  optionalInt,
  optionalTimestamp,
  requireBoolean,
  requireCode,
  requireInt,
  requireString,
  requireTimestamp,
} from '../shared/fields.js';

export const LEVELS = ['province', 'district', 'commune'] as const;
const CHANNELS = ['online', 'direct', 'postal'] as const;
const STATUSES = ['processing', 'finished', 'rejected', 'withdrawn'] as const;
const RATINGS = ['satisfied', 'neutral', 'dislike', 'complaint'] as const;

/** National procedure code (ma TTHC), e.g. 1.001612. */
export const PROCEDURE_CODE = /^\d\.\d{6}$/;

export const DOSSIER_TABLE: TableTarget = {
  table: 'core.dossier',
  key: ['dossier_code'],
  doc: 'An administrative-procedure dossier of the provincial one-stop system, current state.',
  columns: [
    { name: 'dossier_code', type: 'text', doc: 'Dossier code: agency code + receipt date + sequence number.' },
    { name: 'procedure_code', type: 'text', doc: 'National procedure code (ma TTHC), e.g. 1.001612.' },
    { name: 'level', type: 'text', doc: 'Level of the handling agency at receipt: province, district or commune.' },
    { name: 'agency_code', type: 'text', doc: 'Receiving agency.' },
    { name: 'applicant_kind', type: 'text', doc: 'citizen or business.' },
    { name: 'applicant_id', type: 'text', doc: 'Personal ID or enterprise code of the applicant (validated by kind).' },
    { name: 'channel', type: 'text', doc: 'online, direct or postal.' },
    { name: 'received_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the dossier was received.' },
    { name: 'appointment_at', type: 'timestamptz', doc: 'When the result was promised.' },
    { name: 'finished_at', type: 'timestamptz', nullable: true, bounds: { notAfter: 'now' }, doc: 'When it was finished; null while in progress.' },
    { name: 'status', type: 'text', doc: 'processing, finished, rejected or withdrawn.' },
    { name: 'extra_document_requests', type: 'integer', bounds: { min: 0, max: 1000 }, doc: 'Times the applicant was asked for extra documents.' },
    { name: 'extra_document_days', type: 'integer', bounds: { min: 0, max: 3650 }, doc: 'Days the applicant took to supply them (not counted against the deadline).' },
    { name: 'result_is_electronic', type: 'boolean', doc: 'The result has an attached electronic file.' },
    { name: 'result_digitised', type: 'boolean', doc: 'The result was digitised into the one-stop store.' },
    { name: 'counter_wait_minutes', type: 'integer', nullable: true, bounds: { min: 0, max: 10_080 }, doc: 'Minutes waited at the counter; null unless received directly.' },
    { name: 'receiving_staff_id', type: 'text', doc: 'One-stop officer who received the dossier.' },
    { name: 'fee', type: 'bigint', bounds: { min: 0, max: 1_000_000_000_000 }, doc: 'Fee in VND.' },
    { name: 'paid_online', type: 'boolean', doc: 'The fee was paid online.' },
    { name: 'commune_code', type: 'text', doc: "Applicant's commune: old GSO code before 2025-07-01, new unit code from then on (see core.admin_unit_mapping)." },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the one-stop system last changed the row.' },
  ],
};

/** Raw `vn.lgsp.raw.onestop.Dossier` → `core.dossier` row. Pure. */
export function dossierToRow(value: Record<string, unknown>): Row {
  const code = requireString(value, 'dossierCode').trim();
  if (code.length === 0) throw new TransformError('dossierCode', 'is empty');
  const procedure = requireString(value, 'procedureCode').trim();
  if (!PROCEDURE_CODE.test(procedure)) throw new TransformError('procedureCode', `${procedure} is not a national procedure code like 1.001612`);
  const kind = requireCode(value, 'applicantKind', ['citizen', 'business'] as const);
  const applicant = checked('applicantId', requireString(value, 'applicantId').trim(), kind === 'citizen' ? (id) => personalIdProblem(id) : enterpriseCodeProblem);
  const received = requireTimestamp(value, 'receivedAt');
  const appointment = requireTimestamp(value, 'appointmentAt');
  const finished = optionalTimestamp(value, 'finishedAt');
  if (finished !== null && finished < received) throw new TransformError('finishedAt', `${finished} is before the receipt ${received}`);
  return [
    code,
    procedure,
    requireCode(value, 'level', LEVELS),
    requireString(value, 'agencyCode').trim(),
    kind,
    applicant,
    requireCode(value, 'channel', CHANNELS),
    received,
    appointment,
    finished,
    requireCode(value, 'status', STATUSES),
    requireInt(value, 'extraDocumentRequests', 0),
    requireInt(value, 'extraDocumentDays', 0),
    requireBoolean(value, 'resultIsElectronic'),
    requireBoolean(value, 'resultDigitised'),
    optionalInt(value, 'counterWaitMinutes', 0),
    requireString(value, 'receivingStaffId').trim(),
    requireInt(value, 'fee', 0),
    requireBoolean(value, 'paidOnline'),
    checked('communeCode', requireString(value, 'communeCode').trim(), communeCodeProblem),
    requireTimestamp(value, 'updatedAt'),
  ];
}

export const RATING_TABLE: TableTarget = {
  table: 'core.dossier_rating',
  key: ['dossier_code'],
  doc: "The applicant's rating of how a dossier was handled.",
  columns: [
    { name: 'dossier_code', type: 'text', doc: 'Dossier rated.' },
    { name: 'rating', type: 'text', doc: 'satisfied, neutral, dislike or complaint.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the rating was given or last changed.' },
  ],
};

/** Raw `vn.lgsp.raw.onestop.Rating` → `core.dossier_rating` row. Pure. */
export function ratingToRow(value: Record<string, unknown>): Row {
  const code = requireString(value, 'dossierCode').trim();
  if (code.length === 0) throw new TransformError('dossierCode', 'is empty');
  return [code, requireCode(value, 'rating', RATINGS), requireTimestamp(value, 'updatedAt')];
}

/** Key columns from a Kafka key that is the entity's code itself (no spaces around it, no control characters). */
export function singleKey(messageKey: string): Row {
  return keyed(messageKey);
}

/** Key columns from a procedure's Kafka key: a national procedure code. */
export function procedureKey(messageKey: string): Row {
  return keyed(messageKey, (code) => (PROCEDURE_CODE.test(code) ? null : `${JSON.stringify(code.slice(0, 100))} is not a national procedure code like 1.001612`));
}
