import { describe, expect, it } from 'vitest';
import { createWorld, lookup } from './index.js';

const world = createWorld({ seed: 5, scale: 0.002 });
const find = lookup(world);

describe('lookup by identifier', () => {
  it('finds every citizen, business, participant, parcel and dossier by its identifier', () => {
    for (const c of world.citizens()) expect(find.citizen(c.personalId)).toEqual(c);
    for (const b of world.businesses()) expect(find.business(b.enterpriseCode)).toEqual(b);
    for (const p of world.insuranceParticipants()) expect(find.insuranceParticipant(p.insuranceCode)).toEqual(p);
    for (const p of world.landParcels()) expect(find.landParcel(p.communeCode, p.mapSheet, p.parcelNumber)).toEqual(p);
    let n = 0;
    for (const d of world.dossiers()) if (n++ % 7 === 0) expect(find.dossier(d.dossier.dossierCode)).toEqual(d);
  });

  it('returns null for unknown identifiers and gives residence histories', () => {
    expect(find.citizen('084085999999')).toBeNull();
    expect(find.business('2100100001')).toBeNull();
    expect(find.dossier('000.00.23.H57-210101-99999')).toBeNull();
    expect(find.landParcel('29236', 9999, 1)).toBeNull();
    const first = world.citizens()[Symbol.iterator]().next();
    if (first.done === true) throw new Error('no citizens');
    const history = find.residenceHistory(first.value.personalId);
    expect(history?.[history.length - 1]?.communeCode).toBe(first.value.residenceCommuneCode);
  });
});
