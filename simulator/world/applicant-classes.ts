/**
 * Keeps "earlier results" exact. A warehouse finds an earlier result by joining a component to an
 * earlier finished dossier of the same applicant whose procedure produces that document. If a
 * random applicant happened to have such a dossier without the generator linking it, the truth
 * (heldByState false) and the join would disagree. So every procedure that produces or consumes a
 * re-usable result draws its *base* applicants from its own exclusive slice of the population
 * (and of the businesses); the only way an applicant of a consuming procedure can hold the needed
 * result is a generated follow-up, which is linked. Other procedures draw from everyone.
 */
import { hash4, unit } from './prng.js';
import { FOLLOW_UPS, PROCEDURES } from './procedures.js';
import { STREAM } from './streams.js';

const producers = new Set(FOLLOW_UPS.keys());
const consumers = new Set(PROCEDURES.filter((p) => p.requiredDocuments.some((d) => d.resultOfProcedure !== undefined)).map((p) => p.code));
const classed = PROCEDURES.filter((p) => producers.has(p.code) || consumers.has(p.code));
const totalWeight = PROCEDURES.reduce((s, p) => s + p.weight, 0);

/**
 * Slice [from, to) of [0, 1) per classed procedure, sized by its share of the volume. Land
 * procedures find applicants by rejection over parcels (each try recomputes a parcel's owners), so
 * their slices are widened to keep the tries few.
 */
const LAND_WIDENING = 3.5;
const SLICES = new Map<string, readonly [number, number]>();
{
  let from = 0;
  for (const p of classed) {
    const to = from + (p.weight / totalWeight) * (p.applicantSource === 'landOwner' ? LAND_WIDENING : 1);
    SLICES.set(p.code, [from, to]);
    from = to;
  }
  if (from > 1) throw new RangeError('applicant slices exceed the population');
}

/** The position in [0, 1) of an applicant (citizen or business index) for the slicing above. */
function position(seed: number, kind: 'citizen' | 'business', ref: number): number {
  return unit(hash4(seed, STREAM.applicantClass, kind === 'citizen' ? 0 : 1, ref));
}

/** True if the applicant may apply for the procedure in a dossier that follows nothing. */
export function mayApplyAsBase(seed: number, procedureCode: string, kind: 'citizen' | 'business', ref: number): boolean {
  const p = position(seed, kind, ref);
  const own = SLICES.get(procedureCode);
  if (own !== undefined) return p >= own[0] && p < own[1];
  return true;
}

export function isClassed(procedureCode: string): boolean {
  return SLICES.has(procedureCode);
}
