import { type Row, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { optionalString, requireBoolean, requireInt, requireString, requireTimestamp } from '../shared/fields.js';

export const COMPONENT_TABLE: TableTarget = {
  table: 'core.dossier_component',
  key: ['dossier_code', 'seq'],
  doc: 'A document submitted with a dossier (TaiLieuNop), with the Decision 766 flags.',
  columns: [
    { name: 'dossier_code', type: 'text', doc: 'Dossier the document belongs to.' },
    { name: 'seq', type: 'integer', bounds: { min: 1, max: 1000 }, doc: 'Position of the document in the dossier, 1-based.' },
    { name: 'document_type', type: 'text', doc: 'Document type code.' },
    { name: 'supplied_by_applicant', type: 'boolean', doc: 'The applicant handed in the file (false: an officer took it from a national database or an earlier result).' },
    { name: 'digitised', type: 'boolean', doc: 'DuocSoHoa: a file is attached.' },
    { name: 'reused', type: 'boolean', doc: 'DuocTaiSuDung: re-used, as the one-stop system reports it.' },
    { name: 'from_national_store', type: 'boolean', doc: 'DuocLayTuKhoDMQG: taken from the national data store.' },
    { name: 'replacement_result_code', type: 'text', nullable: true, doc: 'MaKetQuaThayThe: earlier result standing in for this document.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the one-stop system last changed the row.' },
  ],
};

/** Raw `vn.lgsp.raw.onestop.DossierComponent` → `core.dossier_component` row. Pure; the key comes from the value. */
export function componentToRow(value: Record<string, unknown>): Row {
  const code = requireString(value, 'dossierCode').trim();
  if (code.length === 0) throw new TransformError('dossierCode', 'is empty');
  return [
    code,
    requireInt(value, 'seq', 1),
    requireString(value, 'documentType').trim(),
    requireBoolean(value, 'suppliedByApplicant'),
    requireBoolean(value, 'digitised'),
    requireBoolean(value, 'reused'),
    requireBoolean(value, 'fromNationalStore'),
    optionalString(value, 'replacementResultCode'),
    requireTimestamp(value, 'updatedAt'),
  ];
}

/**
 * Key columns from a component's Kafka key, for tombstones only (rows take their key from the
 * value). The connector encodes a composite key as the JSON array of its values
 * (`["<dossierCode>",<seq>]`, src/connect/sql-stream.ts).
 */
export function componentKey(messageKey: string): Row {
  let parsed: unknown;
  try {
    parsed = JSON.parse(messageKey);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !Number.isInteger(Number(parsed[1]))) {
    throw new TransformError('key', `${messageKey} is not ["<dossierCode>", <seq>]`);
  }
  return [parsed[0], Number(parsed[1])];
}
