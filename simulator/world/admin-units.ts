/**
 * Administrative units of Trà Vinh (GSO codes) and their successors after the 2025 reorganisation.
 *
 * Old units: province 84, its 9 districts and 106 commune-level units with real GSO codes and names,
 * taken from a public 2020 export of the GSO list (a VNPT Trà Vinh database dump). DOMAIN.md says
 * 104 communes; the list we found has 106 (it predates later merges we could not verify), so we keep
 * the 106 real ones rather than drop two at random. Valid until 2025-06-30; validFrom 2020-01-01 is
 * the data baseline, not the legal founding date.
 *
 * New units from 2025-07-01: province 86 (Vĩnh Long after merging with Trà Vinh and Bến Tre) and
 * commune-level units covering former Trà Vinh. The grouping and names are *plausible, not verified*
 * (marked invented). As in the national 2025 list, a new unit re-uses the code of one of the old
 * communes it absorbs — so a code alone is ambiguous; (code, validFrom) identifies a unit.
 */
import type { AdminUnit, UnitMapping } from './types.js';

export const OLD_PROVINCE_CODE = '84';
export const NEW_PROVINCE_CODE = '86';
export const OLD_VALID_FROM = '2020-01-01';
export const OLD_VALID_TO = '2025-06-30';
export const REORGANISATION_DATE = '2025-07-01';

export type CommuneKind = 'ward' | 'town' | 'commune';

export interface OldCommune {
  readonly code: string;
  readonly name: string;
  readonly districtCode: string;
  readonly kind: CommuneKind;
}

export const DISTRICTS: readonly { readonly code: string; readonly name: string }[] = [
  { code: '842', name: 'Thành phố Trà Vinh' },
  { code: '844', name: 'Huyện Càng Long' },
  { code: '845', name: 'Huyện Cầu Kè' },
  { code: '846', name: 'Huyện Tiểu Cần' },
  { code: '847', name: 'Huyện Châu Thành' },
  { code: '848', name: 'Huyện Cầu Ngang' },
  { code: '849', name: 'Huyện Trà Cú' },
  { code: '850', name: 'Huyện Duyên Hải' },
  { code: '851', name: 'Thị xã Duyên Hải' },
];

/** [code, name, district] — names carry their kind prefix (Phường / Thị trấn / Xã). */
const COMMUNE_ROWS: readonly (readonly [string, string, string])[] = [
  ['29236', 'Phường 4', '842'], ['29239', 'Phường 1', '842'], ['29242', 'Phường 3', '842'], ['29245', 'Phường 2', '842'],
  ['29248', 'Phường 5', '842'], ['29251', 'Phường 6', '842'], ['29254', 'Phường 7', '842'], ['29257', 'Phường 8', '842'],
  ['29260', 'Phường 9', '842'], ['29263', 'Xã Long Đức', '842'],
  ['29266', 'Thị trấn Càng Long', '844'], ['29269', 'Xã Mỹ Cẩm', '844'], ['29272', 'Xã An Trường A', '844'],
  ['29275', 'Xã An Trường', '844'], ['29278', 'Xã Huyền Hội', '844'], ['29281', 'Xã Tân An', '844'],
  ['29284', 'Xã Tân Bình', '844'], ['29287', 'Xã Bình Phú', '844'], ['29290', 'Xã Phương Thạnh', '844'],
  ['29293', 'Xã Đại Phúc', '844'], ['29296', 'Xã Đại Phước', '844'], ['29299', 'Xã Nhị Long Phú', '844'],
  ['29302', 'Xã Nhị Long', '844'], ['29305', 'Xã Đức Mỹ', '844'],
  ['29308', 'Thị trấn Cầu Kè', '845'], ['29311', 'Xã Hòa Ân', '845'], ['29314', 'Xã Châu Điền', '845'],
  ['29317', 'Xã An Phú Tân', '845'], ['29320', 'Xã Hòa Tân', '845'], ['29323', 'Xã Ninh Thới', '845'],
  ['29326', 'Xã Phong Phú', '845'], ['29329', 'Xã Phong Thạnh', '845'], ['29332', 'Xã Tam Ngãi', '845'],
  ['29335', 'Xã Thông Hòa', '845'], ['29338', 'Xã Thạnh Phú', '845'],
  ['29341', 'Thị trấn Tiểu Cần', '846'], ['29344', 'Thị trấn Cầu Quan', '846'], ['29347', 'Xã Phú Cần', '846'],
  ['29350', 'Xã Hiếu Tử', '846'], ['29353', 'Xã Hiếu Trung', '846'], ['29356', 'Xã Long Thới', '846'],
  ['29359', 'Xã Hùng Hòa', '846'], ['29362', 'Xã Tân Hùng', '846'], ['29365', 'Xã Tập Ngãi', '846'],
  ['29368', 'Xã Ngãi Hùng', '846'], ['29371', 'Xã Tân Hòa', '846'],
  ['29374', 'Thị trấn Châu Thành', '847'], ['29377', 'Xã Đa Lộc', '847'], ['29380', 'Xã Mỹ Chánh', '847'],
  ['29383', 'Xã Thanh Mỹ', '847'], ['29386', 'Xã Lương Hòa A', '847'], ['29389', 'Xã Lương Hòa', '847'],
  ['29392', 'Xã Song Lộc', '847'], ['29395', 'Xã Nguyệt Hóa', '847'], ['29398', 'Xã Hòa Thuận', '847'],
  ['29401', 'Xã Hòa Lợi', '847'], ['29404', 'Xã Phước Hảo', '847'], ['29407', 'Xã Hưng Mỹ', '847'],
  ['29410', 'Xã Hòa Minh', '847'], ['29413', 'Xã Long Hòa', '847'],
  ['29416', 'Thị trấn Cầu Ngang', '848'], ['29419', 'Thị trấn Mỹ Long', '848'], ['29422', 'Xã Mỹ Long Bắc', '848'],
  ['29425', 'Xã Mỹ Long Nam', '848'], ['29428', 'Xã Mỹ Hòa', '848'], ['29431', 'Xã Vĩnh Kim', '848'],
  ['29434', 'Xã Kim Hòa', '848'], ['29437', 'Xã Hiệp Hòa', '848'], ['29440', 'Xã Thuận Hòa', '848'],
  ['29443', 'Xã Long Sơn', '848'], ['29446', 'Xã Nhị Trường', '848'], ['29449', 'Xã Trường Thọ', '848'],
  ['29452', 'Xã Hiệp Mỹ Đông', '848'], ['29455', 'Xã Hiệp Mỹ Tây', '848'], ['29458', 'Xã Thạnh Hòa Sơn', '848'],
  ['29461', 'Thị trấn Trà Cú', '849'], ['29462', 'Thị trấn Định An', '849'], ['29464', 'Xã Phước Hưng', '849'],
  ['29467', 'Xã Tập Sơn', '849'], ['29470', 'Xã Tân Sơn', '849'], ['29473', 'Xã An Quảng Hữu', '849'],
  ['29476', 'Xã Lưu Nghiệp Anh', '849'], ['29479', 'Xã Ngãi Xuyên', '849'], ['29482', 'Xã Kim Sơn', '849'],
  ['29485', 'Xã Thanh Sơn', '849'], ['29488', 'Xã Hàm Giang', '849'], ['29489', 'Xã Hàm Tân', '849'],
  ['29491', 'Xã Đại An', '849'], ['29494', 'Xã Định An', '849'], ['29503', 'Xã Ngọc Biên', '849'],
  ['29506', 'Xã Long Hiệp', '849'], ['29509', 'Xã Tân Hiệp', '849'],
  ['29497', 'Xã Đôn Xuân', '850'], ['29500', 'Xã Đôn Châu', '850'], ['29513', 'Thị trấn Long Thành', '850'],
  ['29521', 'Xã Long Khánh', '850'], ['29530', 'Xã Ngũ Lạc', '850'], ['29533', 'Xã Long Vĩnh', '850'],
  ['29536', 'Xã Đông Hải', '850'],
  ['29512', 'Phường 1', '851'], ['29515', 'Xã Long Toàn', '851'], ['29516', 'Phường 2', '851'],
  ['29518', 'Xã Long Hữu', '851'], ['29524', 'Xã Dân Thành', '851'], ['29527', 'Xã Trường Long Hòa', '851'],
  ['29539', 'Xã Hiệp Thạnh', '851'],
];

export const OLD_COMMUNES: readonly OldCommune[] = COMMUNE_ROWS.map(([code, name, districtCode]) => ({
  code,
  name,
  districtCode,
  kind: name.startsWith('Phường') ? 'ward' : name.startsWith('Thị trấn') ? 'town' : 'commune',
}));

/** New unit name → old communes it absorbs; the first old code becomes the new code. Invented grouping. */
const NEW_UNIT_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['Phường Trà Vinh', ['29239', '29245', '29242']],
  ['Phường Long Đức', ['29263', '29236', '29257', '29260']],
  ['Phường Nguyệt Hóa', ['29248', '29395']],
  ['Phường Hòa Thuận', ['29251', '29254', '29398']],
  ['Xã Càng Long', ['29266', '29269', '29305']],
  ['Xã An Trường', ['29275', '29272', '29278']],
  ['Xã Tân An', ['29281', '29284', '29287']],
  ['Xã Nhị Long', ['29302', '29299', '29290']],
  ['Xã Đại Phước', ['29296', '29293']],
  ['Xã Cầu Kè', ['29308', '29311', '29314']],
  ['Xã An Phú Tân', ['29317', '29320', '29323']],
  ['Xã Phong Thạnh', ['29329', '29326']],
  ['Xã Tam Ngãi', ['29332', '29335', '29338']],
  ['Xã Tiểu Cần', ['29341', '29347', '29350']],
  ['Xã Tân Hòa', ['29371', '29344', '29356']],
  ['Xã Hùng Hòa', ['29359', '29362']],
  ['Xã Tập Ngãi', ['29365', '29368', '29353']],
  ['Xã Châu Thành', ['29374', '29377', '29380']],
  ['Xã Song Lộc', ['29392', '29383']],
  ['Xã Lương Hòa', ['29389', '29386']],
  ['Xã Hưng Mỹ', ['29407', '29401', '29404']],
  ['Xã Hòa Minh', ['29410', '29413']],
  ['Xã Cầu Ngang', ['29416', '29440', '29437']],
  ['Xã Mỹ Long', ['29419', '29422', '29425']],
  ['Xã Vinh Kim', ['29431', '29434', '29428']],
  ['Xã Nhị Trường', ['29446', '29449', '29443']],
  ['Xã Hiệp Mỹ', ['29452', '29455', '29458']],
  ['Xã Trà Cú', ['29461', '29479']],
  ['Xã Đại An', ['29491', '29494', '29462']],
  ['Xã Tập Sơn', ['29467', '29470', '29473']],
  ['Xã Hàm Giang', ['29488', '29489', '29482']],
  ['Xã Long Hiệp', ['29506', '29509', '29503']],
  ['Xã Lưu Nghiệp Anh', ['29476', '29464', '29485']],
  ['Xã Long Vĩnh', ['29533', '29521']],
  ['Xã Đông Hải', ['29536']],
  ['Xã Ngũ Lạc', ['29530', '29513']],
  ['Xã Đôn Châu', ['29500', '29497']],
  ['Phường Duyên Hải', ['29512', '29516']],
  ['Phường Trường Long Hòa', ['29527', '29524']],
  ['Xã Long Hữu', ['29518', '29515']],
  ['Xã Hiệp Thạnh', ['29539']],
];

export interface NewUnit {
  readonly code: string;
  readonly name: string;
  readonly oldCodes: readonly string[];
}

export const NEW_UNITS: readonly NewUnit[] = NEW_UNIT_GROUPS.map(([name, oldCodes]) => ({
  code: oldCodes[0] ?? '',
  name,
  oldCodes,
}));

const newCodeByOld = new Map<string, string>();
for (const unit of NEW_UNITS) for (const old of unit.oldCodes) newCodeByOld.set(old, unit.code);

const communeByCode = new Map(OLD_COMMUNES.map((c) => [c.code, c]));

/** The new unit an old commune belongs to from 2025-07-01. */
export function newUnitOf(oldCode: string): string {
  const code = newCodeByOld.get(oldCode);
  if (code === undefined) throw new RangeError(`no new unit for commune ${oldCode}`);
  return code;
}

export function oldCommune(code: string): OldCommune {
  const commune = communeByCode.get(code);
  if (commune === undefined) throw new RangeError(`unknown commune ${code}`);
  return commune;
}

export function* adminUnits(): Iterable<AdminUnit> {
  yield { code: OLD_PROVINCE_CODE, name: 'Tỉnh Trà Vinh', level: 'province', parentCode: null, validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO, invented: false };
  for (const d of DISTRICTS) {
    yield { code: d.code, name: d.name, level: 'district', parentCode: OLD_PROVINCE_CODE, validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO, invented: false };
  }
  for (const c of OLD_COMMUNES) {
    yield { code: c.code, name: c.name, level: 'commune', parentCode: c.districtCode, validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO, invented: false };
  }
  yield { code: NEW_PROVINCE_CODE, name: 'Tỉnh Vĩnh Long', level: 'province', parentCode: null, validFrom: REORGANISATION_DATE, validTo: null, invented: false };
  for (const u of NEW_UNITS) {
    yield { code: u.code, name: u.name, level: 'commune', parentCode: NEW_PROVINCE_CODE, validFrom: REORGANISATION_DATE, validTo: null, invented: true };
  }
}

export function* unitMappings(): Iterable<UnitMapping> {
  for (const c of OLD_COMMUNES) yield { oldCode: c.code, newCode: newUnitOf(c.code), validFrom: REORGANISATION_DATE };
}

export const ADMIN_UNIT_COUNT = 1 + DISTRICTS.length + OLD_COMMUNES.length + 1 + NEW_UNITS.length;
