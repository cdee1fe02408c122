import type { Knex } from 'knex';

/** Lineage of a loaded row: the run and the Kafka message that set it. */
const LINEAGE = `
      run_id         bigint,
      src_topic      text NOT NULL,
      src_partition  integer NOT NULL,
      src_offset     bigint NOT NULL,
      loaded_at      timestamptz NOT NULL DEFAULT now()`;

/** Current-state entity tables also keep the source's deletions. */
const STATE = `
      source_updated_at  timestamptz NOT NULL,
      deleted_at         timestamptz,${LINEAGE}`;

/**
 * The conformed `core` model. Conventions for analysts:
 * - one table per entity, current state, primary key = the source's identifier; `deleted_at` marks
 *   deletions in the source (soft delete); lineage columns on every row;
 * - validity intervals are half-open everywhere: `valid_from <= t AND (valid_to IS NULL OR t < valid_to)`;
 * - `*_history` tables are SCD type 2 versions built by the loads (src/sink/history.ts): history
 *   starts when the warehouse first saw the record (its `source_updated_at`), not before;
 * - child tables (contribution periods, land ownership, dossier components) hold the source's own
 *   periods and are replaced as a set whenever their parent changes.
 * Check constraints are named `<table>_<column>_check`, so a rejected record names the field.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE core.citizen_residence_history (
      personal_id             char(12) NOT NULL,
      residence_commune_code  char(5) NOT NULL,
      valid_from              timestamptz NOT NULL,
      valid_to                timestamptz,${LINEAGE},
      PRIMARY KEY (personal_id, valid_from)
    );
    COMMENT ON TABLE core.citizen_residence_history IS 'SCD2: commune of permanent residence of each citizen over time, from the population loads (valid_to exclusive, NULL = current).';
    INSERT INTO core.citizen_residence_history (personal_id, residence_commune_code, valid_from, valid_to, run_id, src_topic, src_partition, src_offset, loaded_at)
      SELECT personal_id, residence_commune_code, source_updated_at, deleted_at, run_id, src_topic, src_partition, src_offset, loaded_at FROM core.citizen;

    CREATE VIEW core.household AS
      SELECT household_id, count(*)::int AS members, min(residence_commune_code) AS residence_commune_code, max(source_updated_at) AS source_updated_at
      FROM core.citizen WHERE deleted_at IS NULL GROUP BY household_id;
    COMMENT ON VIEW core.household IS 'Households (ho gia dinh) as the population database links citizens to them: living members and their commune.';

    CREATE TABLE core.business (
      enterprise_code          text PRIMARY KEY,
      name                     text NOT NULL,
      legal_type               text NOT NULL CONSTRAINT business_legal_type_check CHECK (legal_type IN ('DNTN', 'TNHH1TV', 'TNHH2TV', 'CP')),
      legal_representative_id  char(12) NOT NULL,
      commune_code             char(5) NOT NULL,
      registration_date        date NOT NULL,
      dissolution_date         date CONSTRAINT business_dissolution_date_check CHECK (dissolution_date >= registration_date),
      status                   text NOT NULL CONSTRAINT business_status_check CHECK (status IN ('active', 'suspended', 'dissolved')),${STATE}
    );
    COMMENT ON TABLE core.business IS 'Enterprises from the national business registration database, current state.';

    CREATE TABLE core.business_status_history (
      enterprise_code  text NOT NULL,
      status           text NOT NULL,
      valid_from       timestamptz NOT NULL,
      valid_to         timestamptz,${LINEAGE},
      PRIMARY KEY (enterprise_code, valid_from)
    );
    COMMENT ON TABLE core.business_status_history IS 'SCD2: registry status of each enterprise over time, from the business loads.';

    CREATE TABLE core.insurance_participant (
      insurance_code      char(10) PRIMARY KEY,
      personal_id         char(12) NOT NULL,
      employer_code       text,
      health_card_number  text NOT NULL,${STATE}
    );
    COMMENT ON TABLE core.insurance_participant IS 'Social-insurance participants from the national social insurance database, current state.';

    CREATE TABLE core.insurance_contribution_period (
      insurance_code  char(10) NOT NULL,
      seq             integer NOT NULL,
      period_from     date NOT NULL,
      period_to       date CONSTRAINT insurance_contribution_period_period_to_check CHECK (period_to > period_from),
      employer_code   text,${LINEAGE},
      PRIMARY KEY (insurance_code, seq)
    );
    COMMENT ON TABLE core.insurance_contribution_period IS 'Contribution periods of each participant, oldest first (period_to exclusive, NULL = still contributing; employer NULL = voluntary).';

    CREATE TABLE core.land_parcel (
      parcel_id           text PRIMARY KEY,
      commune_code        char(5) NOT NULL,
      map_sheet           integer NOT NULL,
      parcel_number       integer NOT NULL,
      area                numeric(12, 1) NOT NULL CONSTRAINT land_parcel_area_check CHECK (area > 0),
      use_code            text NOT NULL CONSTRAINT land_parcel_use_code_check CHECK (use_code IN ('ONT', 'ODT', 'LUC', 'CLN', 'NTS', 'BHK')),
      certificate_serial  text NOT NULL,${STATE}
    );
    COMMENT ON TABLE core.land_parcel IS 'Land parcels from the national land database, current state; key <commune>-<map sheet>-<parcel number>.';

    CREATE TABLE core.land_ownership (
      parcel_id    text NOT NULL,
      seq          integer NOT NULL,
      holder_kind  text NOT NULL CONSTRAINT land_ownership_holder_kind_check CHECK (holder_kind IN ('citizen', 'business')),
      holder_id    text NOT NULL,
      valid_from   date NOT NULL,
      valid_to     date CONSTRAINT land_ownership_valid_to_check CHECK (valid_to > valid_from),${LINEAGE},
      PRIMARY KEY (parcel_id, seq)
    );
    CREATE INDEX land_ownership_holder ON core.land_ownership (holder_id);
    COMMENT ON TABLE core.land_ownership IS 'Holders of the land-use right of each parcel over time, as the land database records them (its own periods; valid_to exclusive, NULL = current holder).';

    CREATE TABLE core.procedure (
      procedure_code        text PRIMARY KEY,
      name                  text NOT NULL,
      level                 text NOT NULL CONSTRAINT procedure_level_check CHECK (level IN ('province', 'district', 'commune')),
      fee                   bigint NOT NULL CONSTRAINT procedure_fee_check CHECK (fee >= 0),
      result_is_document    boolean NOT NULL,
      result_document_type  text,
      processing_days       integer NOT NULL,
      required_documents    jsonb NOT NULL,${STATE}
    );
    COMMENT ON TABLE core.procedure IS 'Administrative procedures (TTHC) of the one-stop catalogue.';

    CREATE TABLE core.agency (
      agency_code     text PRIMARY KEY,
      name            text NOT NULL,
      level           text NOT NULL CONSTRAINT agency_level_check CHECK (level IN ('province', 'district', 'commune')),
      unit_code       text NOT NULL,
      one_stop_staff  integer NOT NULL CONSTRAINT agency_one_stop_staff_check CHECK (one_stop_staff >= 0),
      valid_from      date NOT NULL,
      valid_to        date,${STATE}
    );
    COMMENT ON TABLE core.agency IS 'Agencies receiving dossiers; valid_to exclusive (the source gives the last day; the load adds one).';

    CREATE TABLE core.dossier (
      dossier_code             text PRIMARY KEY,
      procedure_code           text NOT NULL,
      level                    text NOT NULL CONSTRAINT dossier_level_check CHECK (level IN ('province', 'district', 'commune')),
      agency_code              text NOT NULL,
      applicant_kind           text NOT NULL CONSTRAINT dossier_applicant_kind_check CHECK (applicant_kind IN ('citizen', 'business')),
      applicant_id             text NOT NULL,
      channel                  text NOT NULL CONSTRAINT dossier_channel_check CHECK (channel IN ('online', 'direct', 'postal')),
      received_at              timestamptz NOT NULL,
      appointment_at           timestamptz NOT NULL,
      finished_at              timestamptz,
      status                   text NOT NULL CONSTRAINT dossier_status_check CHECK (status IN ('processing', 'finished', 'rejected', 'withdrawn')),
      extra_document_requests  integer NOT NULL,
      extra_document_days      integer NOT NULL,
      result_is_electronic     boolean NOT NULL,
      result_digitised         boolean NOT NULL,
      counter_wait_minutes     integer,
      receiving_staff_id       text NOT NULL,
      fee                      bigint NOT NULL,
      paid_online              boolean NOT NULL,
      commune_code             text NOT NULL,${STATE}
    );
    CREATE INDEX dossier_received ON core.dossier (received_at);
    COMMENT ON TABLE core.dossier IS 'Administrative-procedure dossiers of the provincial one-stop system, current state.';

    CREATE TABLE core.dossier_component (
      dossier_code             text NOT NULL,
      seq                      integer NOT NULL CONSTRAINT dossier_component_seq_check CHECK (seq >= 1),
      document_type            text NOT NULL,
      supplied_by_applicant    boolean NOT NULL,
      digitised                boolean NOT NULL,
      reused                   boolean NOT NULL,
      from_national_store      boolean NOT NULL,
      replacement_result_code  text,${STATE},
      PRIMARY KEY (dossier_code, seq)
    );
    COMMENT ON TABLE core.dossier_component IS 'Documents submitted with each dossier (TaiLieuNop) with the Decision 766 flags.';

    CREATE TABLE core.dossier_rating (
      dossier_code  text PRIMARY KEY,
      rating        text NOT NULL CONSTRAINT dossier_rating_rating_check CHECK (rating IN ('satisfied', 'neutral', 'dislike', 'complaint')),${STATE}
    );
    COMMENT ON TABLE core.dossier_rating IS 'The applicant''s rating of how a dossier was handled.';

    CREATE TABLE core.admin_unit (
      unit_code    text NOT NULL,
      valid_from   date NOT NULL,
      valid_to     date,
      name         text NOT NULL,
      level        text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
      parent_code  text,
      invented     boolean NOT NULL,
      PRIMARY KEY (unit_code, valid_from)
    );
    COMMENT ON TABLE core.admin_unit IS 'Administrative units (GSO codes) with validity (valid_to exclusive): a new unit may re-use an old code, so (code, valid_from) identifies one. Reference data, warehouse/reference/admin-units.json.';

    CREATE TABLE core.admin_unit_mapping (
      old_code    text NOT NULL,
      new_code    text NOT NULL,
      valid_from  date NOT NULL,
      PRIMARY KEY (old_code, valid_from)
    );
    COMMENT ON TABLE core.admin_unit_mapping IS 'The 2025 reorganisation: old commune → the new commune-level unit that absorbed it, from valid_from.';
  `);
}
