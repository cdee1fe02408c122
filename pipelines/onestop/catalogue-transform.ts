import { type Row, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { nextDay, optionalDate, optionalString, requireBoolean, requireCode, requireDate, requireInt, requireJson, requireName, requireString, requireTimestamp } from '../shared/fields.js';
import { LEVELS, PROCEDURE_CODE } from './dossier-transform.js';

export const PROCEDURE_TABLE: TableTarget = {
  table: 'core.procedure',
  key: ['procedure_code'],
  doc: 'An administrative procedure of the one-stop catalogue.',
  columns: [
    { name: 'procedure_code', type: 'text', doc: 'National procedure code (ma TTHC).' },
    { name: 'name', type: 'text', bounds: { maxLength: 500 }, doc: 'Procedure name, NFC.' },
    { name: 'level', type: 'text', doc: 'province, district or commune.' },
    { name: 'fee', type: 'bigint', bounds: { min: 0, max: 1_000_000_000_000 }, doc: 'Fee in VND (0 = free).' },
    { name: 'result_is_document', type: 'boolean', doc: "The procedure's result is a document." },
    { name: 'result_document_type', type: 'text', nullable: true, doc: 'Document type of the result, when it is one.' },
    { name: 'processing_days', type: 'integer', bounds: { min: 0, max: 3650 }, doc: 'Statutory processing time in working days.' },
    { name: 'required_documents', type: 'jsonb', doc: 'Required documents as JSON: [{documentType, name, heldBy, resultOfProcedure, optional}].' },
    { name: 'source_updated_at', type: 'timestamptz', doc: 'When the catalogue entry last changed.' },
  ],
};

/** Raw `vn.lgsp.raw.onestop.Procedure` → `core.procedure` row. Pure; the required documents must be a JSON array. */
export function procedureToRow(value: Record<string, unknown>): Row {
  const code = requireString(value, 'procedureCode').trim();
  if (!PROCEDURE_CODE.test(code)) throw new TransformError('procedureCode', `${code} is not a national procedure code like 1.001612`);
  // [{documentType, name, heldBy, …}]: two levels; a few more leave room for the source to grow.
  const documents = requireJson(value, 'requiredDocuments', { maxDepth: 8, maxLength: 65_536 });
  if (!Array.isArray(documents)) throw new TransformError('requiredDocuments', 'is not a JSON array');
  return [
    code,
    requireName(value, 'name'),
    requireCode(value, 'level', LEVELS),
    requireInt(value, 'fee', 0),
    requireBoolean(value, 'resultIsDocument'),
    optionalString(value, 'resultDocumentType'),
    requireInt(value, 'processingDays', 0),
    JSON.stringify(documents),
    requireTimestamp(value, 'updatedAt'),
  ];
}

export const AGENCY_TABLE: TableTarget = {
  table: 'core.agency',
  key: ['agency_code'],
  doc: 'An agency that receives dossiers.',
  columns: [
    { name: 'agency_code', type: 'text', doc: 'Agency code, like 000.00.xx.Hyy.' },
    { name: 'name', type: 'text', bounds: { maxLength: 500 }, doc: 'Agency name, NFC.' },
    { name: 'level', type: 'text', doc: 'province, district or commune.' },
    { name: 'unit_code', type: 'text', doc: 'Administrative unit it serves (core.admin_unit).' },
    { name: 'one_stop_staff', type: 'integer', bounds: { min: 0, max: 10_000 }, doc: 'Staff at its one-stop counter.' },
    { name: 'valid_from', type: 'date', doc: 'First day the agency exists.' },
    { name: 'valid_to', type: 'date', nullable: true, doc: 'Day after its last day (exclusive; the source gives the last day); null: still exists.' },
    { name: 'source_updated_at', type: 'timestamptz', doc: 'When the entry last changed.' },
  ],
};

/** Raw `vn.lgsp.raw.onestop.Agency` → `core.agency` row. Pure. */
export function agencyToRow(value: Record<string, unknown>): Row {
  const from = requireDate(value, 'validFrom');
  const lastDay = optionalDate(value, 'validTo');
  if (lastDay !== null && lastDay < from) throw new TransformError('validTo', `${lastDay} is before ${from}`);
  return [
    requireString(value, 'agencyCode').trim(),
    requireName(value, 'name'),
    requireCode(value, 'level', LEVELS),
    requireString(value, 'unitCode').trim(),
    requireInt(value, 'oneStopStaff', 0),
    from,
    lastDay === null ? null : nextDay(lastDay),
    requireTimestamp(value, 'updatedAt'),
  ];
}
