/**
 * Stream kinds: each kind of decision draws from its own sub-stream hash(seed, kind, index…), so
 * adding a draw to one kind never shifts the values of another, and any entity is computable alone.
 */
export const STREAM = {
  citizen: 1,
  household: 2,
  householdMove: 3,
  citizenDeleted: 4,
  business: 5,
  participant: 6,
  parcel: 7,
  dossierDay: 8,
  dossier: 9,
  agencyEffect: 10,
  procedureEffect: 11,
  permutation: 12,
  component: 13,
  agencyStaff: 14,
  dossierTiming: 15,
  dossierFollow: 16,
  dossierFollowFlag: 17,
  dossierAttributes: 18,
  applicantClass: 19,
  citizenCorrection: 20,
  citizenVneid: 21,
} as const;
