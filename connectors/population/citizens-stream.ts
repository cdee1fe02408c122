import { checkAllText, checkLength } from '../../src/domain/field-checks.js';
import { communeCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import type { PagedStreamDefinition, ServedItem } from '../../src/connect/paged-stream.js';

/** Names longer than this are a source defect, not a person. */
const MAX_NAME_LENGTH = 200;
/** Household IDs are short codes; a longer one is a source defect. */
const MAX_HOUSEHOLD_ID_LENGTH = 64;

/** `GET /population/v1/citizens` → `lgsp.raw.population.citizen.v1`. */
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
    }),
    check: (value) => {
      const problems: string[] = [];
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
