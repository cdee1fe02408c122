import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWorld, type World } from './index.js';
import {
  isValidCertificateSerial,
  isValidCommuneCode,
  isValidDossierCode,
  isValidEnterpriseCode,
  isValidHealthCardNumber,
  isValidInsuranceCode,
  isValidPersonalId,
} from './identifiers.js';
import { employersConsistent } from './insurance.js';
import { createContext } from './context.js';
import { procedureByCode } from './procedures.js';

const SCALE = 0.005;

function digest(world: World): string {
  const hash = createHash('sha256');
  const feed = (records: Iterable<unknown>): void => {
    for (const r of records) hash.update(JSON.stringify(r));
  };
  feed(world.adminUnits());
  feed(world.unitMappings());
  feed(world.citizens());
  feed(world.businesses());
  feed(world.insuranceParticipants());
  feed(world.landParcels());
  feed(world.procedures());
  feed(world.agencies());
  feed(world.dossiers());
  return hash.digest('hex');
}

const world = createWorld({ seed: 42, scale: SCALE });
const citizens = [...world.citizens()];
const businesses = [...world.businesses()];
const participants = [...world.insuranceParticipants()];
const parcels = [...world.landParcels()];
const dossiers = [...world.dossiers()];

describe('world: counts and identifiers', () => {
  it('yields exactly counts()', () => {
    const counts = world.counts();
    expect(citizens).toHaveLength(counts.citizens);
    expect(businesses).toHaveLength(counts.businesses);
    expect(participants).toHaveLength(counts.insuranceParticipants);
    expect(parcels).toHaveLength(counts.landParcels);
    expect(dossiers).toHaveLength(counts.dossiers);
    expect([...world.adminUnits()]).toHaveLength(counts.adminUnits);
  });

  it('has about 1,009,000 citizens at scale 1 (checked at this scale)', () => {
    expect(citizens.length / SCALE).toBeGreaterThan(950_000);
    expect(citizens.length / SCALE).toBeLessThan(1_070_000);
  });

  it('gives every citizen a valid, unique personal ID matching birth year and sex', () => {
    expect(new Set(citizens.map((c) => c.personalId)).size).toBe(citizens.length);
    for (const c of citizens) {
      expect(isValidPersonalId(c.personalId)).toBe(true);
      expect(c.personalId.slice(4, 6)).toBe(c.birthDate.slice(2, 4));
      expect(Number(c.personalId[3]) % 2 === 1).toBe(c.sex === 'F');
      expect(isValidCommuneCode(c.residenceCommuneCode)).toBe(true);
    }
  });

  it('gives unique, check-digit-valid enterprise codes and unique BHXH codes', () => {
    expect(new Set(businesses.map((b) => b.enterpriseCode)).size).toBe(businesses.length);
    expect(businesses.every((b) => isValidEnterpriseCode(b.enterpriseCode))).toBe(true);
    expect(new Set(participants.map((p) => p.insuranceCode)).size).toBe(participants.length);
    expect(new Set(participants.map((p) => p.personalId)).size).toBe(participants.length);
    expect(participants.every((p) => isValidInsuranceCode(p.insuranceCode) && isValidHealthCardNumber(p.healthCardNumber))).toBe(true);
  });

  it('numbers parcels uniquely per commune and map sheet', () => {
    expect(new Set(parcels.map((p) => `${p.communeCode}/${p.mapSheet}/${p.parcelNumber}`)).size).toBe(parcels.length);
    expect(new Set(parcels.map((p) => p.certificateSerial)).size).toBe(parcels.length);
    expect(parcels.every((p) => isValidCertificateSerial(p.certificateSerial) && /^\d+\.\d$/.test(p.area))).toBe(true);
  });

  it('gives dossiers unique, well-formed codes and components numbered 1..n', () => {
    expect(new Set(dossiers.map((d) => d.dossier.dossierCode)).size).toBe(dossiers.length);
    for (const { dossier, components } of dossiers) {
      expect(isValidDossierCode(dossier.dossierCode)).toBe(true);
      expect(components.map((c) => c.seq)).toEqual(components.map((_, i) => i + 1));
      expect(components.every((c) => c.dossierCode === dossier.dossierCode)).toBe(true);
    }
  });

  it('writes names in NFC', () => {
    expect(citizens.every((c) => c.fullName === c.fullName.normalize('NFC'))).toBe(true);
    expect(businesses.every((b) => b.name === b.name.normalize('NFC'))).toBe(true);
    expect(citizens.some((c) => c.fullName.startsWith('Thạch '))).toBe(true);
  });
});

describe('world: referential consistency', () => {
  const people = new Map(citizens.map((c) => [c.personalId, c]));
  const firms = new Map(businesses.map((b) => [b.enterpriseCode, b]));
  const codes = new Set(dossiers.map((d) => d.dossier.dossierCode));

  it('legal representatives exist and were adults at registration', () => {
    for (const b of businesses) {
      const rep = people.get(b.legalRepresentativeId);
      expect(rep).toBeDefined();
      expect(rep?.deleted).toBeUndefined();
      expect(Number(b.registrationDate.slice(0, 4)) - Number(rep?.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(18);
    }
  });

  it('insured people, employers and land owners exist', () => {
    const ctx = createContext(42, SCALE, '2025-12-31');
    participants.forEach((p, k) => {
      expect(people.has(p.personalId)).toBe(true);
      for (const period of p.contributionPeriods) if (period.employerCode !== null) expect(firms.has(period.employerCode)).toBe(true);
      expect(employersConsistent(ctx, k)).toBe(true);
    });
    for (const parcel of parcels) {
      for (const o of parcel.owners) expect(o.holderKind === 'citizen' ? people.has(o.holderId) : firms.has(o.holderId)).toBe(true);
    }
  });

  it('applicants exist and earlier results point to earlier dossiers of the same applicant', () => {
    const byCode = new Map(dossiers.map((d) => [d.dossier.dossierCode, d.dossier]));
    let earlier = 0;
    for (const { dossier, components } of dossiers) {
      expect(dossier.applicant.kind === 'citizen' ? people.has(dossier.applicant.id) : firms.has(dossier.applicant.id)).toBe(true);
      for (const c of components) {
        if (c.heldBy !== 'earlier-result') continue;
        earlier++;
        expect(codes.has(c.earlierResultCode ?? '')).toBe(true);
        const source = byCode.get(c.earlierResultCode ?? '');
        expect(source?.applicant.id).toBe(dossier.applicant.id);
        expect(source?.status).toBe('finished');
        expect(Date.parse(source?.finishedAt ?? '')).toBeLessThan(Date.parse(dossier.receivedAt));
      }
    }
    expect(earlier).toBeGreaterThan(0);
  });

  it('holds an earlier result exactly when the applicant had one (no unlinked coincidences)', () => {
    const results = new Map<string, number[]>(); // applicant|procedure → finish times of results
    for (const { dossier } of dossiers) {
      if (dossier.status !== 'finished' || dossier.finishedAt === null) continue;
      const key = `${dossier.applicant.id}|${dossier.procedureCode}`;
      results.set(key, [...(results.get(key) ?? []), Date.parse(dossier.finishedAt)]);
    }
    let checked = 0;
    for (const { dossier, components } of dossiers) {
      const procedure = procedureByCode(dossier.procedureCode);
      for (const c of components) {
        const source = procedure.requiredDocuments.find((d) => d.documentType === c.documentType)?.resultOfProcedure;
        if (source === undefined) continue;
        checked++;
        const had = (results.get(`${dossier.applicant.id}|${source}`) ?? []).some((t) => t < Date.parse(dossier.receivedAt));
        expect(had).toBe(c.heldBy === 'earlier-result');
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('never refers to a cancelled (deleted) citizen, and every current employer exists', () => {
    const cancelled = new Set(citizens.filter((c) => c.deleted === true).map((c) => c.personalId));
    expect(cancelled.size).toBeGreaterThan(0);
    expect(businesses.filter((b) => cancelled.has(b.legalRepresentativeId))).toEqual([]);
    expect(participants.filter((p) => cancelled.has(p.personalId) || (p.employerCode !== null && !firms.has(p.employerCode)))).toEqual([]);
    expect(parcels.filter((p) => p.owners.some((o) => cancelled.has(o.holderId)))).toEqual([]);
    expect(dossiers.filter((d) => cancelled.has(d.dossier.applicant.id))).toEqual([]);
  });

  it('uses new units and no district level after 2025-07-01', () => {
    const after = dossiers.filter((d) => d.dossier.receivedAt >= '2025-06-30T17:00:00.000Z');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((d) => d.dossier.level !== 'district' && d.dossier.agencyCode.endsWith('H62'))).toBe(true);
  });
});

describe('world: determinism and time', () => {
  it('is byte-identical for the same seed and differs for another', () => {
    const a = digest(createWorld({ seed: 7, scale: 0.002 }));
    expect(digest(createWorld({ seed: 7, scale: 0.002 }))).toBe(a);
    expect(digest(createWorld({ seed: 8, scale: 0.002 }))).not.toBe(a);
  });

  it('an earlier asOf is a subset: same codes, nothing updated after it', () => {
    const earlier = createWorld({ seed: 42, scale: SCALE, asOf: '2024-06-30' });
    const earlierDossiers = [...earlier.dossiers()];
    const later = new Map(dossiers.map((d) => [d.dossier.dossierCode, d.dossier]));
    expect(earlierDossiers.length).toBeLessThan(dossiers.length);
    for (const { dossier } of earlierDossiers) {
      const now = later.get(dossier.dossierCode);
      expect(now?.receivedAt).toBe(dossier.receivedAt);
      expect(dossier.updatedAt <= (now?.updatedAt ?? '')).toBe(true);
      expect(dossier.updatedAt < '2024-06-30T17:00:00.000Z').toBe(true);
    }
    const earlierCitizens = [...earlier.citizens()];
    expect(earlierCitizens.length).toBeLessThan(citizens.length);
    expect(earlierCitizens.every((c) => c.updatedAt < '2024-06-30T17:00:00.000Z' && (c.deathDate === null || c.deathDate <= '2024-06-30'))).toBe(true);
  });
});
