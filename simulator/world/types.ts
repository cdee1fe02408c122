/**
 * The simulated province's records. Plain JSON-able values: dates are 'YYYY-MM-DD', timestamps
 * ISO-8601 UTC with milliseconds, money integer VND, areas decimal strings with one decimal.
 * Every record carries `updatedAt`: the last change in its source system at or before `asOf`.
 */

export type AdminLevel = 'province' | 'district' | 'commune';

export interface AdminUnit {
  readonly code: string;
  readonly name: string;
  readonly level: AdminLevel;
  readonly parentCode: string | null;
  readonly validFrom: string;
  readonly validTo: string | null;
  /** True where the name or code is made up (no verified source); see admin-units.ts. */
  readonly invented: boolean;
}

/** An old commune's successor in the two-level system from 2025-07-01. */
export interface UnitMapping {
  readonly oldCode: string;
  readonly newCode: string;
  readonly validFrom: string;
}

/**
 * E-identification level (Decree 59/2022/NĐ-CP): 1 = an account registered in the VNeID app,
 * identity not checked in person; 2 = identity verified by the police, which online public
 * services accept in place of the ID card.
 */
export type VneidLevel = 1 | 2;

export interface Citizen {
  readonly personalId: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  readonly householdId: string;
  /** Pre-2025-07 GSO commune code of the residence at `asOf` (map with unitMappings for new units). */
  readonly residenceCommuneCode: string;
  /** Shown once the death is reported (1–15 days after it). */
  readonly deathDate: string | null;
  /**
   * Level of the citizen's e-identification account (VNeID), null = none: present only in a world
   * whose population DB records it (option `vneidFrom`) and from that day on; see vneid.ts.
   */
  readonly vneidLevel?: VneidLevel | null;
  readonly updatedAt: string;
  /** Present and true once the population DB has cancelled the record (a duplicate); never referenced. */
  readonly deleted?: boolean;
}

/** One stay in a commune; `to` is exclusive, null = still there at asOf. */
export interface ResidencePeriod {
  readonly communeCode: string;
  readonly from: string;
  readonly to: string | null;
}

export type LegalType = 'DNTN' | 'TNHH1TV' | 'TNHH2TV' | 'CP';
export type BusinessStatus = 'active' | 'suspended' | 'dissolved';

export interface Business {
  readonly enterpriseCode: string;
  readonly name: string;
  readonly legalType: LegalType;
  /** personalId of a citizen alive and adult at registration. */
  readonly legalRepresentativeId: string;
  readonly communeCode: string;
  readonly registrationDate: string;
  readonly dissolutionDate: string | null;
  readonly status: BusinessStatus;
  readonly updatedAt: string;
}

export interface ContributionPeriod {
  readonly from: string;
  /** Null = still contributing at asOf. */
  readonly to: string | null;
  /** Enterprise code, or null for voluntary contributions. */
  readonly employerCode: string | null;
}

export interface InsuranceParticipant {
  readonly insuranceCode: string;
  readonly personalId: string;
  /** Employer of the latest period (null = voluntary). */
  readonly employerCode: string | null;
  readonly contributionPeriods: readonly ContributionPeriod[];
  readonly healthCardNumber: string;
  readonly updatedAt: string;
}

export type LandUseCode = 'ONT' | 'ODT' | 'LUC' | 'CLN' | 'NTS' | 'BHK';

export interface LandOwnership {
  readonly holderKind: 'citizen' | 'business';
  /** personalId or enterprise code. */
  readonly holderId: string;
  readonly from: string;
  /** Exclusive; null = current owner at asOf. */
  readonly to: string | null;
}

export interface LandParcel {
  readonly communeCode: string;
  readonly mapSheet: number;
  readonly parcelNumber: number;
  /** m², one decimal. */
  readonly area: string;
  readonly useCode: LandUseCode;
  /** Serial of the certificate currently valid (a transfer issues a new one). */
  readonly certificateSerial: string;
  readonly owners: readonly LandOwnership[];
  readonly updatedAt: string;
}

/** Which store holds a document the applicant would otherwise bring. */
export type HolderKind = 'national:population' | 'national:business' | 'national:insurance' | 'national:land' | 'earlier-result';

export interface RequiredDocument {
  readonly documentType: string;
  readonly name: string;
  /** Where the state holds it; 'earlier-result' = only if the applicant obtained it earlier in the one-stop system. */
  readonly heldBy: HolderKind | null;
  /** For 'earlier-result': the procedure whose result this document is. */
  readonly resultOfProcedure?: string;
  /** Optional documents are brought only sometimes (always when the state holds them from an earlier result). */
  readonly optional: boolean;
}

/** Who applies for a procedure, which decides where the generator finds the applicant. */
export type ApplicantSource = 'citizen' | 'business' | 'landOwner' | 'insured';

export interface Procedure {
  readonly code: string;
  readonly name: string;
  /** Level before 2025-07-01; district procedures move to the new communes afterwards. */
  readonly level: AdminLevel;
  /** Provincial department handling province-level procedures (agency key). */
  readonly department: string | null;
  readonly fee: number;
  readonly resultIsDocument: boolean;
  readonly resultDocumentType: string | null;
  readonly processingDays: number;
  readonly requiredDocuments: readonly RequiredDocument[];
  readonly applicantSource: ApplicantSource;
  /** Relative volume among procedures. */
  readonly weight: number;
}

export interface Agency {
  readonly code: string;
  readonly name: string;
  readonly level: AdminLevel;
  /** Admin unit it serves (commune/district code, or the province). */
  readonly unitCode: string;
  readonly oneStopStaff: number;
  readonly validFrom: string;
  readonly validTo: string | null;
}

export type Channel = 'online' | 'direct' | 'postal';
export type DossierStatus = 'processing' | 'finished' | 'rejected' | 'withdrawn';
export type Rating = 'satisfied' | 'neutral' | 'dislike' | 'complaint';

export interface Dossier {
  readonly dossierCode: string;
  readonly procedureCode: string;
  /** Level of the handling agency at receipt ('district' disappears from 2025-07-01). */
  readonly level: AdminLevel;
  readonly agencyCode: string;
  readonly applicant: { readonly kind: 'citizen' | 'business'; readonly id: string };
  readonly channel: Channel;
  readonly receivedAt: string;
  readonly appointmentAt: string;
  readonly finishedAt: string | null;
  readonly status: DossierStatus;
  readonly extraDocumentRequests: number;
  /** Days the applicant took to supply extra documents (not counted against the deadline). */
  readonly extraDocumentDays: number;
  readonly resultIsElectronic: boolean;
  readonly resultDigitised: boolean;
  readonly counterWaitMinutes: number | null;
  readonly receivingStaffId: string;
  readonly rating: Rating | null;
  readonly fee: number;
  readonly paidOnline: boolean;
  /** Applicant's commune: old GSO code before 2025-07-01, new unit code from then on. */
  readonly communeCode: string;
  readonly updatedAt: string;
}

export interface ComponentFlags {
  /** DuocSoHoa: a file is attached. */
  readonly digitised: boolean;
  /** DuocTaiSuDung: what the one-stop system says; can disagree with `resupplied`. */
  readonly reused: boolean;
  /** DuocLayTuKhoDMQG. */
  readonly fromNationalStore: boolean;
  /** MaKetQuaThayThe. */
  readonly replacementResultCode: string | null;
}

export interface DossierComponent {
  readonly dossierCode: string;
  readonly seq: number;
  readonly documentType: string;
  /** Ground truth: the state already held this document for this applicant. */
  readonly heldByState: boolean;
  readonly heldBy: HolderKind | null;
  readonly earlierResultCode: string | null;
  /** Ground truth: held by the state, yet the applicant handed it in again. False when not held. */
  readonly resupplied: boolean;
  readonly flags: ComponentFlags;
}

export interface DossierWithComponents {
  readonly dossier: Dossier;
  readonly components: readonly DossierComponent[];
}

export interface WorldCounts {
  readonly adminUnits: number;
  readonly unitMappings: number;
  readonly citizens: number;
  readonly businesses: number;
  readonly insuranceParticipants: number;
  readonly landParcels: number;
  readonly procedures: number;
  readonly agencies: number;
  readonly dossiers: number;
}
