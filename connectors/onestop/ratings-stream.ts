import type { SqlStreamDefinition } from '../../src/connect/sql-stream.js';
import { checkAllText, checkLength, checkOneOf, type Problems } from '../../src/domain/field-checks.js';
import type { Row } from './rows.js';

const RATINGS = ['satisfied', 'neutral', 'dislike', 'complaint'] as const;

/** `onestop.rating` → `lgsp.raw.onestop.rating.v1`. */
export function ratingsStream(schema: string, pageSize: number): SqlStreamDefinition {
  return {
    name: 'ratings',
    entity: 'rating',
    valueSchema: 'vn.lgsp.raw.onestop.Rating',
    table: `${schema}.rating`,
    keyColumns: ['dossier_code'],
    keyFields: ['dossierCode'],
    cursorColumn: 'updated_at',
    pageSize,
    toValue: (row: Row) => ({ dossierCode: row['dossier_code'], rating: row['rating'], updatedAt: row['updated_at'] }),
    check: checkRating,
  };
}

export function checkRating(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  checkLength(problems, 'dossierCode', value['dossierCode'], 64);
  checkOneOf(problems, 'rating', value['rating'], RATINGS);
  return problems;
}
