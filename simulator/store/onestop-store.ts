import type pg from 'pg';
import type { Agency, Dossier, DossierWithComponents, Procedure, World } from '../world/index.js';
import { FIRST_DOSSIER_DATE } from '../world/context.js';
import { copyFanOut, copyRows } from './copy-rows.js';

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

type Row = readonly (string | number | boolean | null)[];

/** A one-stop table as the loader and advance() write it: columns in row order, and its key. */
export interface OnestopTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly key: readonly string[];
}

export const PROCEDURE_TABLE: OnestopTable = {
  name: 'onestop.procedure',
  columns: ['procedure_code', 'name', 'level', 'fee', 'result_is_document', 'result_document_type', 'processing_days', 'required_documents', 'updated_at'],
  key: ['procedure_code'],
};

export const AGENCY_TABLE: OnestopTable = {
  name: 'onestop.agency',
  columns: ['agency_code', 'name', 'level', 'unit_code', 'one_stop_staff', 'valid_from', 'valid_to', 'updated_at'],
  key: ['agency_code'],
};

export const DOSSIER_TABLE: OnestopTable = {
  name: 'onestop.dossier',
  columns: [
    'dossier_code', 'procedure_code', 'level', 'agency_code', 'applicant_kind', 'applicant_id', 'channel', 'received_at', 'appointment_at',
    'finished_at', 'status', 'extra_document_requests', 'extra_document_days', 'result_is_electronic', 'result_digitised',
    'counter_wait_minutes', 'receiving_staff_id', 'fee', 'paid_online', 'commune_code', 'updated_at',
  ],
  key: ['dossier_code'],
};

export const COMPONENT_TABLE: OnestopTable = {
  name: 'onestop.dossier_component',
  columns: ['dossier_code', 'seq', 'document_type', 'supplied_by_applicant', 'digitised', 'reused', 'from_national_store', 'replacement_result_code', 'updated_at'],
  key: ['dossier_code', 'seq'],
};

export const RATING_TABLE: OnestopTable = { name: 'onestop.rating', columns: ['dossier_code', 'rating', 'updated_at'], key: ['dossier_code'] };

export const ONESTOP_TABLES = [PROCEDURE_TABLE, AGENCY_TABLE, DOSSIER_TABLE, COMPONENT_TABLE, RATING_TABLE] as const;

/** Local (UTC+7) midnight of a date, as UTC ISO-8601. */
const localMidnight = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000+07:00`)).toISOString();

/**
 * The procedure catalogue as the one-stop system has held it since it went live (2021-01-01):
 * a fixed updated_at, so it never looks changed when the world moves on.
 */
export function procedureRows(procedures: Iterable<Procedure>): Row[] {
  const stamp = localMidnight(FIRST_DOSSIER_DATE);
  return [...procedures].map((p) => [p.code, p.name, p.level, p.fee, p.resultIsDocument, p.resultDocumentType, p.processingDays, JSON.stringify(p.requiredDocuments), stamp]);
}

/**
 * Agencies the one-stop system knows at asOf: those set up by then (the new units appear on
 * 2025-07-01). An agency's end of validity shows once it has come, and updates the row then.
 */
export function agencyRows(agencies: Iterable<Agency>, asOf: string): Row[] {
  const rows: Row[] = [];
  for (const a of agencies) {
    if (a.validFrom > asOf) continue;
    const ended = a.validTo !== null && a.validTo <= asOf ? a.validTo : null;
    rows.push([a.code, a.name, a.level, a.unitCode, a.oneStopStaff, a.validFrom, ended, localMidnight(ended ?? a.validFrom)]);
  }
  return rows;
}

export function dossierRow(d: Dossier): Row {
  return [
    d.dossierCode, d.procedureCode, d.level, d.agencyCode, d.applicant.kind, d.applicant.id, d.channel, d.receivedAt, d.appointmentAt,
    d.finishedAt, d.status, d.extraDocumentRequests, d.extraDocumentDays, d.resultIsElectronic, d.resultDigitised,
    d.counterWaitMinutes, d.receivingStaffId, d.fee, d.paidOnline, d.communeCode, d.updatedAt,
  ];
}

export function componentRows({ dossier, components }: DossierWithComponents): Row[] {
  return components.map((c) => {
    // Who attached the file is a fact the one-stop system records; for a document the state
    // did not hold, the applicant always brought it.
    const suppliedByApplicant = c.heldByState ? c.resupplied : true;
    return [
      c.dossierCode, c.seq, c.documentType, suppliedByApplicant, c.flags.digitised, c.flags.reused, c.flags.fromNationalStore,
      c.flags.replacementResultCode, dossier.updatedAt,
    ];
  });
}

export function ratingRows(d: Dossier): Row[] {
  return d.rating === null ? [] : [[d.dossierCode, d.rating, d.updatedAt]];
}

/** Rows of the three dossier tables, each in its table's column order. */
export function dossierTableRows(record: DossierWithComponents): readonly [readonly Row[], readonly Row[], readonly Row[]] {
  return [[dossierRow(record.dossier)], componentRows(record), ratingRows(record.dossier)];
}

/**
 * Loads the one-stop system's catalogue and dossiers; returns counts per table. The dossiers are
 * generated once and streamed to the three dossier tables together, each on its own connection
 * (`clients`: three, the first also takes the catalogue).
 */
export async function copyOnestop(clients: readonly [pg.ClientBase, pg.ClientBase, pg.ClientBase], world: World): Promise<Record<string, number>> {
  const { asOf } = world.options;
  const counts: Record<string, number> = {};
  counts[PROCEDURE_TABLE.name] = await copyRows(clients[0], PROCEDURE_TABLE.name, PROCEDURE_TABLE.columns, procedureRows(world.procedures()));
  counts[AGENCY_TABLE.name] = await copyRows(clients[0], AGENCY_TABLE.name, AGENCY_TABLE.columns, agencyRows(world.agencies(), asOf));
  const tables = [DOSSIER_TABLE, COMPONENT_TABLE, RATING_TABLE] as const;
  const written = await copyFanOut(
    tables.map((t, i) => ({ client: clients[i] ?? clients[0], table: t.name, columns: t.columns })),
    world.dossiers(),
    dossierTableRows,
  );
  tables.forEach((t, i) => (counts[t.name] = written[i] ?? 0));
  return counts;
}
