import { communeCodeProblem, enterpriseCodeProblem, personalIdProblem } from '../../src/domain/identifiers.js';
import { type Row, type RowWithChildren, type TableTarget } from '../../src/sink/types.js';
import { TransformError } from '../../src/sink/errors.js';
import { checked, keyed, inChild, optionalDate, requireCode, requireDate, requireInt, requireRecords, requireString, requireTimestamp } from '../shared/fields.js';

export const LAND_USE_CODES = ['ONT', 'ODT', 'LUC', 'CLN', 'NTS', 'BHK'] as const;

/**
 * `core.land_parcel` with its holders in `core.land_ownership`. Ownership history is the source's
 * own: each owner entry is a period (from, to exclusive), so the warehouse stores the periods as
 * given and replaces them as a set when the parcel changes, instead of deriving SCD2 versions from
 * load times (which would date a transfer by when it was loaded, not when it happened).
 */
export const PARCEL_TABLE: TableTarget = {
  table: 'core.land_parcel',
  key: ['parcel_id'],
  doc: 'A land parcel from the national land database, current state.',
  columns: [
    { name: 'parcel_id', type: 'text', doc: 'Parcel key <communeCode>-<mapSheet>-<parcelNumber>.' },
    { name: 'commune_code', type: 'char(5)', doc: 'GSO code of the commune the parcel lies in.' },
    { name: 'map_sheet', type: 'integer', bounds: { min: 1, max: 100_000 }, doc: 'Cadastral map sheet number.' },
    { name: 'parcel_number', type: 'integer', bounds: { min: 1, max: 1_000_000 }, doc: 'Parcel number on the sheet.' },
    { name: 'area', type: 'numeric(12,1)', doc: 'Area in square metres, one decimal (exact).' },
    { name: 'use_code', type: 'text', doc: 'Land-use purpose code: ONT, ODT, LUC, CLN, NTS or BHK.' },
    { name: 'certificate_serial', type: 'text', doc: 'Serial of the land-use certificate currently valid: 2 letters + 6 digits.' },
    { name: 'source_updated_at', type: 'timestamptz', bounds: { notAfter: 'now' }, doc: 'When the source last changed the record.' },
  ],
  children: [
    {
      name: 'owners',
      table: 'core.land_ownership',
      doc: 'A holder of the land-use right of a parcel over a period.',
      columns: [
        { name: 'parcel_id', type: 'text', doc: 'Parcel.' },
        { name: 'seq', type: 'integer', bounds: { min: 1, max: 10_000 }, doc: 'Position in the source array, 1 = oldest.' },
        { name: 'holder_kind', type: 'text', doc: 'citizen or business.' },
        { name: 'holder_id', type: 'text', doc: 'Personal ID of a citizen or enterprise code of a business (validated).' },
        { name: 'valid_from', type: 'date', bounds: { notAfter: 'now' }, doc: 'Date the holder acquired the right.' },
        { name: 'valid_to', type: 'date', nullable: true, doc: 'Date the right passed on (exclusive); null for the current holder.' },
      ],
    },
  ],
};

const AREA = /^\d{1,11}(\.\d)?$/;
const SERIAL = /^[A-Z]{2}\d{6}$/;

/** Raw `vn.lgsp.raw.land.Parcel` → parcel row + ownership rows. Pure. */
export function parcelToRows(value: Record<string, unknown>): RowWithChildren {
  const commune = checked('communeCode', requireString(value, 'communeCode').trim(), communeCodeProblem);
  const sheet = requireInt(value, 'mapSheet', 1);
  const number = requireInt(value, 'parcelNumber', 1);
  const parcelId = requireString(value, 'parcelId').trim();
  if (parcelId !== `${commune}-${sheet}-${number}`) throw new TransformError('parcelId', `${parcelId} is not ${commune}-${sheet}-${number}`);
  const area = requireString(value, 'area');
  if (!AREA.test(area)) throw new TransformError('area', `${JSON.stringify(area)} is not a decimal with one decimal place`);
  const serial = requireString(value, 'certificateSerial').trim().toUpperCase();
  if (!SERIAL.test(serial)) throw new TransformError('certificateSerial', 'must be 2 letters + 6 digits');
  const owners = requireRecords(value, 'owners').map((o, i) =>
    inChild(`owners[${i}]`, () => {
      const kind = requireCode(o, 'holderKind', ['citizen', 'business'] as const);
      const holder = requireString(o, 'holderId').trim();
      checked('holderId', holder, kind === 'citizen' ? (id) => personalIdProblem(id) : enterpriseCodeProblem);
      const from = requireDate(o, 'from');
      const to = optionalDate(o, 'to');
      if (to !== null && to <= from) throw new TransformError('to', `${to} is not after ${from}`);
      return [parcelId, i + 1, kind, holder, from, to] as Row;
    }),
  );
  const row: Row = [parcelId, commune, sheet, number, area, requireCode(value, 'useCode', LAND_USE_CODES), serial, requireTimestamp(value, 'updatedAt')];
  return { row, children: { owners } };
}

/** Key columns from a Kafka key: `<communeCode>-<mapSheet>-<parcelNumber>`. */
export function parcelKey(messageKey: string): Row {
  return keyed(messageKey, (id) => (/^\d{5}-\d{1,6}-\d{1,7}$/.test(id) ? communeCodeProblem(id.slice(0, 5)) : 'is not <communeCode>-<mapSheet>-<parcelNumber>'));
}
