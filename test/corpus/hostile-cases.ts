/**
 * Messages a hostile or broken producer writes straight onto the raw topics of a running
 * deployment — a topic is a public interface. Each made a night fail, or loaded a lie, before the
 * pipelines trusted nothing on a topic (issue 15). Every case says where it must end: rejected
 * with a reason naming the field, or loaded exactly as given. Built on the world's own records,
 * so everything but the hostile part is valid.
 */
import type { IHeaders } from 'kafkajs';
import type { Catalogue } from '../../src/avro/catalogue.js';
import { partitionOfKey } from '../../src/kafka/partitioner.js';
import type { World } from '../../simulator/world/index.js';
import { worldMessages, type RawMessage } from '../harness/world-messages.js';

export type HostileExpectation =
  /** In meta.rejected_records (and the DLQ) with a reason that matches. */
  | { readonly rejected: RegExp; readonly deadLetterCut?: boolean }
  /** Loaded: `column` of the row of `table` whose `keyColumn` is `key` holds `value`. */
  | { readonly loads: { readonly table: string; readonly keyColumn: string; readonly key: string; readonly column: string; readonly value: string } };

export interface HostileMessage {
  readonly name: string;
  readonly source: string;
  readonly entity: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
  /** A partition chosen by the producer instead of the key's. */
  readonly partition?: number;
  readonly expect: HostileExpectation;
}

/** Sizes near the broker's limit: a record batch of at most 1 MiB (message.max.bytes). */
const NEAR_LIMIT = 1_000_000;

export function hostileMessages(world: World, catalogue: Catalogue, partitions: number): HostileMessage[] {
  const all = [...worldMessages(world)];
  const first = (entity: string, skip = 0): RawMessage => {
    const found = all.filter((m) => m.entity === entity && m.value !== null)[skip];
    if (found === undefined) throw new Error(`the world has no ${entity}`);
    return found;
  };
  const encode = (m: RawMessage, overrides: Record<string, unknown>): Buffer => catalogue.encode(m.schema, { ...m.value, ...overrides });
  const citizen = first('citizen');
  const other = first('citizen', 1);
  const wrongPartition = first('citizen', 2);
  const procedure = first('procedure');
  const dossier = first('dossier');
  const agency = first('agency');
  const component = first('dossier_component');
  const rating = first('rating');
  const fresh = (n: number): string => `0841950004${String(n).padStart(2, '0')}`;
  const newCitizen = (n: number, overrides: Record<string, unknown> = {}): Buffer =>
    catalogue.encode(citizen.schema, { ...citizen.value, personalId: fresh(n), birthDate: '1995-03-04', householdId: `HGD-HOSTILE-${n}`, deathDate: null, ...overrides });
  const on = (m: RawMessage, rest: Omit<HostileMessage, 'source' | 'entity'>): HostileMessage => ({ source: m.source, entity: m.entity, ...rest });
  const key = (text: string): Buffer => Buffer.from(text, 'utf8');
  return [
    // The classes the issue found.
    on(procedure, {
      name: 'procedure whose required documents nest 5,000 levels deep',
      key: key(String(procedure.value?.['procedureCode'])),
      value: encode(procedure, { requiredDocuments: `${'['.repeat(5000)}${']'.repeat(5000)}` }),
      expect: { rejected: /^requiredDocuments: nested 5000 levels deep/ },
    }),
    on(rating, {
      name: 'rating whose dossier code (a key column) is 900 KB',
      key: key(rating.key),
      value: encode(rating, { dossierCode: 'D'.repeat(900_000) }),
      expect: { rejected: /^dossier_code: longer than 256 characters/, deadLetterCut: true },
    }),
    on(dossier, {
      name: 'dossier with a 900 KB agency code (the mart grouped by it)',
      key: key(dossier.key),
      value: encode(dossier, { agencyCode: 'A'.repeat(900_000) }),
      expect: { rejected: /^agency_code: longer than 256 characters/, deadLetterCut: true },
    }),
    on(citizen, {
      name: 'a message just under the broker limit (its dead letter would not fit)',
      key: key(fresh(1)),
      value: newCitizen(1, { fullName: 'N'.repeat(NEAR_LIMIT - 300) }),
      expect: { rejected: /^full_name: longer than 200 characters/, deadLetterCut: true },
    }),
    on(citizen, {
      name: "key of one citizen, value of another (it overwrote the other's row)",
      key: key(citizen.key),
      value: encode(other, {}),
      expect: { rejected: /^key: "\d{12}" does not name the entity of the value \(personal_id "\d{12}"\)/ },
    }),
    // More of the same kinds.
    on(wrongPartition, {
      name: 'the same citizen written to another partition than its key',
      key: key(wrongPartition.key),
      value: encode(wrongPartition, { fullName: 'Đổi Tên Ở Phân Vùng Khác' }),
      partition: (partitionOfKey(key(wrongPartition.key), partitions) + 1) % partitions,
      expect: { rejected: /^key: belongs in partition \d of \d, not \d/ },
    }),
    on(procedure, {
      name: 'procedure whose required documents are 50,000 entries wide',
      key: key(String(procedure.value?.['procedureCode'])),
      value: encode(procedure, { requiredDocuments: JSON.stringify(Array.from({ length: 50_000 }, () => ({}))) }),
      expect: { rejected: /^requiredDocuments: longer than 65536 characters/ },
    }),
    on(citizen, {
      name: 'a 500 KB key on a valid citizen',
      key: key(`${fresh(2)}${'9'.repeat(500_000)}`),
      value: newCitizen(2),
      expect: { rejected: /^key: must be 12 digits/, deadLetterCut: true },
    }),
    on(citizen, {
      name: 'a valid citizen with a 300 KB header (headers carry nothing a pipeline reads)',
      key: key(fresh(3)),
      value: newCitizen(3, { fullName: 'Thạch Thị Tiêu Đề' }),
      headers: { 'x-junk': 'J'.repeat(300_000) },
      expect: { loads: { table: 'core.citizen', keyColumn: 'personal_id', key: fresh(3), column: 'full_name', value: 'Thạch Thị Tiêu Đề' } },
    }),
    on(citizen, {
      name: 'control characters in a key',
      key: key(`${fresh(4)}\u001b[2J`),
      value: newCitizen(4),
      expect: { rejected: /^key: / },
    }),
    on(citizen, {
      name: 'a key with an encoded lone surrogate (ED A0 80)',
      key: Buffer.concat([key(fresh(5)), Buffer.from([0xed, 0xa0, 0x80])]),
      value: newCitizen(5),
      expect: { rejected: /^key: / },
    }),
    // (A record without a key cannot be written: the broker refuses it on a compacted topic.)
    on(citizen, {
      name: 'a tombstone whose key is not a personal ID',
      key: key('not-a-personal-id'),
      value: null,
      expect: { rejected: /^key: / },
    }),
    on(component, {
      name: 'a dossier component keyed with another position than its value',
      key: key(JSON.stringify([component.value?.['dossierCode'], Number(component.value?.['seq']) + 100])),
      value: encode(component, {}),
      expect: { rejected: /^key: .* does not name the entity of the value \(seq / },
    }),
    // Valid Avro, absurd for the domain: out of the columns' bounds.
    on(citizen, {
      name: 'a citizen who dies in 9999',
      key: key(fresh(7)),
      value: newCitizen(7, { deathDate: '9999-12-31' }),
      expect: { rejected: /^death_date: 9999-12-31 is in the future/ },
    }),
    on(dossier, {
      name: 'a dossier received in the year 9999',
      key: key(dossier.key),
      value: encode(dossier, { receivedAt: new Date('9999-01-01T00:00:00Z'), appointmentAt: new Date('9999-01-02T00:00:00Z'), finishedAt: null }),
      expect: { rejected: /^received_at: 9999-01-01T00:00:00.000Z is in the future/ },
    }),
    on(dossier, {
      name: 'a dossier with a fee of a quadrillion đồng',
      key: key(dossier.key),
      value: encode(dossier, { fee: 1_000_000_000_000_000 }),
      expect: { rejected: /^fee: 1000000000000000 is above 1000000000000/ },
    }),
    on(dossier, {
      name: 'a dossier whose applicant waited 2^31 − 1 minutes at the counter',
      key: key(dossier.key),
      value: encode(dossier, { counterWaitMinutes: 2_147_483_647 }),
      expect: { rejected: /^counter_wait_minutes: 2147483647 is above 10080/ },
    }),
    on(agency, {
      name: 'an agency founded in 1850',
      key: key(agency.key),
      value: encode(agency, { validFrom: '1850-01-01' }),
      expect: { rejected: /^valid_from: 1850-01-01 is before 1900-01-01/ },
    }),
  ];
}
