import type { ServedItem } from '../../src/connect/paged-stream.js';
import type { WindowedStreamDefinition } from '../../src/connect/windowed-stream.js';
import { checkAllText, checkIdentifier, checkLength, checkOneOf, checkOrder, type Problems } from '../../src/domain/field-checks.js';
import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';

/** Registered names longer than this are a source defect (the registry's own limit is lower). */
export const MAX_ENTERPRISE_NAME = 255;
const LEGAL_TYPES = ['DNTN', 'TNHH1TV', 'TNHH2TV', 'CP'] as const;
const STATUSES = ['active', 'suspended', 'dissolved'] as const;

/** `GET /business/v1/enterprises` (5-day windows) → `lgsp.raw.business.enterprise.v1`. */
export function enterprisesStream(options: Pick<WindowedStreamDefinition, 'pageSize' | 'windowDays' | 'snapshotFrom' | 'lookahead'>): WindowedStreamDefinition {
  return {
    name: 'enterprises',
    entity: 'enterprise',
    valueSchema: 'vn.lgsp.raw.business.Enterprise',
    primaryKey: 'enterpriseCode',
    path: 'enterprises',
    ...options,
    toValue: (item: ServedItem) => ({
      enterpriseCode: item['enterpriseCode'],
      name: item['name'],
      legalType: item['legalType'],
      legalRepresentativeId: item['legalRepresentativeId'],
      communeCode: item['communeCode'],
      registrationDate: item['registrationDate'],
      dissolutionDate: item['dissolutionDate'] ?? null,
      status: item['status'],
      updatedAt: typeof item.updatedAt === 'string' ? new Date(item.updatedAt) : item.updatedAt,
    }),
    check: checkEnterprise,
  };
}

export function checkEnterprise(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  checkIdentifier(problems, 'enterpriseCode', value['enterpriseCode'], enterpriseCodeProblem);
  checkLength(problems, 'name', value['name'], MAX_ENTERPRISE_NAME);
  checkOneOf(problems, 'legalType', value['legalType'], LEGAL_TYPES);
  checkIdentifier(problems, 'legalRepresentativeId', value['legalRepresentativeId'], (id) => personalIdProblem(id));
  checkIdentifier(problems, 'communeCode', value['communeCode'], communeCodeProblem);
  checkOrder(problems, 'registrationDate', value['registrationDate'], 'dissolutionDate', value['dissolutionDate']);
  checkOneOf(problems, 'status', value['status'], STATUSES);
  if ((value['status'] === 'dissolved') !== (value['dissolutionDate'] !== null && value['dissolutionDate'] !== undefined)) {
    problems.push(`dissolutionDate: must be set exactly when status is dissolved (status ${String(value['status'])})`);
  }
  return problems;
}
