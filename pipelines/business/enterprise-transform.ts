import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { type Row, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { checked, keyed, optionalDate, requireCode, requireDate, requireName, requireString, requireTimestamp } from '../shared/fields.js';

export const LEGAL_TYPES = ['DNTN', 'TNHH1TV', 'TNHH2TV', 'CP'] as const;
export const BUSINESS_STATUSES = ['active', 'suspended', 'dissolved'] as const;

/** `core.business`: one row per enterprise code; status changes kept in `core.business_status_history`. */
export const BUSINESS_TABLE: TableTarget = {
  table: 'core.business',
  key: ['enterprise_code'],
  doc: 'An enterprise from the national business registration database, current state.',
  columns: [
    { name: 'enterprise_code', type: 'text', doc: 'Enterprise code = tax code: 10 digits with a valid check digit, optionally -NNN for a branch.' },
    { name: 'name', type: 'text', doc: 'Registered name, NFC, trimmed, inner spaces collapsed.' },
    { name: 'legal_type', type: 'text', doc: 'Legal form: DNTN, TNHH1TV, TNHH2TV or CP.' },
    { name: 'legal_representative_id', type: 'char(12)', doc: 'Personal ID of the legal representative (validated).' },
    { name: 'commune_code', type: 'char(5)', doc: 'GSO code of the commune of the head office.' },
    { name: 'registration_date', type: 'date', bounds: { notAfter: 'now' }, doc: 'Date of first registration.' },
    { name: 'dissolution_date', type: 'date', nullable: true, bounds: { notAfter: 'now' }, doc: 'Date of dissolution; null unless dissolved.' },
    { name: 'status', type: 'text', doc: 'Registry status: active, suspended or dissolved.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the registry last changed the record.' },
  ],
  history: { table: 'core.business_status_history', tracked: ['status'], validFrom: 'source_updated_at' },
};

/** Raw `vn.lgsp.raw.business.Enterprise` → `core.business` row. Pure; throws {@link TransformError} naming the field. */
export function enterpriseToRow(value: Record<string, unknown>): Row {
  const code = checked('enterpriseCode', requireString(value, 'enterpriseCode').trim(), enterpriseCodeProblem);
  const representative = checked('legalRepresentativeId', requireString(value, 'legalRepresentativeId').trim(), (id) => personalIdProblem(id));
  const commune = checked('communeCode', requireString(value, 'communeCode').trim(), communeCodeProblem);
  const registered = requireDate(value, 'registrationDate');
  const dissolved = optionalDate(value, 'dissolutionDate');
  if (dissolved !== null && dissolved < registered) throw new TransformError('dissolutionDate', `${dissolved} is before the registration date ${registered}`);
  const status = requireCode(value, 'status', BUSINESS_STATUSES);
  return [
    code,
    requireName(value, 'name'),
    requireCode(value, 'legalType', LEGAL_TYPES),
    representative,
    commune,
    registered,
    dissolved,
    status,
    requireTimestamp(value, 'updatedAt'),
  ];
}

/** Key columns from a Kafka key: a valid enterprise code. */
export function enterpriseKey(messageKey: string): Row {
  return keyed(messageKey, enterpriseCodeProblem);
}
