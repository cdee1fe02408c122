/**
 * The simulated province: a deterministic world generator (ground truth for the mock national
 * databases, the one-stop system and the warehouse tests).
 *
 * Lifecycle: `createWorld(options)` validates the options and builds small lookup tables
 * (O(years + communes + days)); each accessor then streams records one by one, recomputing
 * entity i from hash(seed, kind, i) — nothing is kept, so scale 1.0 runs in bounded memory, and
 * the same (seed, scale, asOf) always yields byte-identical records.
 *
 * Time: every event (birth, move, death, registration, transfer, dossier step) has a fixed date
 * independent of asOf; asOf only hides what has not happened yet. A later asOf therefore gives a
 * superset world with some records further along (updatedAt moved on) — which is what
 * `advanceWorld` (simulator/store/advance.ts) builds on: `createWorld({ ...options, asOf: asOf + days })`
 * and write what has updatedAt > the end of the old asOf day (time.test.ts pins the property).
 */
import type { AdminUnit, Agency, Business, Citizen, DossierWithComponents, InsuranceParticipant, LandParcel, Procedure, UnitMapping, WorldCounts } from './types.js';
import { createContext, DEFAULT_AS_OF } from './context.js';
import { ADMIN_UNIT_COUNT, adminUnits, OLD_COMMUNES, unitMappings } from './admin-units.js';
import { citizenCount, citizens } from './citizens.js';
import { businessCount, businesses } from './businesses.js';
import { insuranceParticipants } from './insurance.js';
import { landParcels } from './land.js';
import { PROCEDURES } from './procedures.js';
import { AGENCIES } from './agencies.js';
import { DOSSIER_MAX_LIFETIME_DAYS, dossiers } from './dossiers.js';
import { dayOf, MS_PER_DAY, VN_OFFSET_MS } from './dates.js';
import { createLookup, type WorldLookup } from './lookup.js';
import type { WorldContext } from './context.js';

export type * from './types.js';
export { computeTruth, type GroundTruth } from './truth.js';
export { VNEID_LAUNCH_DATE } from './vneid.js';
export type { Indicators, Ratio } from './indicator-counters.js';
export type { WorldLookup } from './lookup.js';

export interface WorldOptions {
  readonly seed: number;
  readonly scale: number;
  readonly asOf?: string;
  /**
   * The day (YYYY-MM-DD, from 2022-07-01) the population database starts recording citizens'
   * e-identification level, served as `vneidLevel` (vneid.ts). Unset or null: it never does, and
   * the world is the one it always was. Before that day the world is the same either way.
   */
  readonly vneidFrom?: string | null;
}

export interface World {
  readonly options: Required<WorldOptions>;
  adminUnits(): Iterable<AdminUnit>;
  unitMappings(): Iterable<UnitMapping>;
  citizens(): Iterable<Citizen>;
  businesses(): Iterable<Business>;
  insuranceParticipants(): Iterable<InsuranceParticipant>;
  landParcels(): Iterable<LandParcel>;
  procedures(): Iterable<Procedure>;
  agencies(): Iterable<Agency>;
  /** In receipt order (day by day). */
  dossiers(): Iterable<DossierWithComponents>;
  /**
   * Only the dossiers that may have changed after `date` (YYYY-MM-DD): those received from
   * `date` − DOSSIER_MAX_LIFETIME_DAYS on; older ones were settled before it. For advance().
   */
  dossiersChangingAfter(date: string): Iterable<DossierWithComponents>;
  /** Number of records each accessor yields; cheap (no record is generated). */
  counts(): WorldCounts;
}

/** The last instant of a local (UTC+7) day, as UTC ISO-8601: no record of a world at asOf is updated after it. */
export function endOfDay(date: string): string {
  return new Date((dayOf(date) + 1) * MS_PER_DAY - VN_OFFSET_MS - 1).toISOString();
}

/** The day `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date((dayOf(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

const contexts = new WeakMap<World, WorldContext>();

export function createWorld(options: WorldOptions): World {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const vneidFrom = options.vneidFrom ?? null;
  const ctx = createContext(options.seed, options.scale, asOf, vneidFrom);
  let counts: WorldCounts | undefined;
  const world: World = {
    options: { seed: options.seed, scale: options.scale, asOf, vneidFrom },
    adminUnits: () => adminUnits(),
    unitMappings: () => unitMappings(),
    citizens: () => citizens(ctx),
    businesses: () => businesses(ctx),
    insuranceParticipants: () => insuranceParticipants(ctx),
    landParcels: () => landParcels(ctx),
    procedures: () => PROCEDURES,
    agencies: () => AGENCIES,
    dossiers: () => dossiers(ctx),
    dossiersChangingAfter: (date) => dossiers(ctx, dayOf(date) - DOSSIER_MAX_LIFETIME_DAYS),
    counts: () =>
      (counts ??= {
        adminUnits: ADMIN_UNIT_COUNT,
        unitMappings: OLD_COMMUNES.length,
        citizens: citizenCount(ctx),
        businesses: businessCount(ctx),
        insuranceParticipants: ctx.participantCount,
        landParcels: ctx.parcelCount,
        procedures: PROCEDURES.length,
        agencies: AGENCIES.length,
        dossiers: ctx.calendar.total,
      }),
  };
  contexts.set(world, ctx);
  return world;
}

/**
 * O(1) get-by-identifier on a world (an addition beside the World contract): recomputes the
 * record from its identifier, e.g. for the mock national services' GET-by-id endpoints.
 */
export function lookup(world: World): WorldLookup {
  const ctx = contexts.get(world);
  if (ctx === undefined) throw new TypeError('lookup() needs a world made by createWorld()');
  return createLookup(ctx);
}
