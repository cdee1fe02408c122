/**
 * Identifier rules (DOMAIN.md § Identifiers) as the generator needs them: formatters, and the
 * generator's own parsers. The enterprise check digit is the one `src/domain/identifiers.ts`
 * validates with, so generated codes and validated codes cannot drift apart.
 */
import { enterpriseCheckDigit } from '../../src/domain/identifiers.js';

const DIGITS_12 = /^\d{12}$/;

/** Birth-registration province codes run 001…096 (the 63 pre-2025 provinces use a subset). */
function isProvinceCode3(code: number): boolean {
  return code >= 1 && code <= 96;
}

export interface PersonalIdParts {
  readonly provinceCode: string;
  readonly sex: 'M' | 'F';
  readonly birthYear: number;
  readonly serial: string;
}

/**
 * Personal ID: 3-digit birth-registration province + century/sex digit (0/1 = male/female born
 * 1900s, 2/3 = 2000s, 4/5 2100s…) + 2-digit birth year + 6 digits.
 */
export function parsePersonalId(id: string): PersonalIdParts | null {
  if (!DIGITS_12.test(id)) return null;
  const province = Number(id.slice(0, 3));
  if (!isProvinceCode3(province)) return null;
  const centurySex = Number(id[3]);
  const century = 1900 + Math.floor(centurySex / 2) * 100;
  return {
    provinceCode: id.slice(0, 3),
    sex: centurySex % 2 === 0 ? 'M' : 'F',
    birthYear: century + Number(id.slice(4, 6)),
    serial: id.slice(6),
  };
}

export function isValidPersonalId(id: string): boolean {
  return parsePersonalId(id) !== null;
}

export function formatPersonalId(provinceCode: string, sex: 'M' | 'F', birthYear: number, serial: number): string {
  const centurySex = (Math.floor((birthYear - 1900) / 100) * 2 + (sex === 'F' ? 1 : 0)).toString();
  return provinceCode.padStart(3, '0') + centurySex + String(birthYear % 100).padStart(2, '0') + String(serial).padStart(6, '0');
}

/**
 * Check digit of an enterprise code: the one rule the connectors and pipelines validate with, so
 * the generator cannot issue codes they would refuse. Null where no digit fits (the generator skips
 * that serial).
 */
export { enterpriseCheckDigit };

/** `NNNNNNNNNN` or a branch `NNNNNNNNNN-001`…`-999`, with a correct check digit. */
export function isValidEnterpriseCode(code: string): boolean {
  const match = /^(\d{9})(\d)(?:-(\d{3}))?$/.exec(code);
  if (match === null) return false;
  if (match[3] === '000') return false;
  return enterpriseCheckDigit(match[1] ?? '') === Number(match[2]);
}

/** Builds a code from a 2-digit tax-province prefix and a 7-digit serial; null when the check digit would be 10. */
export function makeEnterpriseCode(prefix: string, serial: number): string | null {
  const firstNine = prefix.padStart(2, '0') + String(serial).padStart(7, '0');
  const check = enterpriseCheckDigit(firstNine);
  return check === null ? null : firstNine + String(check);
}

/** Social-insurance code (mã số BHXH): 10 digits. */
export function isValidInsuranceCode(code: string): boolean {
  return /^\d{10}$/.test(code);
}

/** Health-insurance card: 2 letters (beneficiary group) + benefit level 1–5 + 2-digit province + 10-digit BHXH code. */
export function isValidHealthCardNumber(card: string): boolean {
  return /^[A-Z]{2}[1-5]\d{2}\d{10}$/.test(card);
}

/** Land-use certificate serial: 2 letters + 6 digits (*unverified*). */
export function isValidCertificateSerial(serial: string): boolean {
  return /^[A-Z]{2}\d{6}$/.test(serial);
}

/** GSO commune code: 5 digits. */
export function isValidCommuneCode(code: string): boolean {
  return /^\d{5}$/.test(code);
}

/** National procedure code, e.g. `1.001612`, `2.000815`. */
export function isValidProcedureCode(code: string): boolean {
  return /^[12]\.\d{6}$/.test(code);
}

/** Agency code like `000.00.12.H57` (pattern *unverified*, see agencies.ts). */
export function isValidAgencyCode(code: string): boolean {
  return /^\d{3}\.\d{2}\.\d{2}\.H\d{2}$/.test(code);
}

/** Dossier code: agency code + `-` + receipt date YYMMDD + `-` + 5-digit sequence. */
export function isValidDossierCode(code: string): boolean {
  const match = /^(.+)-(\d{6})-(\d{5})$/.exec(code);
  return match !== null && isValidAgencyCode(match[1] ?? '');
}
