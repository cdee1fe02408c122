import type pg from 'pg';
import type { Agency, DossierWithComponents, Procedure } from '../world/index.js';
import { copyRows } from './copy-rows.js';

/**
 * The provincial one-stop system (hệ thống một cửa điện tử) keeps relational tables, which its
 * connector reads incrementally by (updated_at, key) as a JDBC source connector would.
 *
 * What it records is what the one-stop system knows: the dossier, each submitted component with
 * who supplied the file (the applicant, or an officer taking it from a store) and its Decision 766
 * flags (self-reported, and sometimes wrong). Whether the state already held a document is NOT
 * here: only the warehouse can work that out, by joining to the national databases and to
 * earlier results.
 */
export async function createOnestopSchema(client: pg.ClientBase): Promise<void> {
  await client.query(`
    CREATE SCHEMA IF NOT EXISTS onestop;
    CREATE TABLE IF NOT EXISTS onestop.procedure (
      procedure_code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, fee bigint NOT NULL,
      result_is_document boolean NOT NULL, result_document_type text, processing_days integer NOT NULL,
      required_documents jsonb NOT NULL, updated_at timestamptz NOT NULL
    );
    CREATE TABLE IF NOT EXISTS onestop.agency (
      agency_code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, unit_code text NOT NULL,
      one_stop_staff integer NOT NULL, valid_from date NOT NULL, valid_to date, updated_at timestamptz NOT NULL
    );
    CREATE TABLE IF NOT EXISTS onestop.dossier (
      dossier_code text PRIMARY KEY, procedure_code text NOT NULL, level text NOT NULL, agency_code text NOT NULL,
      applicant_kind text NOT NULL, applicant_id text NOT NULL, channel text NOT NULL,
      received_at timestamptz NOT NULL, appointment_at timestamptz NOT NULL, finished_at timestamptz, status text NOT NULL,
      extra_document_requests integer NOT NULL, extra_document_days integer NOT NULL,
      result_is_electronic boolean NOT NULL, result_digitised boolean NOT NULL, counter_wait_minutes integer,
      receiving_staff_id text NOT NULL, fee bigint NOT NULL, paid_online boolean NOT NULL, commune_code text NOT NULL,
      updated_at timestamptz NOT NULL, deleted_at timestamptz
    );
    CREATE INDEX IF NOT EXISTS dossier_cursor ON onestop.dossier (updated_at, dossier_code);
    CREATE TABLE IF NOT EXISTS onestop.dossier_component (
      dossier_code text NOT NULL, seq integer NOT NULL, document_type text NOT NULL,
      supplied_by_applicant boolean NOT NULL,
      digitised boolean NOT NULL, reused boolean NOT NULL, from_national_store boolean NOT NULL, replacement_result_code text,
      updated_at timestamptz NOT NULL, deleted_at timestamptz,
      PRIMARY KEY (dossier_code, seq)
    );
    CREATE INDEX IF NOT EXISTS dossier_component_cursor ON onestop.dossier_component (updated_at, dossier_code, seq);
    CREATE TABLE IF NOT EXISTS onestop.rating (
      dossier_code text PRIMARY KEY, rating text NOT NULL, updated_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rating_cursor ON onestop.rating (updated_at, dossier_code);`);
}

export async function truncateOnestop(client: pg.ClientBase): Promise<void> {
  await client.query('TRUNCATE onestop.procedure, onestop.agency, onestop.dossier, onestop.dossier_component, onestop.rating');
}

const DOSSIER_COLUMNS = [
  'dossier_code', 'procedure_code', 'level', 'agency_code', 'applicant_kind', 'applicant_id', 'channel', 'received_at', 'appointment_at',
  'finished_at', 'status', 'extra_document_requests', 'extra_document_days', 'result_is_electronic', 'result_digitised',
  'counter_wait_minutes', 'receiving_staff_id', 'fee', 'paid_online', 'commune_code', 'updated_at',
] as const;

const COMPONENT_COLUMNS = [
  'dossier_code', 'seq', 'document_type', 'supplied_by_applicant', 'digitised', 'reused', 'from_national_store', 'replacement_result_code', 'updated_at',
] as const;

/** Loads the one-stop system's catalogue and dossiers; returns counts per table. */
export async function copyOnestop(
  client: pg.ClientBase,
  procedures: Iterable<Procedure>,
  agencies: Iterable<Agency>,
  dossiers: () => Iterable<DossierWithComponents>,
  stamp: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  counts['onestop.procedure'] = await copyRows(
    client,
    'onestop.procedure',
    ['procedure_code', 'name', 'level', 'fee', 'result_is_document', 'result_document_type', 'processing_days', 'required_documents', 'updated_at'],
    [...procedures].map((p) => [p.code, p.name, p.level, p.fee, p.resultIsDocument, p.resultDocumentType, p.processingDays, JSON.stringify(p.requiredDocuments), stamp]),
  );
  counts['onestop.agency'] = await copyRows(
    client,
    'onestop.agency',
    ['agency_code', 'name', 'level', 'unit_code', 'one_stop_staff', 'valid_from', 'valid_to', 'updated_at'],
    [...agencies].map((a) => [a.code, a.name, a.level, a.unitCode, a.oneStopStaff, a.validFrom, a.validTo, stamp]),
  );
  counts['onestop.dossier'] = await copyRows(client, 'onestop.dossier', DOSSIER_COLUMNS, dossierRows(dossiers()));
  counts['onestop.dossier_component'] = await copyRows(client, 'onestop.dossier_component', COMPONENT_COLUMNS, componentRows(dossiers()));
  counts['onestop.rating'] = await copyRows(client, 'onestop.rating', ['dossier_code', 'rating', 'updated_at'], ratingRows(dossiers()));
  return counts;
}

function* dossierRows(all: Iterable<DossierWithComponents>): Generator<readonly (string | number | boolean | null)[]> {
  for (const { dossier: d } of all) {
    yield [
      d.dossierCode, d.procedureCode, d.level, d.agencyCode, d.applicant.kind, d.applicant.id, d.channel, d.receivedAt, d.appointmentAt,
      d.finishedAt, d.status, d.extraDocumentRequests, d.extraDocumentDays, d.resultIsElectronic, d.resultDigitised,
      d.counterWaitMinutes, d.receivingStaffId, d.fee, d.paidOnline, d.communeCode, d.updatedAt,
    ];
  }
}

function* componentRows(all: Iterable<DossierWithComponents>): Generator<readonly (string | number | boolean | null)[]> {
  for (const { dossier, components } of all) {
    for (const c of components) {
      // Who attached the file is a fact the one-stop system records; for a document the state
      // did not hold, the applicant always brought it.
      const suppliedByApplicant = c.heldByState ? c.resupplied : true;
      yield [
        c.dossierCode, c.seq, c.documentType, suppliedByApplicant, c.flags.digitised, c.flags.reused, c.flags.fromNationalStore,
        c.flags.replacementResultCode, dossier.updatedAt,
      ];
    }
  }
}

function* ratingRows(all: Iterable<DossierWithComponents>): Generator<readonly (string | null)[]> {
  for (const { dossier: d } of all) if (d.rating !== null) yield [d.dossierCode, d.rating, d.updatedAt];
}
