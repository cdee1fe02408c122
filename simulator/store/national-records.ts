import type { Business, Citizen, InsuranceParticipant, LandParcel, World } from '../world/index.js';
import type { NationalSource, StoredRecord } from './sim-store.js';

/**
 * How each national database stores the world's records: entity name, id, and the JSON body its
 * adapter serves. Deleted records keep their last body, with `deleted_at` set.
 */
export function* citizenRecords(citizens: Iterable<Citizen>): Generator<StoredRecord> {
  for (const citizen of citizens) {
    const { deleted, ...body } = citizen;
    yield { entity: 'citizen', id: citizen.personalId, updatedAt: citizen.updatedAt, deletedAt: deleted === true ? citizen.updatedAt : null, body };
  }
}

export function* businessRecords(businesses: Iterable<Business>): Generator<StoredRecord> {
  for (const b of businesses) yield { entity: 'enterprise', id: b.enterpriseCode, updatedAt: b.updatedAt, deletedAt: null, body: b };
}

export function* participantRecords(participants: Iterable<InsuranceParticipant>): Generator<StoredRecord> {
  for (const p of participants) yield { entity: 'participant', id: p.insuranceCode, updatedAt: p.updatedAt, deletedAt: null, body: p };
}

/** A parcel is identified by commune, map sheet and parcel number (DOMAIN.md). */
export function parcelId(p: Pick<LandParcel, 'communeCode' | 'mapSheet' | 'parcelNumber'>): string {
  return `${p.communeCode}-${p.mapSheet}-${p.parcelNumber}`;
}

export function* parcelRecords(parcels: Iterable<LandParcel>): Generator<StoredRecord> {
  for (const p of parcels) yield { entity: 'parcel', id: parcelId(p), updatedAt: p.updatedAt, deletedAt: null, body: { parcelId: parcelId(p), ...p } };
}

/** Each national database's records in a world (streams: call once per pass). */
export function nationalRecords(world: World): Readonly<Record<NationalSource, () => Iterable<StoredRecord>>> {
  return {
    population: () => citizenRecords(world.citizens()),
    business: () => businessRecords(world.businesses()),
    insurance: () => participantRecords(world.insuranceParticipants()),
    land: () => parcelRecords(world.landParcels()),
  };
}

/** Table name for counts: `population.citizen`, `business.enterprise`, … */
export const NATIONAL_TABLES: Readonly<Record<NationalSource, string>> = {
  population: 'population.citizen',
  business: 'business.enterprise',
  insurance: 'insurance.participant',
  land: 'land.parcel',
};
