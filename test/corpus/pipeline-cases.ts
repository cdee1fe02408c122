/**
 * Hostile messages written straight to a raw topic, bypassing the connectors: bytes that match no
 * schema, and valid Avro whose content breaks a transform rule or a table constraint. Each must
 * end in `meta.rejected_records` (and the DLQ) with a reason naming the field or the decode
 * problem — or, for the odd-but-valid ones, load exactly as given.
 */
import { createHash } from 'node:crypto';
import type { Catalogue } from '../../src/avro/catalogue.js';
import { enterpriseCheckDigit } from '../../src/domain/identifiers.js';

export type CorpusPipeline = 'population' | 'business' | 'insurance' | 'land' | 'onestop';

export type PipelineExpectation =
  /** Rejected: `meta.rejected_records.reason` (and the dead letter's `lgsp.error.reason`) matches. */
  | { readonly rejected: RegExp }
  /** Loaded: `column` of the core row keyed by the case's key holds exactly `value`. */
  | { readonly loads: { readonly table: string; readonly key: string; readonly column: string; readonly value: string } };

export interface PipelineCase {
  readonly name: string;
  readonly source: CorpusPipeline;
  readonly entity: string;
  readonly key: string;
  /** The message value as written to the topic. */
  readonly value: (catalogue: Catalogue) => Buffer;
  readonly expect: PipelineExpectation;
}

const CITIZEN = 'vn.lgsp.raw.population.Citizen';
const UPDATED_AT = new Date('2025-06-01T02:00:00.000Z');

export const citizenValue = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  personalId: pipelineCitizenId(n),
  fullName: 'Kim Thị Sóc Khanh',
  birthDate: '1995-03-04',
  sex: 'F',
  householdId: `HGD-PIPE-${n}`,
  residenceCommuneCode: '29236',
  deathDate: null,
  updatedAt: UPDATED_AT,
  ...overrides,
});

/** Personal IDs of this file's citizens (distinct from the connector cases'). */
export function pipelineCitizenId(n: number): string {
  return `0841950002${String(n).padStart(2, '0')}`;
}

/** A citizen encoded with `placeholder` in its name, then those bytes replaced by `bytes` (same length). */
function patchedName(catalogue: Catalogue, n: number, placeholder: string, bytes: readonly number[]): Buffer {
  const encoded = catalogue.encode(CITIZEN, citizenValue(n, { fullName: `Lê ${placeholder} An` }));
  const at = encoded.indexOf(placeholder, 10, 'latin1');
  if (at < 0 || Buffer.byteLength(placeholder) !== bytes.length) throw new Error('placeholder not found or of another length');
  Buffer.from(bytes).copy(encoded, at);
  return encoded;
}

const citizenCase = (name: string, n: number, value: (c: Catalogue) => Buffer, expect: PipelineExpectation): PipelineCase => ({
  name,
  source: 'population',
  entity: 'citizen',
  key: pipelineCitizenId(n),
  value,
  expect,
});

const encodedCitizen = (n: number, overrides: Record<string, unknown> = {}) => (c: Catalogue): Buffer => c.encode(CITIZEN, citizenValue(n, overrides));

const loadsName = (value: string): PipelineExpectation => ({ loads: { table: 'core.citizen', key: 'personal_id', column: 'full_name', value } });

export const PIPELINE_CASES: readonly PipelineCase[] = [
  // Odd but valid.
  citizenCase('valid Avro, SQL-looking name', 1, encodedCitizen(1, { fullName: "Robert'); DROP TABLE core.citizen;--" }), loadsName("Robert'); DROP TABLE core.citizen;--")),
  citizenCase('valid Avro, name with backslash and tab-like text', 2, encodedCitizen(2, { fullName: 'Lê \\t Văn \\N An' }), loadsName('Lê \\t Văn \\N An')),

  // Bytes that match no schema.
  citizenCase('random bytes', 10, () => createHash('sha512').update('corpus').digest().fill(0x5a, 0, 1), { rejected: /^not a single-object Avro message/ }),
  citizenCase('JSON text', 11, () => Buffer.from(JSON.stringify({ personalId: pipelineCitizenId(11), fullName: 'Lê Văn An' })), { rejected: /^not a single-object Avro message/ }),
  citizenCase('empty value (zero bytes, not a tombstone)', 12, () => Buffer.alloc(0), { rejected: /^not a single-object Avro message \(0 bytes/ }),
  citizenCase('single-object header with an unknown fingerprint', 13, (c) => Buffer.concat([Buffer.from([0xc3, 0x01]), Buffer.from('0123456789abcdef', 'hex'), c.encode(CITIZEN, citizenValue(13)).subarray(10)]), { rejected: /^unknown writer schema fingerprint / }),
  citizenCase('Confluent framing (0x00 + schema id 1)', 14, (c) => Buffer.concat([Buffer.from([0x00, 0, 0, 0, 1]), c.encode(CITIZEN, citizenValue(14)).subarray(10)]), { rejected: /^not a single-object Avro message/ }),
  citizenCase('truncated Avro body', 15, (c) => c.encode(CITIZEN, citizenValue(15)).subarray(0, 24), { rejected: /^invalid vn\.lgsp\.raw\.population\.Citizen v\d+ message: truncated/ }),
  citizenCase('Avro body with trailing garbage', 16, (c) => Buffer.concat([c.encode(CITIZEN, citizenValue(16)), Buffer.from('GARBAGE')]), { rejected: /^invalid vn\.lgsp\.raw\.population\.Citizen v\d+ message: trailing data/ }),
  citizenCase(
    'valid Avro of another schema (Enterprise on the citizen topic)',
    17,
    (c) =>
      c.encode('vn.lgsp.raw.business.Enterprise', {
        enterpriseCode: '2100000015',
        name: 'ACME',
        legalType: 'CP',
        legalRepresentativeId: '084195000123',
        communeCode: '29236',
        registrationDate: '2020-01-01',
        dissolutionDate: null,
        status: 'active',
        updatedAt: UPDATED_AT,
      }),
    { rejected: /^vn\.lgsp\.raw\.business\.Enterprise v1 cannot be read as vn\.lgsp\.raw\.population\.Citizen v\d+/ },
  ),

  // Valid Avro, content that breaks a transform rule.
  citizenCase('valid Avro, invalid personal ID', 20, encodedCitizen(20, { personalId: '999195000220' }), { rejected: /^personalId: / }),
  citizenCase('valid Avro, death before birth', 21, encodedCitizen(21, { deathDate: '1990-01-01' }), { rejected: /^deathDate: / }),
  citizenCase('valid Avro, whitespace-only name', 22, encodedCitizen(22, { fullName: '  \n ' }), { rejected: /^fullName: / }),
  citizenCase('valid Avro, name with NUL', 23, encodedCitizen(23, { fullName: 'Lê Văn\u0000 An' }), { rejected: /^fullName: / }),
  citizenCase('valid Avro, name with BEL', 24, encodedCitizen(24, { fullName: 'Lê Văn\u0007 An' }), { rejected: /^fullName: / }),
  citizenCase('valid Avro, name with a right-to-left override', 25, encodedCitizen(25, { fullName: 'Lê \u202EnăV' }), { rejected: /^fullName: / }),
  citizenCase('Avro string of invalid UTF-8 bytes (C3 28 FF)', 26, (c) => patchedName(c, 26, 'QQQ', [0xc3, 0x28, 0xff]), { rejected: /^fullName: / }),
  citizenCase('Avro string with an encoded lone surrogate (ED A0 80)', 27, (c) => patchedName(c, 27, 'QQQ', [0xed, 0xa0, 0x80]), { rejected: /^fullName: / }),
  citizenCase('valid Avro, household ID with ESC', 28, encodedCitizen(28, { householdId: 'HGD-\u001B[2J' }), { rejected: /^householdId: / }),
  citizenCase('valid Avro, empty household ID', 29, encodedCitizen(29, { householdId: '' }), { rejected: /^householdId: / }),

  // Valid Avro, content the transform accepts and a table constraint refuses.
  {
    name: 'valid Avro, parcel of area 0.0 (CHECK area > 0)',
    source: 'land',
    entity: 'parcel',
    key: '29236-9-1',
    value: (c) =>
      c.encode('vn.lgsp.raw.land.Parcel', {
        parcelId: '29236-9-1',
        communeCode: '29236',
        mapSheet: 9,
        parcelNumber: 1,
        area: '0.0',
        useCode: 'ONT',
        certificateSerial: 'CS123456',
        owners: [{ holderKind: 'citizen', holderId: '084195000123', from: '2020-01-01', to: null }],
        updatedAt: UPDATED_AT,
      }),
    expect: { rejected: /^land_parcel_area_check: / },
  },

  ...otherSourceCases(),
];

/**
 * The n-th enterprise code with a valid check digit (distinct from the connector cases'): some
 * 9-digit bases have none (a weighted sum divisible by 11), those are skipped.
 */
function enterpriseCode(n: number): string {
  for (let seen = 0, i = 0; ; i++) {
    const base = `28009${String(i).padStart(4, '0')}`;
    const digit = enterpriseCheckDigit(base);
    if (digit !== null && seen++ === n) return `${base}${digit}`;
  }
}

/** The same code with its check digit off by one. */
function wrongCheckDigit(code: string): string {
  return `${code.slice(0, 9)}${(Number(code[9]) + 1) % 10}`;
}

/**
 * Cases whose message is `value` encoded with `vn.lgsp.raw.<source>.<schema>`, keyed like the
 * connector keys it: by `keyField` of the value unless a key is given.
 */
function encodedCase(source: CorpusPipeline, entity: string, schema: string, keyField: string) {
  return (name: string, value: Record<string, unknown>, expect: PipelineExpectation, key = String(value[keyField])): PipelineCase => ({
    name,
    source,
    entity,
    key,
    value: (c) => c.encode(`vn.lgsp.raw.${source}.${schema}`, value),
    expect,
  });
}

/** Business, insurance and one-stop messages: each source's own rules, and one odd-but-valid record. */
function otherSourceCases(): PipelineCase[] {
  const business = encodedCase('business', 'enterprise', 'Enterprise', 'enterpriseCode');
  const insurance = encodedCase('insurance', 'participant', 'Participant', 'insuranceCode');
  const onestopDossier = encodedCase('onestop', 'dossier', 'Dossier', 'dossierCode');
  const onestopComponent = encodedCase('onestop', 'dossier_component', 'DossierComponent', 'dossierCode');
  const onestopRating = encodedCase('onestop', 'rating', 'Rating', 'dossierCode');
  const enterprise = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    enterpriseCode: enterpriseCode(n),
    name: 'Công ty TNHH Một Thành Viên Sóc Trăng',
    legalType: 'TNHH1TV',
    legalRepresentativeId: '084195000123',
    communeCode: '29236',
    registrationDate: '2019-05-02',
    dissolutionDate: null,
    status: 'active',
    updatedAt: UPDATED_AT,
    ...overrides,
  });
  const participant = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const code = `84009${String(n).padStart(5, '0')}`;
    return {
      insuranceCode: code,
      personalId: '084195000123',
      employerCode: null,
      contributionPeriods: [{ from: '2015-01-01', to: null, employerCode: null }],
      healthCardNumber: `DN484${code}`,
      updatedAt: UPDATED_AT,
      ...overrides,
    };
  };
  const dossier = (n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    dossierCode: `000.00.01.H57-210104-9${String(n).padStart(4, '0')}`,
    procedureCode: '1.001193',
    level: 'commune',
    agencyCode: '000.00.01.H57',
    applicantKind: 'citizen',
    applicantId: '084195000123',
    channel: 'online',
    receivedAt: new Date('2021-01-04T02:00:00.000Z'),
    appointmentAt: new Date('2021-01-05T02:00:00.000Z'),
    finishedAt: null,
    status: 'processing',
    extraDocumentRequests: 0,
    extraDocumentDays: 0,
    resultIsElectronic: false,
    resultDigitised: false,
    counterWaitMinutes: null,
    receivingStaffId: 'CB-001',
    fee: 0,
    paidOnline: false,
    communeCode: '29236',
    updatedAt: UPDATED_AT,
    ...overrides,
  });
  const sqlName = "Công ty '); DELETE FROM core.business;--";
  const sqlDossier = "'; DELETE FROM core.dossier;--";
  const d1 = dossier(1, { finishedAt: new Date('2021-01-03T00:00:00.000Z'), status: 'finished' });
  const d2 = dossier(2, { procedureCode: '1001193' });
  const d3 = dossier(3, { applicantKind: 'business' });
  const d4 = dossier(4, { fee: -2000 });
  return [
    business('valid Avro, SQL-looking enterprise name', enterprise(1, { name: sqlName }), { loads: { table: 'core.business', key: 'enterprise_code', column: 'name', value: sqlName } }),
    business('valid Avro, enterprise code with a wrong check digit', enterprise(2, { enterpriseCode: wrongCheckDigit(enterpriseCode(2)) }), { rejected: /^enterpriseCode: check digit/ }),
    business('valid Avro, dissolved before it was registered', enterprise(3, { dissolutionDate: '2018-01-01', status: 'dissolved' }), { rejected: /^dissolutionDate: / }),
    business('valid Avro, legal representative ID of 11 digits', enterprise(4, { legalRepresentativeId: '08419500012' }), { rejected: /^legalRepresentativeId: / }),
    business('valid Avro, legal form outside the registry list', enterprise(5, { legalType: 'LLC' }), { rejected: /^legalType: / }),
    insurance('valid Avro, health card of another insurance code', participant(1, { healthCardNumber: 'DN4848400099999' }), { rejected: /^healthCardNumber: ends in/ }),
    insurance('valid Avro, contribution period ending before it starts', participant(2, { contributionPeriods: [{ from: '2015-01-01', to: '2014-01-01', employerCode: null }] }), { rejected: /^contributionPeriods\[0\]\.to: / }),
    insurance('valid Avro, employer code with a wrong check digit', participant(3, { employerCode: wrongCheckDigit(enterpriseCode(9)) }), { rejected: /^employerCode: check digit/ }),
    insurance('valid Avro, insurance code of 9 digits', participant(4, { insuranceCode: '840090000' }), { rejected: /^insuranceCode: / }),
    onestopDossier('valid Avro, dossier finished before it was received', d1, { rejected: /^finishedAt: / }),
    onestopDossier('valid Avro, procedure code not in the national form', d2, { rejected: /^procedureCode: / }),
    onestopDossier('valid Avro, business applicant with a personal ID', d3, { rejected: /^applicantId: / }),
    onestopDossier('valid Avro, negative fee', d4, { rejected: /^fee: / }),
    onestopComponent(
      'valid Avro, document at position 0',
      { dossierCode: d1['dossierCode'], seq: 0, documentType: 'cccd', suppliedByApplicant: true, digitised: true, reused: false, fromNationalStore: false, replacementResultCode: null, updatedAt: UPDATED_AT },
      { rejected: /^seq: / },
      // The connector keys a component by [dossier code, position].
      JSON.stringify([String(d1['dossierCode']), 0]),
    ),
    onestopRating('valid Avro, rating outside the scale', { dossierCode: 'D-CORPUS-1', rating: 'excellent', updatedAt: UPDATED_AT }, { rejected: /^rating: / }),
    onestopRating('valid Avro, SQL-looking dossier code on a rating', { dossierCode: sqlDossier, rating: 'satisfied', updatedAt: UPDATED_AT }, {
      loads: { table: 'core.dossier_rating', key: 'dossier_code', column: 'rating', value: 'satisfied' },
    }),
  ];
}
