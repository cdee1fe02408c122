import type { Malformation } from './faults.js';
import type { EntityEndpoint } from './lgsp-adapter.js';

type Body = Record<string, unknown>;

/** Replaces one digit so a checksum or structure check fails (the last digit, or the given index). */
function breakDigit(value: unknown, index = -1): string {
  const s = typeof value === 'string' ? value : '';
  const i = index < 0 ? s.length - 1 : index;
  const digit = Number(s[i] ?? '0');
  return `${s.slice(0, i)}${(digit + 1) % 10}${s.slice(i + 1)}`;
}

function without(body: Body, field: string): Body {
  const copy = { ...body };
  delete copy[field];
  return copy;
}

function impossibleDate(value: unknown): string {
  return `${typeof value === 'string' ? value.slice(0, 4) : '2021'}-02-30`;
}

/**
 * The malformed records each national database sometimes serves: a broken identifier, an
 * impossible date, a missing field, an oversized string. Each breaks a rule the connector checks.
 */
function malformer(rules: Record<Malformation, (b: Body) => Body>): (b: Body, k: Malformation) => Body {
  return (body, kind) => rules[kind](body);
}

/** Đăng ký doanh nghiệp: the business registry. Queries may span at most 5 days, as the real one allows. */
export const BUSINESS_ENDPOINTS: readonly EntityEndpoint[] = [
  {
    path: 'enterprises',
    entity: 'enterprise',
    maxWindowDays: 5,
    malform: malformer({
      'bad-checksum': (b) => ({ ...b, enterpriseCode: breakDigit(b['enterpriseCode']) }),
      'impossible-date': (b) => ({ ...b, registrationDate: impossibleDate(b['registrationDate']) }),
      'missing-field': (b) => without(b, 'name'),
      'oversized-string': (b) => ({ ...b, name: 'CÔNG TY '.repeat(400) }),
    }),
  },
];

/** Bảo hiểm xã hội: social insurance participants. */
export const INSURANCE_ENDPOINTS: readonly EntityEndpoint[] = [
  {
    path: 'participants',
    entity: 'participant',
    malform: malformer({
      // A personal ID whose century/sex digit does not exist.
      'bad-checksum': (b) => ({ ...b, personalId: `${String(b['personalId']).slice(0, 3)}9${String(b['personalId']).slice(4)}` }),
      'impossible-date': (b) => {
        const periods = (b['contributionPeriods'] as Body[] | undefined) ?? [];
        return { ...b, contributionPeriods: periods.map((p, i) => (i === 0 ? { ...p, from: impossibleDate(p['from']) } : p)) };
      },
      'missing-field': (b) => without(b, 'personalId'),
      'oversized-string': (b) => ({ ...b, healthCardNumber: 'X'.repeat(5000) }),
    }),
  },
];

/** Đất đai: land parcels and their owners. */
export const LAND_ENDPOINTS: readonly EntityEndpoint[] = [
  {
    path: 'parcels',
    entity: 'parcel',
    malform: malformer({
      'bad-checksum': (b) => ({ ...b, communeCode: String(b['communeCode']).slice(0, 4) }),
      'impossible-date': (b) => {
        const owners = (b['owners'] as Body[] | undefined) ?? [];
        return { ...b, owners: owners.map((o, i) => (i === 0 ? { ...o, from: impossibleDate(o['from']) } : o)) };
      },
      'missing-field': (b) => without(b, 'area'),
      'oversized-string': (b) => ({ ...b, certificateSerial: 'CS'.repeat(3000) }),
    }),
  },
];
