import { enterpriseCodeProblem, insuranceCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { type Row, type RowWithChildren, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { checked, keyed, inChild, optionalDate, optionalString, requireDate, requireRecords, requireString, requireTimestamp } from '../shared/fields.js';

/** `core.insurance_participant` with its contribution periods in `core.insurance_contribution_period`. */
export const PARTICIPANT_TABLE: TableTarget = {
  table: 'core.insurance_participant',
  key: ['insurance_code'],
  doc: 'A social-insurance participant from the national social insurance database, current state.',
  columns: [
    { name: 'insurance_code', type: 'char(10)', doc: 'Social insurance code (ma so BHXH): 10 digits.' },
    { name: 'personal_id', type: 'char(12)', doc: 'Personal ID of the insured citizen (validated).' },
    { name: 'employer_code', type: 'text', nullable: true, doc: 'Enterprise code of the employer of the latest period; null for voluntary contributions.' },
    { name: 'health_card_number', type: 'text', doc: 'Health-insurance card: 2 letters, benefit digit, 2-digit province, then the insurance code.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the source last changed the record.' },
  ],
  children: [
    {
      name: 'periods',
      table: 'core.insurance_contribution_period',
      doc: 'A contribution period of a participant.',
      columns: [
        { name: 'insurance_code', type: 'char(10)', doc: 'Participant.' },
        { name: 'seq', type: 'integer', bounds: { min: 1, max: 10_000 }, doc: 'Position in the source array, 1 = oldest.' },
        { name: 'period_from', type: 'date', bounds: { notAfter: 'now' }, doc: 'First day of the period.' },
        { name: 'period_to', type: 'date', nullable: true, doc: 'Day after the last day (exclusive); null while still contributing.' },
        { name: 'employer_code', type: 'text', nullable: true, doc: 'Employer; null for voluntary contributions.' },
      ],
    },
  ],
};

const HEALTH_CARD = /^[A-Z]{2}\d(\d{2})(\d{10})$/;

/** Raw `vn.lgsp.raw.insurance.Participant` → participant row + period rows. Pure. */
export function participantToRows(value: Record<string, unknown>): RowWithChildren {
  const code = checked('insuranceCode', requireString(value, 'insuranceCode').trim(), insuranceCodeProblem);
  const personalId = checked('personalId', requireString(value, 'personalId').trim(), (id) => personalIdProblem(id));
  const employer = optionalString(value, 'employerCode');
  if (employer !== null) checked('employerCode', employer, enterpriseCodeProblem);
  const card = requireString(value, 'healthCardNumber').trim().toUpperCase();
  const match = HEALTH_CARD.exec(card);
  if (match === null) throw new TransformError('healthCardNumber', 'must be 2 letters, a benefit digit, a 2-digit province and the 10-digit insurance code');
  if (match[2] !== code) throw new TransformError('healthCardNumber', `ends in ${match[2]}, not the insurance code ${code}`);
  const periods = requireRecords(value, 'contributionPeriods').map((p, i) =>
    inChild(`contributionPeriods[${i}]`, () => {
      const from = requireDate(p, 'from');
      const to = optionalDate(p, 'to');
      if (to !== null && to <= from) throw new TransformError('to', `${to} is not after ${from}`);
      const periodEmployer = optionalString(p, 'employerCode');
      if (periodEmployer !== null) checked('employerCode', periodEmployer, enterpriseCodeProblem);
      return [code, i + 1, from, to, periodEmployer] as Row;
    }),
  );
  return { row: [code, personalId, employer, card, requireTimestamp(value, 'updatedAt')], children: { periods } };
}

/** Key columns from a Kafka key: a valid insurance code. */
export function participantKey(messageKey: string): Row {
  return keyed(messageKey, insuranceCodeProblem);
}
