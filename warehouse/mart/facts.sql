-- The mart's base: the reporting period, its windows, and one row per dossier component and per
-- dossier with everything the indicators need. No personal identifier leaves core: the facts carry
-- dossier, procedure, agency and unit codes only. Local dates are Vietnam's (UTC+7, no DST).

CREATE TABLE mart.reporting_period (
  singleton            boolean PRIMARY KEY DEFAULT true CONSTRAINT reporting_period_singleton_check CHECK (singleton),
  as_of                date,
  reorganisation_date  date NOT NULL DEFAULT DATE '2025-07-01',
  note                 text
);
INSERT INTO mart.reporting_period (singleton, as_of, note)
  VALUES (true, NULL, 'as_of NULL: the last local day a dossier was received. Set it (UPDATE mart.reporting_period SET as_of = ...) to the extraction cut-off, then refresh the mart.');
COMMENT ON TABLE mart.reporting_period IS 'One row: the reporting cut-off (as_of) and the date of the 2025 reorganisation. Indicators count what happened up to the end of as_of (local time); dossiers still open then are in progress.';
COMMENT ON COLUMN mart.reporting_period.singleton IS 'Always true: the table has exactly one row.';
COMMENT ON COLUMN mart.reporting_period.as_of IS 'Last local (UTC+7) day the indicators cover; NULL = the last day a dossier was received. Should equal the sources'' extraction cut-off.';
COMMENT ON COLUMN mart.reporting_period.reorganisation_date IS 'First day of the two-level units (2025-07-01, DOMAIN.md): before it the old districts and communes, from it the new commune-level units.';
COMMENT ON COLUMN mart.reporting_period.note IS 'Free text: why as_of has its value.';

CREATE MATERIALIZED VIEW mart.reporting_window AS
WITH p AS (
  -- min/max of received_at itself (index core.dossier_received), converted to local dates after.
  SELECT coalesce(rp.as_of, ((SELECT max(d.received_at) FROM core.dossier d WHERE d.deleted_at IS NULL) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS as_of,
         rp.reorganisation_date,
         date_trunc('year', (SELECT min(d.received_at) FROM core.dossier d WHERE d.deleted_at IS NULL) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first_day
  FROM mart.reporting_period rp
), w AS (
  SELECT 'year' AS window_type, y::date AS window_start, (y + interval '1 year')::date - 1 AS window_end, to_char(y, 'YYYY') AS label, p.as_of
  FROM p, generate_series(p.first_day, p.as_of, interval '1 year') AS y
  UNION ALL
  SELECT 'quarter', q::date, (q + interval '3 months')::date - 1, to_char(q, 'YYYY-"Q"Q'), p.as_of
  FROM p, generate_series(date_trunc('quarter', p.first_day), p.as_of, interval '3 months') AS q
  UNION ALL
  SELECT 'whole_period', p.first_day, p.as_of, 'whole period', p.as_of FROM p WHERE p.first_day IS NOT NULL
  UNION ALL
  SELECT 'before_reorganisation', p.first_day, p.reorganisation_date - 1, 'before ' || p.reorganisation_date, p.as_of FROM p WHERE p.first_day < p.reorganisation_date
  UNION ALL
  SELECT 'after_reorganisation', p.reorganisation_date, p.as_of, 'from ' || p.reorganisation_date, p.as_of FROM p WHERE p.as_of >= p.reorganisation_date
)
SELECT window_type, window_start, least(window_end, as_of) AS window_end, label,
       (least(window_end, as_of) + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' - interval '1 millisecond' AS window_end_at
FROM w;
CREATE UNIQUE INDEX reporting_window_key ON mart.reporting_window (window_type, window_start);
COMMENT ON MATERIALIZED VIEW mart.reporting_window IS 'Materialised (refreshed with the mart, so a new as_of takes effect at the next refresh). The periods indicators are reported for: calendar years and quarters (local time), the whole period, and before / from the 2025 reorganisation; each ends at as_of at the latest.';
COMMENT ON COLUMN mart.reporting_window.window_type IS 'year | quarter | whole_period | before_reorganisation | after_reorganisation.';
COMMENT ON COLUMN mart.reporting_window.window_start IS 'First local day of the period.';
COMMENT ON COLUMN mart.reporting_window.window_end IS 'Last local day of the period (cut at as_of).';
COMMENT ON COLUMN mart.reporting_window.label IS 'Display name of the period, e.g. 2024, 2024-Q3, whole period.';
COMMENT ON COLUMN mart.reporting_window.window_end_at IS 'The last instant of the period (end of window_end, local time): dossiers open then are in progress at the period''s end.';

-- The two fact tables are tables, not materialised views: a refresh rebuilds only the dossiers
-- whose inputs changed since the last one (change-log.ts records which; fact-queries.ts fills them).
CREATE TABLE mart.component_fact (
  dossier_code            text NOT NULL,
  seq                     integer NOT NULL,
  document_type           text NOT NULL,
  procedure_code          text NOT NULL,
  agency_code             text NOT NULL,
  received_date           date NOT NULL,
  holder_kind             text,
  held_by_state           boolean NOT NULL,
  supplied_by_applicant   boolean NOT NULL,
  digitised               boolean NOT NULL,
  reused                  boolean NOT NULL,
  from_national_store     boolean NOT NULL,
  has_replacement_result  boolean NOT NULL,
  CONSTRAINT component_fact_key PRIMARY KEY (dossier_code, seq)
);
COMMENT ON TABLE mart.component_fact IS 'One row per document submitted with a dossier (live rows of core.dossier_component): whether the state already held it on the day of receipt, whether the applicant handed it in anyway, and the Decision 766 flags. No personal identifiers. Rebuilt at each mart refresh for the dossiers whose inputs changed.';
COMMENT ON COLUMN mart.component_fact.dossier_code IS 'Dossier code (ma ho so): agency code, receipt date, sequence number.';
COMMENT ON COLUMN mart.component_fact.seq IS 'Position of the document in the dossier, from 1.';
COMMENT ON COLUMN mart.component_fact.document_type IS 'Document type code, as in the procedure''s required_documents.';
COMMENT ON COLUMN mart.component_fact.procedure_code IS 'Procedure (TTHC) code of the dossier.';
COMMENT ON COLUMN mart.component_fact.agency_code IS 'Agency that received the dossier.';
COMMENT ON COLUMN mart.component_fact.received_date IS 'Local (UTC+7) day the dossier was received.';
COMMENT ON COLUMN mart.component_fact.holder_kind IS 'Where the state may hold this document type (the procedure''s heldBy): national:population | national:business | national:land | national:insurance | earlier-result; NULL = nowhere.';
COMMENT ON COLUMN mart.component_fact.held_by_state IS 'The state held it on the receipt day: population = the citizen applicant (or the business''s legal representative) is a live, born citizen; business = the applicant is a registered business; land = the applicant holds a parcel that day; insurance = the applicant is a participant whose contributions had started; earlier-result = the same applicant has a dossier of the producing procedure finished before this one was received.';
COMMENT ON COLUMN mart.component_fact.supplied_by_applicant IS 'The applicant handed the document in (the one-stop system''s record).';
COMMENT ON COLUMN mart.component_fact.digitised IS '766 flag DuocSoHoa: a file is attached.';
COMMENT ON COLUMN mart.component_fact.reused IS '766 flag DuocTaiSuDung: the one-stop system says the document was re-used.';
COMMENT ON COLUMN mart.component_fact.from_national_store IS '766 flag DuocLayTuKhoDMQG: taken from the national data store.';
COMMENT ON COLUMN mart.component_fact.has_replacement_result IS '766 field MaKetQuaThayThe is set: an earlier result stands in for the document.';

CREATE TABLE mart.dossier_fact (
  dossier_code              text NOT NULL CONSTRAINT dossier_fact_key PRIMARY KEY,
  procedure_code            text NOT NULL,
  agency_code               text NOT NULL,
  level                     text NOT NULL,
  channel                   text NOT NULL,
  status                    text NOT NULL,
  received_date             date NOT NULL,
  decided_date              date,
  finished_date             date,
  finished_at               timestamptz,
  appointment_at            timestamptz NOT NULL,
  extra_document_requests   integer NOT NULL,
  extra_document_days       integer NOT NULL,
  unit_code                 text NOT NULL,
  old_commune_code          text,
  old_district_code         text,
  new_unit_code             text,
  result_is_document        boolean NOT NULL,
  components                integer NOT NULL,
  any_component_reused      boolean NOT NULL,
  all_components_digitised  boolean NOT NULL,
  held_components           integer NOT NULL,
  resupplied_components     integer NOT NULL,
  flagged_but_resupplied    integer NOT NULL,
  taken_but_not_flagged     integer NOT NULL,
  result_is_electronic      boolean NOT NULL,
  result_digitised          boolean NOT NULL,
  fee_bearing               boolean NOT NULL,
  paid_online               boolean NOT NULL,
  rating                    text,
  counter_wait_minutes      integer,
  applicant_vneid_level     smallint
);
CREATE INDEX dossier_fact_received ON mart.dossier_fact (received_date);
COMMENT ON TABLE mart.dossier_fact IS 'One row per live dossier with the facts the indicators count: local dates, units old and new, component summaries (held / re-supplied / 766 flags), result, payment, rating, wait. No personal identifiers. Rebuilt at each mart refresh for the dossiers whose inputs changed.';
COMMENT ON COLUMN mart.dossier_fact.dossier_code IS 'Dossier code (ma ho so).';
COMMENT ON COLUMN mart.dossier_fact.procedure_code IS 'Procedure (TTHC) code.';
COMMENT ON COLUMN mart.dossier_fact.agency_code IS 'Agency that received the dossier.';
COMMENT ON COLUMN mart.dossier_fact.level IS 'Level of the receiving agency: province | district | commune (no district from 2025-07-01).';
COMMENT ON COLUMN mart.dossier_fact.channel IS 'online | direct | postal.';
COMMENT ON COLUMN mart.dossier_fact.status IS 'processing | finished | rejected | withdrawn, at the time of the last load.';
COMMENT ON COLUMN mart.dossier_fact.received_date IS 'Local (UTC+7) day of receipt: the period of received-based indicators.';
COMMENT ON COLUMN mart.dossier_fact.decided_date IS 'Local day of the decision for finished or rejected dossiers (NULL otherwise): the period of decision-based indicators. Withdrawn dossiers are not decided by the agency.';
COMMENT ON COLUMN mart.dossier_fact.finished_date IS 'Local day the dossier was closed (finished, rejected or withdrawn); NULL = still open.';
COMMENT ON COLUMN mart.dossier_fact.finished_at IS 'Instant the dossier was closed; NULL = still open.';
COMMENT ON COLUMN mart.dossier_fact.appointment_at IS 'Promised date of the result (ngay hen tra).';
COMMENT ON COLUMN mart.dossier_fact.extra_document_requests IS 'Requests for extra documents; more than one makes the dossier overdue (766).';
COMMENT ON COLUMN mart.dossier_fact.extra_document_days IS 'Days the applicant took to supply extra documents, not counted against the appointment (766).';
COMMENT ON COLUMN mart.dossier_fact.unit_code IS 'Unit the dossier carries: the old commune code before the reorganisation, the new unit code from it.';
COMMENT ON COLUMN mart.dossier_fact.old_commune_code IS 'Old (pre-2025-07-01) commune code, for dossiers received before the reorganisation; NULL after.';
COMMENT ON COLUMN mart.dossier_fact.old_district_code IS 'Old district of old_commune_code (core.admin_unit valid on the receipt day); NULL after the reorganisation.';
COMMENT ON COLUMN mart.dossier_fact.new_unit_code IS 'New commune-level unit: unit_code from the reorganisation on, the old commune mapped through core.admin_unit_mapping before.';
COMMENT ON COLUMN mart.dossier_fact.result_is_document IS 'The procedure''s result is a document (denominator of results digitised and 4.1).';
COMMENT ON COLUMN mart.dossier_fact.components IS 'Documents submitted with the dossier.';
COMMENT ON COLUMN mart.dossier_fact.any_component_reused IS 'At least one component flagged re-used (numerator of 766 indicator 4.3).';
COMMENT ON COLUMN mart.dossier_fact.all_components_digitised IS 'Every component has a file attached (true when there are none).';
COMMENT ON COLUMN mart.dossier_fact.held_components IS 'Components the state already held on the receipt day (mart.component_fact.held_by_state).';
COMMENT ON COLUMN mart.dossier_fact.resupplied_components IS 'Held components the applicant handed in again: missed re-use opportunities.';
COMMENT ON COLUMN mart.dossier_fact.flagged_but_resupplied IS 'Held components handed in again yet flagged re-used (over-flagging).';
COMMENT ON COLUMN mart.dossier_fact.taken_but_not_flagged IS 'Held components not handed in yet not flagged re-used (under-flagging).';
COMMENT ON COLUMN mart.dossier_fact.result_is_electronic IS 'The result has an attached electronic file (766 indicator 4.1).';
COMMENT ON COLUMN mart.dossier_fact.result_digitised IS 'The result was digitised (plan: valid results digitised).';
COMMENT ON COLUMN mart.dossier_fact.fee_bearing IS 'The dossier has a fee > 0 (denominator of 766 indicator 3.6).';
COMMENT ON COLUMN mart.dossier_fact.paid_online IS 'The fee was paid online.';
COMMENT ON COLUMN mart.dossier_fact.rating IS 'The applicant''s rating: satisfied | neutral | dislike | complaint; NULL = none.';
COMMENT ON COLUMN mart.dossier_fact.counter_wait_minutes IS 'Minutes waited at the one-stop counter (direct dossiers); NULL = no counter visit.';
COMMENT ON COLUMN mart.dossier_fact.applicant_vneid_level IS 'E-identification (VNeID) level of the applicant, or of a business applicant''s legal representative, as the population database last reported it (core.citizen.vneid_level: now, not on the receipt day): 2 = identity verified, which lets them file online; 1 = app account only; NULL = no account, or not reported (before the source served the field, the citizen unchanged since).';
