import type { PagedStreamDefinition, ServedItem } from '../../src/connect/paged-stream.js';
import { checkAllText, checkIdentifier, checkLength, checkOneOf, checkOrder, checkRange, type Problems } from '../../src/domain/field-checks.js';
import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';

/** Certificate serials are 2 letters + 6 digits today; anything past this length is a source defect. */
export const MAX_CERTIFICATE_SERIAL = 20;
const USE_CODES = ['ONT', 'ODT', 'LUC', 'CLN', 'NTS', 'BHK'] as const;
const HOLDER_KINDS = ['citizen', 'business'] as const;

/** `GET /land/v1/parcels` → `lgsp.raw.land.parcel.v1`. */
export function parcelsStream(pageSize: number): PagedStreamDefinition {
  return {
    name: 'parcels',
    entity: 'parcel',
    valueSchema: 'vn.lgsp.raw.land.Parcel',
    primaryKey: 'parcelId',
    path: 'parcels',
    pageSize,
    toValue: (item: ServedItem) => ({
      parcelId: item['parcelId'],
      communeCode: item['communeCode'],
      mapSheet: item['mapSheet'],
      parcelNumber: item['parcelNumber'],
      area: item['area'],
      useCode: item['useCode'],
      certificateSerial: item['certificateSerial'],
      owners: Array.isArray(item['owners'])
        ? (item['owners'] as Record<string, unknown>[]).map((o) => ({ holderKind: o['holderKind'], holderId: o['holderId'], from: o['from'], to: o['to'] ?? null }))
        : item['owners'],
      updatedAt: typeof item.updatedAt === 'string' ? new Date(item.updatedAt) : item.updatedAt,
    }),
    check: checkParcel,
  };
}

export function checkParcel(value: Record<string, unknown>): readonly string[] {
  const problems: Problems = [];
  checkAllText(problems, value);
  const commune = value['communeCode'];
  checkIdentifier(problems, 'communeCode', commune, communeCodeProblem);
  const expectedId = `${String(commune)}-${String(value['mapSheet'])}-${String(value['parcelNumber'])}`;
  if (typeof value['parcelId'] === 'string' && value['parcelId'] !== expectedId) {
    problems.push(`parcelId: ${value['parcelId']} is not <communeCode>-<mapSheet>-<parcelNumber> (${expectedId})`);
  }
  checkRange(problems, 'mapSheet', value['mapSheet'], 1);
  checkRange(problems, 'parcelNumber', value['parcelNumber'], 1);
  if (typeof value['area'] === 'string' && !(Number(value['area']) > 0)) problems.push(`area: ${value['area']} is not a positive area`);
  checkOneOf(problems, 'useCode', value['useCode'], USE_CODES);
  checkLength(problems, 'certificateSerial', value['certificateSerial'], MAX_CERTIFICATE_SERIAL);
  const owners = Array.isArray(value['owners']) ? (value['owners'] as Record<string, unknown>[]) : [];
  owners.forEach((owner, i) => {
    const field = `owners.${i}`;
    checkOneOf(problems, `${field}.holderKind`, owner['holderKind'], HOLDER_KINDS);
    const holder = owner['holderKind'] === 'business' ? enterpriseCodeProblem : (id: string) => personalIdProblem(id);
    checkIdentifier(problems, `${field}.holderId`, owner['holderId'], holder);
    checkOrder(problems, `${field}.from`, owner['from'], `${field}.to`, owner['to']);
    const previous = owners[i - 1];
    if (previous !== undefined) checkOrder(problems, `owners.${i - 1}.from`, previous['from'], `${field}.from`, owner['from']);
  });
  return problems;
}
