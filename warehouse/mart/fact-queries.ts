/**
 * The queries that fill `mart.component_fact` and `mart.dossier_fact` (tables created by
 * facts.sql). The same text serves a full build and an incremental one: in scope `dirty` every
 * read of a dossier-keyed table is cut to the dossiers the refresh lists in
 * `REFRESH_TABLES.dirty` (refresh-facts.ts), so a delta night reads what changed instead of the
 * whole warehouse.
 */
import { REFRESH_TABLES } from './refresh-tables.js';

/** 'all' = every live dossier; 'dirty' = only the dossiers in REFRESH_TABLES.dirty (dossier_code). */
export type FactScope = 'all' | 'dirty';

const DIRTY_TABLE = REFRESH_TABLES.dirty;

/** `AND <column> IN (the dirty dossiers)` in scope dirty, nothing in scope all. */
const only = (scope: FactScope, column: string): string =>
  scope === 'dirty' ? ` AND ${column} IN (SELECT dossier_code FROM ${DIRTY_TABLE})` : '';

export const COMPONENT_FACT_COLUMNS = [
  'dossier_code', 'seq', 'document_type', 'procedure_code', 'agency_code', 'received_date', 'holder_kind', 'held_by_state',
  'supplied_by_applicant', 'digitised', 'reused', 'from_national_store', 'has_replacement_result',
] as const;

export const DOSSIER_FACT_COLUMNS = [
  'dossier_code', 'procedure_code', 'agency_code', 'level', 'channel', 'status', 'received_date', 'decided_date', 'finished_date',
  'finished_at', 'appointment_at', 'extra_document_requests', 'extra_document_days', 'unit_code', 'old_commune_code',
  'old_district_code', 'new_unit_code', 'result_is_document', 'components', 'any_component_reused', 'all_components_digitised',
  'held_components', 'resupplied_components', 'flagged_but_resupplied', 'taken_but_not_flagged', 'result_is_electronic',
  'result_digitised', 'fee_bearing', 'paid_online', 'rating', 'counter_wait_minutes', 'applicant_vneid_level',
] as const;

/**
 * A component is held by the state when its document type's heldBy (the procedure's
 * required_documents) is satisfied on the dossier's local receipt day by the national data or an
 * earlier result; supplied_by_applicant then says whether the applicant handed it in anyway.
 */
export function componentFactInsert(scope: FactScope): string {
  // The earlier results and first contributions only matter for the applicants of the dossiers
  // rebuilt; in scope dirty the two aggregates read those applicants' rows alone.
  const applicants = scope === 'dirty' ? ' AND (e.applicant_kind, e.applicant_id) IN (SELECT applicant_kind, applicant_id FROM d)' : '';
  const participants = scope === 'dirty' ? ` AND i.personal_id IN (SELECT applicant_id::char(12) FROM d WHERE applicant_kind = 'citizen')` : '';
  return `INSERT INTO mart.component_fact (${COMPONENT_FACT_COLUMNS.join(', ')})
WITH d AS (
  SELECT d.dossier_code, d.procedure_code, d.agency_code, d.applicant_kind, d.applicant_id, d.received_at,
         (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_date
  FROM core.dossier d WHERE d.deleted_at IS NULL${only(scope, 'd.dossier_code')}
), required AS (
  SELECT DISTINCT ON (p.procedure_code, r ->> 'documentType') p.procedure_code, r ->> 'documentType' AS document_type,
         r ->> 'heldBy' AS held_by, r ->> 'resultOfProcedure' AS result_of_procedure
  FROM core.procedure p, jsonb_array_elements(p.required_documents) AS r
  WHERE p.deleted_at IS NULL
  ORDER BY p.procedure_code, r ->> 'documentType'
), first_result AS (
  -- An applicant's earliest finished dossier of each procedure: an earlier result exists on a day
  -- exactly when the earliest one finished before it.
  SELECT e.applicant_kind, e.applicant_id, e.procedure_code, min(e.finished_at) AS finished_at
  FROM core.dossier e WHERE e.status = 'finished' AND e.finished_at IS NOT NULL AND e.deleted_at IS NULL${applicants}
  GROUP BY 1, 2, 3
), first_contribution AS (
  SELECT i.personal_id, min(cp.period_from) AS period_from
  FROM core.insurance_participant i JOIN core.insurance_contribution_period cp ON cp.insurance_code = i.insurance_code
  WHERE i.deleted_at IS NULL${participants} GROUP BY 1
), c AS (
  SELECT c.dossier_code, c.seq, c.document_type, c.supplied_by_applicant, c.digitised, c.reused, c.from_national_store,
         c.replacement_result_code IS NOT NULL AS has_replacement_result,
         d.procedure_code, d.agency_code, d.applicant_kind, d.applicant_id, d.received_at, d.received_date,
         rq.held_by, rq.result_of_procedure,
         CASE WHEN d.applicant_kind = 'citizen' THEN d.applicant_id ELSE b.legal_representative_id END AS person_id,
         b.registration_date AS business_registered
  FROM core.dossier_component c
  JOIN d USING (dossier_code)
  LEFT JOIN required rq ON rq.procedure_code = d.procedure_code AND rq.document_type = c.document_type
  LEFT JOIN core.business b ON d.applicant_kind = 'business' AND b.enterprise_code = d.applicant_id AND b.deleted_at IS NULL
  WHERE c.deleted_at IS NULL${only(scope, 'c.dossier_code')}
)
SELECT c.dossier_code, c.seq, c.document_type, c.procedure_code, c.agency_code, c.received_date,
       c.held_by AS holder_kind,
       coalesce(CASE c.held_by
         WHEN 'national:population' THEN z.birth_date <= c.received_date
         WHEN 'national:business' THEN c.business_registered <= c.received_date
         WHEN 'national:land' THEN EXISTS (
           SELECT 1 FROM core.land_ownership o JOIN core.land_parcel lp ON lp.parcel_id = o.parcel_id AND lp.deleted_at IS NULL
           WHERE o.holder_id = c.applicant_id AND o.holder_kind = c.applicant_kind
             AND o.valid_from <= c.received_date AND (o.valid_to IS NULL OR c.received_date < o.valid_to))
         WHEN 'national:insurance' THEN c.applicant_kind = 'citizen' AND fc.period_from <= c.received_date
         WHEN 'earlier-result' THEN fr.finished_at < c.received_at
       END, false) AS held_by_state,
       c.supplied_by_applicant, c.digitised, c.reused, c.from_national_store, c.has_replacement_result
FROM c
LEFT JOIN core.citizen z ON c.held_by = 'national:population' AND z.personal_id = c.person_id::char(12) AND z.deleted_at IS NULL
LEFT JOIN first_contribution fc ON c.held_by = 'national:insurance' AND fc.personal_id = c.applicant_id::char(12)
LEFT JOIN first_result fr ON c.held_by = 'earlier-result' AND fr.applicant_kind = c.applicant_kind AND fr.applicant_id = c.applicant_id AND fr.procedure_code = c.result_of_procedure`;
}

/** One row per live dossier; reads mart.component_fact, so it runs after {@link componentFactInsert}. */
export function dossierFactInsert(scope: FactScope): string {
  return `INSERT INTO mart.dossier_fact (${DOSSIER_FACT_COLUMNS.join(', ')})
WITH p AS (SELECT reorganisation_date FROM mart.reporting_period),
cs AS (
  SELECT dossier_code, count(*)::int AS components,
         bool_or(reused) AS any_reused, bool_and(digitised) AS all_digitised,
         count(*) FILTER (WHERE held_by_state)::int AS held_components,
         count(*) FILTER (WHERE held_by_state AND supplied_by_applicant)::int AS resupplied_components,
         count(*) FILTER (WHERE held_by_state AND supplied_by_applicant AND reused)::int AS flagged_but_resupplied,
         count(*) FILTER (WHERE held_by_state AND NOT supplied_by_applicant AND NOT reused)::int AS taken_but_not_flagged
  FROM mart.component_fact WHERE true${only(scope, 'dossier_code')} GROUP BY dossier_code
), d AS (
  SELECT d.*, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_date, (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS finished_date
  FROM core.dossier d WHERE d.deleted_at IS NULL${only(scope, 'd.dossier_code')}
), old_district AS (
  -- The commune's district on the receipt day (the latest version valid then). Joined, not a
  -- subquery per dossier: that cost 4 of the view's 5.5 s at scale 0.1.
  SELECT DISTINCT ON (d.dossier_code) d.dossier_code, u.parent_code
  FROM d CROSS JOIN p
  JOIN core.admin_unit u ON u.unit_code = d.commune_code AND u.level = 'commune'
   AND u.valid_from <= d.received_date AND (u.valid_to IS NULL OR d.received_date < u.valid_to)
  WHERE d.received_date < p.reorganisation_date
  ORDER BY d.dossier_code, u.valid_from DESC
), new_unit AS (
  SELECT DISTINCT ON (m.old_code) m.old_code, m.new_code FROM core.admin_unit_mapping m ORDER BY m.old_code, m.valid_from DESC
)
SELECT d.dossier_code, d.procedure_code, d.agency_code, d.level, d.channel, d.status,
       d.received_date,
       CASE WHEN d.status IN ('finished', 'rejected') AND d.finished_at IS NOT NULL THEN d.finished_date END AS decided_date,
       d.finished_date,
       d.finished_at, d.appointment_at, d.extra_document_requests, d.extra_document_days,
       d.commune_code AS unit_code,
       CASE WHEN d.received_date < p.reorganisation_date THEN d.commune_code END AS old_commune_code,
       CASE WHEN d.received_date < p.reorganisation_date THEN od.parent_code END AS old_district_code,
       CASE WHEN d.received_date >= p.reorganisation_date THEN d.commune_code ELSE nu.new_code END AS new_unit_code,
       coalesce(pr.result_is_document, false) AS result_is_document,
       coalesce(cs.components, 0) AS components,
       coalesce(cs.any_reused, false) AS any_component_reused,
       coalesce(cs.all_digitised, true) AS all_components_digitised,
       coalesce(cs.held_components, 0) AS held_components,
       coalesce(cs.resupplied_components, 0) AS resupplied_components,
       coalesce(cs.flagged_but_resupplied, 0) AS flagged_but_resupplied,
       coalesce(cs.taken_but_not_flagged, 0) AS taken_but_not_flagged,
       d.result_is_electronic, d.result_digitised,
       d.fee > 0 AS fee_bearing, d.paid_online,
       r.rating,
       d.counter_wait_minutes,
       z.vneid_level AS applicant_vneid_level
FROM d CROSS JOIN p
LEFT JOIN core.procedure pr ON pr.procedure_code = d.procedure_code AND pr.deleted_at IS NULL
-- The person who signs in to file: the citizen applicant, or the business's legal representative
-- (a citizen's change reaches these facts through the change log's 'citizen' kind).
LEFT JOIN core.business b ON d.applicant_kind = 'business' AND b.enterprise_code = d.applicant_id AND b.deleted_at IS NULL
LEFT JOIN core.citizen z ON z.personal_id = (CASE WHEN d.applicant_kind = 'citizen' THEN d.applicant_id ELSE b.legal_representative_id END)::char(12)
  AND z.deleted_at IS NULL
LEFT JOIN cs ON cs.dossier_code = d.dossier_code
LEFT JOIN core.dossier_rating r ON r.dossier_code = d.dossier_code AND r.deleted_at IS NULL
LEFT JOIN old_district od ON od.dossier_code = d.dossier_code
LEFT JOIN new_unit nu ON nu.old_code = d.commune_code`;
}
