import type { SqlStreamDefinition } from '../../src/connect/sql-stream.js';
import { checkAllText, checkLength, checkOneOf, checkOrder, checkRange, type Problems } from '../../src/domain/field-checks.js';
import { orNull, type Row } from './rows.js';

const LEVELS = ['province', 'district', 'commune'] as const;

/** `onestop.agency` → `lgsp.raw.onestop.agency.v1`. */
export function agenciesStream(schema: string, pageSize: number): SqlStreamDefinition {
  return {
    name: 'agencies',
    entity: 'agency',
    valueSchema: 'vn.lgsp.raw.onestop.Agency',
    table: `${schema}.agency`,
    keyColumns: ['agency_code'],
    keyFields: ['agencyCode'],
    cursorColumn: 'updated_at',
    pageSize,
    toValue: (row: Row) => ({
      agencyCode: row['agency_code'],
      name: row['name'],
      level: row['level'],
      unitCode: row['unit_code'],
      oneStopStaff: row['one_stop_staff'],
      validFrom: row['valid_from'],
      validTo: orNull(row['valid_to']),
      updatedAt: row['updated_at'],
    }),
    check: checkAgency,
  };
}

export function checkAgency(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  checkLength(problems, 'agencyCode', value['agencyCode'], 40);
  checkLength(problems, 'name', value['name'], 300);
  checkOneOf(problems, 'level', value['level'], LEVELS);
  checkRange(problems, 'oneStopStaff', value['oneStopStaff'], 0);
  checkOrder(problems, 'validFrom', value['validFrom'], 'validTo', value['validTo']);
  return problems;
}
