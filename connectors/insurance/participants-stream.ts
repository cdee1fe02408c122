import type { PagedStreamDefinition, ServedItem } from '../../src/connect/paged-stream.js';
import { checkAllText, checkIdentifier, checkOrder, type Problems } from '../../src/domain/field-checks.js';
import { enterpriseCodeProblem, insuranceCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';

/** Health-insurance card number: 2-letter group + benefit-level digit + 2-digit province + the 10-digit BHXH code. */
const HEALTH_CARD = /^[A-Z]{2}\d{3}(\d{10})$/;

/** `GET /insurance/v1/participants` → `lgsp.raw.insurance.participant.v1`. */
export function participantsStream(pageSize: number): PagedStreamDefinition {
  return {
    name: 'participants',
    entity: 'participant',
    valueSchema: 'vn.lgsp.raw.insurance.Participant',
    primaryKey: 'insuranceCode',
    path: 'participants',
    pageSize,
    toValue: (item: ServedItem) => ({
      insuranceCode: item['insuranceCode'],
      personalId: item['personalId'],
      employerCode: item['employerCode'] ?? null,
      contributionPeriods: Array.isArray(item['contributionPeriods'])
        ? (item['contributionPeriods'] as Record<string, unknown>[]).map((p) => ({ from: p['from'], to: p['to'] ?? null, employerCode: p['employerCode'] ?? null }))
        : item['contributionPeriods'],
      healthCardNumber: item['healthCardNumber'],
      updatedAt: typeof item.updatedAt === 'string' ? new Date(item.updatedAt) : item.updatedAt,
    }),
    check: checkParticipant,
  };
}

export function checkParticipant(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  const code = value['insuranceCode'];
  checkIdentifier(problems, 'insuranceCode', code, insuranceCodeProblem);
  checkIdentifier(problems, 'personalId', value['personalId'], (id) => personalIdProblem(id));
  checkIdentifier(problems, 'employerCode', value['employerCode'], enterpriseCodeProblem);
  const card = value['healthCardNumber'];
  if (typeof card === 'string') {
    const match = HEALTH_CARD.exec(card);
    if (match === null) problems.push(`healthCardNumber: must be 2 letters and 13 digits (got ${card.length} characters)`);
    else if (typeof code === 'string' && match[1] !== code) problems.push(`healthCardNumber: does not end with the insurance code ${code}`);
  }
  const periods = Array.isArray(value['contributionPeriods']) ? (value['contributionPeriods'] as Record<string, unknown>[]) : [];
  periods.forEach((period, i) => {
    checkIdentifier(problems, `contributionPeriods.${i}.employerCode`, period['employerCode'], enterpriseCodeProblem);
    checkOrder(problems, `contributionPeriods.${i}.from`, period['from'], `contributionPeriods.${i}.to`, period['to'], true);
    const previous = periods[i - 1];
    if (previous !== undefined) checkOrder(problems, `contributionPeriods.${i - 1}.to`, previous['to'], `contributionPeriods.${i}.from`, period['from']);
  });
  return problems;
}
