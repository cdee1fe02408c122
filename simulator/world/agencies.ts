/**
 * Agencies that receive dossiers. Before 2025-07-01: Trà Vinh's departments (received at the
 * provincial public-administration service centre), the 9 district People's Committees and the
 * commune People's Committees. From 2025-07-01 (two-level government): the merged Vĩnh Long
 * province's departments and the new commune-level People's Committees, which take over the
 * former districts' procedures.
 *
 * Code pattern `000.AA.BB.Hxx` and the H-codes are *unverified* (plausible, in this one file):
 * department `000.00.NN.Hxx`; district PC `000.00.(20+d).H57`; commune PC `000.CC.(20+d).H57`;
 * new commune PC `000.CC.00.H62`.
 */
import type { Agency } from './types.js';
import { DISTRICTS, NEW_PROVINCE_CODE, NEW_UNITS, OLD_COMMUNES, OLD_PROVINCE_CODE, OLD_VALID_FROM, OLD_VALID_TO, REORGANISATION_DATE } from './admin-units.js';
import { hash4 } from './prng.js';

const OLD_H = 'H57';
const NEW_H = 'H62';

export const DEPARTMENTS: readonly { readonly key: string; readonly name: string }[] = [
  { key: 'STP', name: 'Sở Tư pháp' },
  { key: 'SKHDT', name: 'Sở Kế hoạch và Đầu tư' },
  { key: 'STNMT', name: 'Sở Tài nguyên và Môi trường' },
  { key: 'SGTVT', name: 'Sở Giao thông vận tải' },
  { key: 'SLDTBXH', name: 'Sở Lao động - Thương binh và Xã hội' },
  { key: 'SCT', name: 'Sở Công Thương' },
  { key: 'SYT', name: 'Sở Y tế' },
  { key: 'SXD', name: 'Sở Xây dựng' },
];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** One-stop staff are static per agency (a fixed hash, not the world seed: staffing is not random per world). */
function staff(code: string, min: number, spread: number): number {
  return min + (hash4(code.length, code.charCodeAt(4), code.charCodeAt(7), code.charCodeAt(8)) % spread);
}

function build(): Agency[] {
  const list: Agency[] = [];
  DEPARTMENTS.forEach((d, i) => {
    const code = `000.00.${pad2(i + 1)}.${OLD_H}`;
    list.push({ code, name: `${d.name} tỉnh Trà Vinh`, level: 'province', unitCode: OLD_PROVINCE_CODE, oneStopStaff: staff(code, 3, 4), validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO });
  });
  DISTRICTS.forEach((d, i) => {
    const code = `000.00.${pad2(20 + i)}.${OLD_H}`;
    list.push({ code, name: `UBND ${d.name}`, level: 'district', unitCode: d.code, oneStopStaff: staff(code, 5, 5), validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO });
    OLD_COMMUNES.filter((c) => c.districtCode === d.code).forEach((c, j) => {
      const communeCode = `000.${pad2(j + 1)}.${pad2(20 + i)}.${OLD_H}`;
      list.push({ code: communeCode, name: `UBND ${c.name}, ${d.name}`, level: 'commune', unitCode: c.code, oneStopStaff: staff(communeCode, 2, 3), validFrom: OLD_VALID_FROM, validTo: OLD_VALID_TO });
    });
  });
  DEPARTMENTS.forEach((d, i) => {
    const code = `000.00.${pad2(i + 1)}.${NEW_H}`;
    list.push({ code, name: `${d.name} tỉnh Vĩnh Long`, level: 'province', unitCode: NEW_PROVINCE_CODE, oneStopStaff: staff(code, 6, 5), validFrom: REORGANISATION_DATE, validTo: null });
  });
  NEW_UNITS.forEach((u, i) => {
    const code = `000.${pad2(i + 1)}.00.${NEW_H}`;
    list.push({ code, name: `UBND ${u.name}`, level: 'commune', unitCode: u.code, oneStopStaff: staff(code, 4, 5), validFrom: REORGANISATION_DATE, validTo: null });
  });
  return list;
}

export const AGENCIES: readonly Agency[] = build();

const oldCommuneAgency = new Map(AGENCIES.filter((a) => a.level === 'commune' && a.validTo !== null).map((a) => [a.unitCode, a]));
const newCommuneAgency = new Map(AGENCIES.filter((a) => a.level === 'commune' && a.validTo === null).map((a) => [a.unitCode, a]));
const districtAgency = new Map(AGENCIES.filter((a) => a.level === 'district').map((a) => [a.unitCode, a]));
const oldDepartment = new Map(DEPARTMENTS.map((d, i) => [d.key, AGENCIES[i]]));
const newDepartment = new Map(DEPARTMENTS.map((d, i) => [d.key, AGENCIES.find((a) => a.code === `000.00.${pad2(i + 1)}.${NEW_H}`)]));

function required(agency: Agency | undefined, what: string): Agency {
  if (agency === undefined) throw new RangeError(`no agency for ${what}`);
  return agency;
}

export const oldCommuneAgencyOf = (communeCode: string): Agency => required(oldCommuneAgency.get(communeCode), communeCode);
export const newCommuneAgencyOf = (newUnitCode: string): Agency => required(newCommuneAgency.get(newUnitCode), newUnitCode);
export const districtAgencyOf = (districtCode: string): Agency => required(districtAgency.get(districtCode), districtCode);
export const departmentOf = (key: string, afterReorganisation: boolean): Agency =>
  required((afterReorganisation ? newDepartment : oldDepartment).get(key), key);
