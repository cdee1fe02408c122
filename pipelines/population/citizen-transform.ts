import { communeCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { type Row, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { keyed, requireString } from '../shared/fields.js';

/** `core.citizen`: one row per personal ID. Column order = the transform's value order. */
export const CITIZEN_TABLE: TableTarget = {
  table: 'core.citizen',
  doc: 'A citizen from the national population database, current state.',
  key: ['personal_id'],
  columns: [
    { name: 'personal_id', type: 'char(12)', doc: 'Personal ID (12 digits), validated against the birth date.' },
    { name: 'full_name', type: 'text', bounds: { maxLength: 200 }, doc: 'Full name, NFC, trimmed, inner spaces collapsed.' },
    { name: 'birth_date', type: 'date', bounds: { notAfter: 'now' }, doc: 'Date of birth.' },
    { name: 'sex', type: 'char(1)', doc: 'M or F.' },
    { name: 'household_id', type: 'text', bounds: { maxLength: 64 }, doc: 'Household the citizen belongs to (core.household).' },
    { name: 'residence_commune_code', type: 'char(5)', doc: 'GSO code of the commune of permanent residence (history in core.citizen_residence_history).' },
    { name: 'death_date', type: 'date', nullable: true, bounds: { notAfter: 'now' }, doc: 'Date of death, when the citizen has died.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the population database last changed the record.' },
    {
      name: 'vneid_level',
      type: 'smallint',
      nullable: true,
      bounds: { min: 1, max: 2 },
      doc: 'Level of the citizen\'s e-identification account (VNeID): 1 registered in the app, 2 identity verified by the police (accepted by online public services in place of the ID card). NULL: no account, or not known yet — the row was loaded from a raw v1 message (written before the population database served the field, or by a connector not yet upgraded) and the citizen has not changed since.',
    },
  ],
  // Residence over time: a move closes the old commune at the change's source_updated_at.
  history: { table: 'core.citizen_residence_history', tracked: ['residence_commune_code'], validFrom: 'source_updated_at' },
};

/** Household IDs are short codes (the population connector dead-letters longer ones). */
const MAX_HOUSEHOLD_ID_LENGTH = 64;

/** Unicode NFC, trimmed, inner whitespace collapsed: one spelling per name. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/**
 * Raw population citizen (decoded `vn.lgsp.raw.population.Citizen`) → `core.citizen` row.
 * Pure: the same record always gives the same row. Throws {@link TransformError} naming the field.
 */
export function citizenToRow(value: Record<string, unknown>): Row {
  const personalId = requireString(value, 'personalId');
  const birthDate = requireString(value, 'birthDate');
  const idProblem = personalIdProblem(personalId, birthDate);
  if (idProblem !== null) throw new TransformError('personalId', idProblem);
  const fullName = normaliseName(requireString(value, 'fullName'));
  if (fullName.length === 0) throw new TransformError('fullName', 'is empty');
  const commune = requireString(value, 'residenceCommuneCode');
  const communeProblem = communeCodeProblem(commune);
  if (communeProblem !== null) throw new TransformError('residenceCommuneCode', communeProblem);
  const sex = requireString(value, 'sex');
  if (sex !== 'M' && sex !== 'F') throw new TransformError('sex', `must be M or F, not ${sex}`);
  const deathDate = value['deathDate'];
  if (deathDate !== null && deathDate !== undefined && typeof deathDate !== 'string') throw new TransformError('deathDate', 'is not a date');
  if (typeof deathDate === 'string' && deathDate < birthDate) throw new TransformError('deathDate', `${deathDate} is before the birth date ${birthDate}`);
  const updatedAt = value['updatedAt'];
  if (!(updatedAt instanceof Date) || Number.isNaN(updatedAt.getTime())) throw new TransformError('updatedAt', 'is not a timestamp');
  const householdId = requireString(value, 'householdId').trim();
  if (householdId.length === 0 || householdId.length > MAX_HOUSEHOLD_ID_LENGTH) throw new TransformError('householdId', `length ${householdId.length} is outside 1..${MAX_HOUSEHOLD_ID_LENGTH}`);
  return [personalId, fullName, birthDate, sex, householdId, commune, deathDate ?? null, updatedAt.toISOString(), vneidLevelOf(value)];
}

/** Raw v2's `vneidLevel`: 1, 2 or null; a v1 message, resolved to v2, reads as null. */
function vneidLevelOf(value: Record<string, unknown>): number | null {
  const level = value['vneidLevel'] ?? null;
  if (level !== null && level !== 1 && level !== 2) throw new TransformError('vneidLevel', `must be 1, 2 or null, not ${JSON.stringify(level)}`);
  return level;
}

/** Key columns from a Kafka key: a valid personal ID. */
export function citizenKey(messageKey: string): Row {
  return keyed(messageKey, (id) => personalIdProblem(id));
}
