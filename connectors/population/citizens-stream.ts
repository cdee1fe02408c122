import { checkAllText, checkLength } from '../../src/domain/field-checks.js';
import { communeCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import type { PagedStreamDefinition, ServedItem } from '../../src/connect/paged-stream.js';

/** Names longer than this are a source defect, not a person. */
const MAX_NAME_LENGTH = 200;
/** Household IDs are short codes; a longer one is a source defect. */
const MAX_HOUSEHOLD_ID_LENGTH = 64;

/** Raw schema v2 added `vneidLevel`: the population database serves it from the day it records e-identification. */
const VNEID_LEVEL = 'vneidLevel';

/**
 * `GET /population/v1/citizens` → `lgsp.raw.population.citizen.v1`. A citizen the source serves
 * with `vneidLevel` is written with raw schema v2, one without it (a source not yet serving the
 * field) with v1 — so during the change the topic holds both, and pipelines deployed before v2
 * keep reading what the source has not changed.
 */
export function citizensStream(pageSize: number): PagedStreamDefinition {
  return {
    name: 'citizens',
    entity: 'citizen',
    valueSchema: 'vn.lgsp.raw.population.Citizen',
    primaryKey: 'personalId',
    path: 'citizens',
    pageSize,
    toValue: (item: ServedItem) => ({
      personalId: item['personalId'],
      fullName: item['fullName'],
      birthDate: item['birthDate'],
      sex: item['sex'],
      householdId: item['householdId'],
      residenceCommuneCode: item['residenceCommuneCode'],
      deathDate: item['deathDate'] ?? null,
      updatedAt: typeof item.updatedAt === 'string' ? new Date(item.updatedAt) : item.updatedAt,
      ...(VNEID_LEVEL in item ? { [VNEID_LEVEL]: item[VNEID_LEVEL] ?? null } : {}),
    }),
    valueSchemaVersion: (value) => (VNEID_LEVEL in value ? 2 : 1),
    check: (value) => {
      const problems: string[] = [];
      const level = value[VNEID_LEVEL] ?? null;
      if (level !== null && level !== 1 && level !== 2) problems.push(`${VNEID_LEVEL}: must be 1, 2 or null, not ${JSON.stringify(level)}`);
      checkAllText(problems, value);
      const id = value['personalId'];
      const birthDate = value['birthDate'];
      if (typeof id === 'string') {
        const problem = personalIdProblem(id, typeof birthDate === 'string' ? birthDate : undefined);
        if (problem !== null) problems.push(`personalId: ${problem}`);
      }
      const name = value['fullName'];
      if (typeof name === 'string' && (name.trim().length === 0 || name.length > MAX_NAME_LENGTH)) {
        problems.push(`fullName: length ${name.length} is outside 1..${MAX_NAME_LENGTH}`);
      }
      checkLength(problems, 'householdId', value['householdId'], MAX_HOUSEHOLD_ID_LENGTH);
      const commune = value['residenceCommuneCode'];
      if (typeof commune === 'string') {
        const problem = communeCodeProblem(commune);
        if (problem !== null) problems.push(`residenceCommuneCode: ${problem}`);
      }
      return problems;
    },
  };
}
