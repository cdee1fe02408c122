/**
 * Hostile messages written straight to a raw topic, bypassing the connectors: bytes that match no
 * schema, and valid Avro whose content breaks a transform rule or a table constraint. Each must
 * end in `meta.rejected_records` (and the DLQ) with a reason naming the field or the decode
 * problem — or, for the odd-but-valid ones, load exactly as given.
 */
import { createHash } from 'node:crypto';
import type { Catalogue } from '../../src/avro/catalogue.js';

export type CorpusPipeline = 'population' | 'land';

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
  citizenCase('truncated Avro body', 15, (c) => c.encode(CITIZEN, citizenValue(15)).subarray(0, 24), { rejected: /^invalid vn\.lgsp\.raw\.population\.Citizen v1 message: truncated/ }),
  citizenCase('Avro body with trailing garbage', 16, (c) => Buffer.concat([c.encode(CITIZEN, citizenValue(16)), Buffer.from('GARBAGE')]), { rejected: /^invalid vn\.lgsp\.raw\.population\.Citizen v1 message: trailing data/ }),
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
    { rejected: /^vn\.lgsp\.raw\.business\.Enterprise v1 cannot be read as vn\.lgsp\.raw\.population\.Citizen v1/ },
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
];
