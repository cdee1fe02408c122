/**
 * Vietnamese identifiers (DOMAIN.md "Identifiers"). Pure functions, used by connectors to
 * dead-letter bad source records and by pipelines to validate before loading.
 */

/**
 * Personal ID (số định danh cá nhân): 12 digits = 3-digit birth-registration province code
 * + century/sex digit (0/1: male/female born 1900-1999, 2/3: 2000-2099) + 2-digit birth year
 * + 6 digits. Returns the problem, or null when the ID is well formed.
 */
export function personalIdProblem(id: string, birthDate?: string): string | null {
  if (!/^\d{12}$/.test(id)) return 'must be 12 digits';
  const province = Number(id.slice(0, 3));
  if (province < 1 || province > 96) return `province code ${id.slice(0, 3)} does not exist`;
  const centurySex = Number(id[3]);
  if (centurySex > 3) return `century/sex digit ${id[3]} must be 0-3`;
  if (birthDate !== undefined && /^\d{4}-/.test(birthDate)) {
    const year = (centurySex < 2 ? 1900 : 2000) + Number(id.slice(4, 6));
    if (String(year) !== birthDate.slice(0, 4)) return `encodes birth year ${year} but the birth date is ${birthDate}`;
  }
  return null;
}

/** The sex a personal ID encodes. */
export function sexOfPersonalId(id: string): 'M' | 'F' {
  return Number(id[3]) % 2 === 0 ? 'M' : 'F';
}

const ENTERPRISE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/**
 * Check digit of a 10-digit enterprise code (mã số doanh nghiệp = tax code) from its first nine
 * digits: 10 − (Σ weight·digit mod 11). A result of 10 or 11 has no single digit; such serials are
 * never issued (unverified edge case, DOMAIN.md) and this returns null for them.
 */
export function enterpriseCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += (ENTERPRISE_WEIGHTS[i] ?? 0) * Number(firstNine[i]);
  const check = 10 - (sum % 11);
  return check >= 10 ? null : check;
}

/** Problem with an enterprise code (optionally a branch `NNNNNNNNNN-001`), or null. */
export function enterpriseCodeProblem(code: string): string | null {
  const match = /^(\d{10})(-\d{3})?$/.exec(code);
  if (match === null) return 'must be 10 digits, optionally followed by -NNN for a branch';
  const main = match[1] ?? '';
  const check = enterpriseCheckDigit(main.slice(0, 9));
  if (check === null || check !== Number(main[9])) return `check digit ${main[9]} is wrong`;
  return null;
}

/** Social insurance code (mã số BHXH): 10 digits. */
export function insuranceCodeProblem(code: string): string | null {
  return /^\d{10}$/.test(code) ? null : 'must be 10 digits';
}

/** GSO commune code: 5 digits. */
export function communeCodeProblem(code: string): string | null {
  return /^\d{5}$/.test(code) ? null : 'must be a 5-digit GSO commune code';
}
