import type { SqlStreamDefinition } from '../../src/connect/sql-stream.js';
import { checkAllText, checkLength, checkOneOf, checkRange, type Problems } from '../../src/domain/field-checks.js';
import { orNull, type Row } from './rows.js';

const LEVELS = ['province', 'district', 'commune'] as const;
/** National procedure code (mã TTHC), e.g. 1.001612. */
const PROCEDURE_CODE = /^\d\.\d{6}$/;

/** `onestop.procedure` → `lgsp.raw.onestop.procedure.v1`. */
export function proceduresStream(schema: string, pageSize: number): SqlStreamDefinition {
  return {
    name: 'procedures',
    entity: 'procedure',
    valueSchema: 'vn.lgsp.raw.onestop.Procedure',
    table: `${schema}.procedure`,
    keyColumns: ['procedure_code'],
    keyFields: ['procedureCode'],
    cursorColumn: 'updated_at',
    pageSize,
    toValue: (row: Row) => ({
      procedureCode: row['procedure_code'],
      name: row['name'],
      level: row['level'],
      fee: row['fee'],
      resultIsDocument: row['result_is_document'],
      resultDocumentType: orNull(row['result_document_type']),
      processingDays: row['processing_days'],
      requiredDocuments: JSON.stringify(row['required_documents']),
      updatedAt: row['updated_at'],
    }),
    check: checkProcedure,
  };
}

export function checkProcedure(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  const code = value['procedureCode'];
  if (typeof code === 'string' && !PROCEDURE_CODE.test(code)) problems.push(`procedureCode: ${code} is not a national procedure code like 1.001612`);
  checkLength(problems, 'name', value['name'], 500);
  checkOneOf(problems, 'level', value['level'], LEVELS);
  checkRange(problems, 'fee', value['fee'], 0);
  checkRange(problems, 'processingDays', value['processingDays'], 0, 365);
  const documents = value['requiredDocuments'];
  if (typeof documents === 'string' && !documents.startsWith('[')) problems.push('requiredDocuments: must be a JSON array');
  return problems;
}
