/**
 * Hostile records a national database may serve, one case each: what the store holds, and where
 * the record must end — the stream's dead-letter topic with a reason naming the field, or the
 * warehouse exactly as given (odd but valid). Strings spell jsonb-unsafe code units as markers
 * (`codeUnit('0000')`), which the crafted adapter expands when it serves the body.
 */
import { enterpriseCheckDigit } from '../../src/domain/identifiers.js';
import { codeUnit } from '../harness/crafted-source.js';

export type CorpusSource = 'population' | 'business' | 'insurance';

export type ConnectorExpectation =
  /** Dead-lettered; the reason names this field (`field: …`). */
  | { readonly dlq: string }
  /** Produced and loaded; `column` of the core row keyed by the case's id holds exactly `value`. */
  | { readonly loads: { readonly table: string; readonly key: string; readonly column: string; readonly value: string } };

export interface ConnectorCase {
  readonly name: string;
  readonly source: CorpusSource;
  /** The record's id in the store: its primary key as served (the Kafka key). */
  readonly id: string;
  /** The body as stored, without `updatedAt` (the test stamps it); an `undefined` field is absent. */
  readonly body: Record<string, unknown>;
  readonly expect: ConnectorExpectation;
}

/** The first valid enterprise code at or after a nine-digit serial. */
export function enterpriseCode(serial: number): string {
  for (let n = serial; ; n += 1) {
    const nine = String(n).padStart(9, '0');
    const check = enterpriseCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

const SQL_NAME = "Robert'); DROP TABLE core.citizen;--";

const citizen = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  personalId: `0841950001${String(n).padStart(2, '0')}`,
  fullName: 'Thạch Thị Sa Rết',
  birthDate: '1995-03-04',
  sex: 'F',
  householdId: `HGD-CORPUS-${n}`,
  residenceCommuneCode: '29236',
  deathDate: null,
  ...overrides,
});

const citizenCase = (name: string, n: number, overrides: Record<string, unknown>, expect: ConnectorExpectation): ConnectorCase => {
  const body = citizen(n, overrides);
  return { name, source: 'population', id: String(body['personalId']), body, expect };
};

const citizenLoads = (fullName: string): ConnectorExpectation => ({ loads: { table: 'core.citizen', key: 'personal_id', column: 'full_name', value: fullName } });

const enterprise = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  enterpriseCode: enterpriseCode(210000000 + n * 17),
  name: 'Công ty TNHH Thương mại Trà Vinh',
  legalType: 'TNHH1TV',
  legalRepresentativeId: '084195000123',
  communeCode: '29236',
  registrationDate: '2020-05-12',
  dissolutionDate: null,
  status: 'active',
  ...overrides,
});

const enterpriseCase = (name: string, n: number, overrides: Record<string, unknown>, expect: ConnectorExpectation): ConnectorCase => {
  const body = enterprise(n, overrides);
  return { name, source: 'business', id: String(body['enterpriseCode']), body, expect };
};

const participant = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => {
  const code = `84000001${String(n).padStart(2, '0')}`;
  return {
    insuranceCode: code,
    personalId: '084195000123',
    employerCode: null,
    contributionPeriods: [{ from: '2020-01-01', to: null, employerCode: null }],
    healthCardNumber: `GD484${code}`,
    ...overrides,
  };
};

const participantCase = (name: string, n: number, overrides: Record<string, unknown>, expect: ConnectorExpectation): ConnectorCase => ({
  name,
  source: 'insurance',
  id: `84000001${String(n).padStart(2, '0')}`,
  body: participant(n, overrides),
  expect,
});

export const CONNECTOR_CASES: readonly ConnectorCase[] = [
  // Odd but valid: must load exactly as given.
  citizenCase('valid baseline (Khmer name, Vietnamese diacritics)', 1, {}, citizenLoads('Thạch Thị Sa Rết')),
  citizenCase('SQL-looking name', 2, { fullName: SQL_NAME }, citizenLoads(SQL_NAME)),
  citizenCase('name with apostrophe, backslash, percent and quotes', 3, { fullName: `O'Brien \\ 100% "Nguyễn"` }, citizenLoads(`O'Brien \\ 100% "Nguyễn"`)),
  citizenCase('name of exactly 200 characters', 4, { fullName: 'A'.repeat(200) }, citizenLoads('A'.repeat(200))),

  // Identifiers.
  citizenCase('personal ID of 11 digits', 10, { personalId: '08419500011' }, { dlq: 'personalId' }),
  citizenCase('personal ID with letters', 11, { personalId: '08419500O111' }, { dlq: 'personalId' }),
  citizenCase('personal ID with province code 097', 12, { personalId: '097195000112' }, { dlq: 'personalId' }),
  citizenCase('personal ID with century/sex digit 5', 13, { personalId: '084595000113' }, { dlq: 'personalId' }),
  citizenCase('personal ID encoding another birth year', 14, { personalId: '084188000114' }, { dlq: 'personalId' }),
  citizenCase('commune code of letters', 15, { residenceCommuneCode: 'ABCDE' }, { dlq: 'residenceCommuneCode' }),
  citizenCase('sex outside the enum', 16, { sex: 'X' }, { dlq: 'sex' }),

  // Impossible dates.
  citizenCase('birth date 2021-02-30', 20, { personalId: '084221000120', birthDate: '2021-02-30' }, { dlq: 'birthDate' }),
  citizenCase('birth date 2021-13-01', 21, { personalId: '084221000121', birthDate: '2021-13-01' }, { dlq: 'birthDate' }),
  citizenCase('birth date not a date at all', 22, { birthDate: '04/03/1995' }, { dlq: 'birthDate' }),

  // Oversized and empty fields.
  citizenCase('name of 201 characters', 30, { fullName: 'A'.repeat(201) }, { dlq: 'fullName' }),
  citizenCase('name of 100,000 characters', 31, { fullName: 'Nguyễn '.repeat(14_286) }, { dlq: 'fullName' }),
  citizenCase('empty name', 32, { fullName: '' }, { dlq: 'fullName' }),
  citizenCase('whitespace-only name', 33, { fullName: ' \t  ' }, { dlq: 'fullName' }),
  citizenCase('empty household ID', 34, { householdId: '' }, { dlq: 'householdId' }),
  citizenCase('household ID of 10,000 characters', 35, { householdId: 'H'.repeat(10_000) }, { dlq: 'householdId' }),

  // Broken text.
  citizenCase('name with a lone high surrogate', 40, { fullName: `Lê ${codeUnit('D800')}Văn` }, { dlq: 'fullName' }),
  citizenCase('name with a lone low surrogate', 41, { fullName: `Lê ${codeUnit('DC00')} Văn` }, { dlq: 'fullName' }),
  citizenCase('name with U+FFFD (invalid UTF-8 upstream)', 42, { fullName: 'Lê V\uFFFDn An' }, { dlq: 'fullName' }),
  citizenCase('name with NUL', 43, { fullName: `Lê Văn${codeUnit('0000')} An` }, { dlq: 'fullName' }),
  citizenCase('name with BEL (\\u0007)', 44, { fullName: `Lê Văn\u0007 An` }, { dlq: 'fullName' }),
  citizenCase('name with a right-to-left override (U+202E)', 45, { fullName: `Lê \u202EnAV` }, { dlq: 'fullName' }),
  citizenCase('name with a first-strong isolate (U+2068)', 46, { fullName: `Lê \u2068Văn\u2069 An` }, { dlq: 'fullName' }),
  citizenCase('household ID with ESC (\\u001B)', 47, { householdId: 'HGD-\u001B[31m' }, { dlq: 'householdId' }),
  citizenCase('name with C1 control (U+0085)', 48, { fullName: 'Lê\u0085Văn' }, { dlq: 'fullName' }),

  // Missing required fields.
  citizenCase('no full name', 50, { fullName: undefined }, { dlq: 'fullName' }),
  citizenCase('no birth date', 51, { birthDate: undefined }, { dlq: 'birthDate' }),
  citizenCase('name null', 52, { fullName: null }, { dlq: 'fullName' }),

  // Wrong types.
  citizenCase('commune code as a number', 60, { residenceCommuneCode: 29236 }, { dlq: 'residenceCommuneCode' }),
  citizenCase('name as an object', 61, { fullName: { vi: 'Lê Văn An' } }, { dlq: 'fullName' }),
  citizenCase('name as an array', 62, { fullName: ['Lê', 'Văn', 'An'] }, { dlq: 'fullName' }),
  citizenCase('birth date as epoch days', 63, { birthDate: 9193 }, { dlq: 'birthDate' }),

  // Business registry.
  enterpriseCase('valid enterprise with SQL-looking name', 1, { name: "ACME'; DELETE FROM core.business;--" }, {
    loads: { table: 'core.business', key: 'enterprise_code', column: 'name', value: "ACME'; DELETE FROM core.business;--" },
  }),
  { name: 'enterprise code with a wrong check digit', source: 'business', id: wrongCheckDigit(enterpriseCode(210000500)), body: enterprise(2, { enterpriseCode: wrongCheckDigit(enterpriseCode(210000500)) }), expect: { dlq: 'enterpriseCode' } },
  enterpriseCase('enterprise name with NUL', 3, { name: `ACME${codeUnit('0000')}` }, { dlq: 'name' }),
  enterpriseCase('enterprise name of 256 characters', 4, { name: 'C'.repeat(256) }, { dlq: 'name' }),
  enterpriseCase('registration date 2021-02-30', 5, { registrationDate: '2021-02-30' }, { dlq: 'registrationDate' }),
  enterpriseCase('legal representative with a bad personal ID', 6, { legalRepresentativeId: '999195000123' }, { dlq: 'legalRepresentativeId' }),
  enterpriseCase('legal type with a bidi override', 7, { legalType: 'TNHH\u202E1TV' }, { dlq: 'legalType' }),

  // Social insurance.
  participantCase('valid participant', 1, {}, { loads: { table: 'core.insurance_participant', key: 'insurance_code', column: 'insurance_code', value: '8400000101' } }),
  { name: 'BHXH code of 9 digits', source: 'insurance', id: '840000102', body: participant(2, { insuranceCode: '840000102', healthCardNumber: 'GD484840000102' }), expect: { dlq: 'insuranceCode' } },
  participantCase('contribution periods as an object', 3, { contributionPeriods: { from: '2020-01-01', to: null, employerCode: null } }, { dlq: 'contributionPeriods' }),
  participantCase('contribution period from 2021-02-30', 4, { contributionPeriods: [{ from: '2021-02-30', to: null, employerCode: null }] }, { dlq: 'contributionPeriods.0.from' }),
  participantCase('health card of another participant', 5, { healthCardNumber: 'GD4848400000199' }, { dlq: 'healthCardNumber' }),
  participantCase('personal ID as a number', 6, { personalId: 84195000123 }, { dlq: 'personalId' }),
];

/** The same code with its check digit moved on by one. */
function wrongCheckDigit(code: string): string {
  return `${code.slice(0, 9)}${(Number(code[9]) + 1) % 10}`;
}
