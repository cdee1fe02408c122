import type { SqlStreamDefinition } from '../../src/connect/sql-stream.js';
import { checkAllText, checkLength, checkRange, type Problems } from '../../src/domain/field-checks.js';
import { orNull, type Row } from './rows.js';

/** `onestop.dossier_component` (key: dossier, seq) → `lgsp.raw.onestop.dossier_component.v1`. */
export function dossierComponentsStream(schema: string, pageSize: number): SqlStreamDefinition {
  return {
    name: 'dossier_components',
    entity: 'dossier_component',
    valueSchema: 'vn.lgsp.raw.onestop.DossierComponent',
    table: `${schema}.dossier_component`,
    keyColumns: ['dossier_code', 'seq'],
    keyFields: ['dossierCode', 'seq'],
    cursorColumn: 'updated_at',
    deletedColumn: 'deleted_at',
    pageSize,
    toValue: (row: Row) => ({
      dossierCode: row['dossier_code'],
      seq: row['seq'],
      documentType: row['document_type'],
      suppliedByApplicant: row['supplied_by_applicant'],
      digitised: row['digitised'],
      reused: row['reused'],
      fromNationalStore: row['from_national_store'],
      replacementResultCode: orNull(row['replacement_result_code']),
      updatedAt: row['updated_at'],
    }),
    check: checkDossierComponent,
  };
}

export function checkDossierComponent(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  checkLength(problems, 'dossierCode', value['dossierCode'], 64);
  checkRange(problems, 'seq', value['seq'], 1);
  checkLength(problems, 'documentType', value['documentType'], 100);
  checkLength(problems, 'replacementResultCode', value['replacementResultCode'], 64);
  return problems;
}
