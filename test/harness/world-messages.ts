/**
 * The world's records in their raw Avro shape (as the connectors write them), produced to the raw
 * topics with the catalogue's encoding: for the tests that feed the pipelines without the
 * connectors, and the benchmarks.
 */
import type { IHeaders, Kafka } from 'kafkajs';
import type { Catalogue } from '../../src/avro/catalogue.js';
import { ensureTopics, rawTopic, type TopicNaming } from '../../src/kafka/topics.js';
import type { World } from '../../simulator/world/index.js';

export interface RawMessage {
  readonly source: string;
  readonly entity: string;
  readonly schema: string;
  readonly key: string;
  /** Null = tombstone. */
  readonly value: Record<string, unknown> | null;
  readonly headers?: IHeaders;
}

const ts = (iso: string): Date => new Date(iso);

/** Every record of the world as the connectors would write it, entity by entity. */
export function* worldMessages(world: World): Generator<RawMessage> {
  const stamp = ts(`${world.options.asOf}T00:00:00.000Z`);
  for (const c of world.citizens()) {
    const { deleted, ...body } = c;
    yield { source: 'population', entity: 'citizen', schema: 'vn.lgsp.raw.population.Citizen', key: c.personalId, value: { ...body, updatedAt: ts(c.updatedAt) } };
    if (deleted === true) yield { source: 'population', entity: 'citizen', schema: '', key: c.personalId, value: null, headers: { 'lgsp.deleted-at': c.updatedAt } };
  }
  for (const b of world.businesses()) {
    yield { source: 'business', entity: 'enterprise', schema: 'vn.lgsp.raw.business.Enterprise', key: b.enterpriseCode, value: { ...b, updatedAt: ts(b.updatedAt) } };
  }
  for (const p of world.insuranceParticipants()) {
    yield { source: 'insurance', entity: 'participant', schema: 'vn.lgsp.raw.insurance.Participant', key: p.insuranceCode, value: { ...p, contributionPeriods: [...p.contributionPeriods], updatedAt: ts(p.updatedAt) } };
  }
  for (const l of world.landParcels()) {
    const parcelId = `${l.communeCode}-${l.mapSheet}-${l.parcelNumber}`;
    yield { source: 'land', entity: 'parcel', schema: 'vn.lgsp.raw.land.Parcel', key: parcelId, value: { parcelId, ...l, owners: [...l.owners], updatedAt: ts(l.updatedAt) } };
  }
  for (const p of world.procedures()) {
    yield {
      source: 'onestop',
      entity: 'procedure',
      schema: 'vn.lgsp.raw.onestop.Procedure',
      key: p.code,
      value: {
        procedureCode: p.code,
        name: p.name,
        level: p.level,
        fee: p.fee,
        resultIsDocument: p.resultIsDocument,
        resultDocumentType: p.resultDocumentType,
        processingDays: p.processingDays,
        requiredDocuments: JSON.stringify(p.requiredDocuments),
        updatedAt: stamp,
      },
    };
  }
  for (const a of world.agencies()) {
    const { code, ...rest } = a;
    yield { source: 'onestop', entity: 'agency', schema: 'vn.lgsp.raw.onestop.Agency', key: code, value: { agencyCode: code, ...rest, updatedAt: stamp } };
  }
  for (const { dossier: d, components } of world.dossiers()) {
    const { applicant, rating, ...rest } = d;
    yield {
      source: 'onestop',
      entity: 'dossier',
      schema: 'vn.lgsp.raw.onestop.Dossier',
      key: d.dossierCode,
      value: {
        ...rest,
        applicantKind: applicant.kind,
        applicantId: applicant.id,
        receivedAt: ts(d.receivedAt),
        appointmentAt: ts(d.appointmentAt),
        finishedAt: d.finishedAt === null ? null : ts(d.finishedAt),
        updatedAt: ts(d.updatedAt),
      },
    };
    for (const c of components) {
      yield {
        source: 'onestop',
        entity: 'dossier_component',
        schema: 'vn.lgsp.raw.onestop.DossierComponent',
        key: JSON.stringify([c.dossierCode, c.seq]),
        value: {
          dossierCode: c.dossierCode,
          seq: c.seq,
          documentType: c.documentType,
          suppliedByApplicant: c.heldByState ? c.resupplied : true,
          ...c.flags,
          updatedAt: ts(d.updatedAt),
        },
      };
    }
    if (rating !== null) {
      yield { source: 'onestop', entity: 'rating', schema: 'vn.lgsp.raw.onestop.Rating', key: d.dossierCode, value: { dossierCode: d.dossierCode, rating, updatedAt: ts(d.updatedAt) } };
    }
  }
}

export const RAW_TOPICS: readonly (readonly [string, string])[] = [
  ['population', 'citizen'],
  ['business', 'enterprise'],
  ['insurance', 'participant'],
  ['land', 'parcel'],
  ['onestop', 'procedure'],
  ['onestop', 'agency'],
  ['onestop', 'dossier'],
  ['onestop', 'dossier_component'],
  ['onestop', 'rating'],
];

/** Produces messages to their raw topics (created with `partitions` when missing), keyed by entity id. */
export async function produceRaw(kafka: Kafka, catalogue: Catalogue, naming: TopicNaming, messages: Iterable<RawMessage>, partitions = 3): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, RAW_TOPICS.map(([s, e]) => ({ topic: rawTopic(naming, s, e), partitions, compacted: true })));
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let sent = 0;
  try {
    let pending = new Map<string, { key: string; value: Buffer | null; headers?: IHeaders }[]>();
    let size = 0;
    const flush = async (): Promise<void> => {
      if (size === 0) return;
      await producer.sendBatch({ acks: -1, topicMessages: [...pending].map(([topic, msgs]) => ({ topic, messages: msgs })) });
      pending = new Map();
      size = 0;
    };
    for (const m of messages) {
      const topic = rawTopic(naming, m.source, m.entity);
      const list = pending.get(topic) ?? [];
      list.push({ key: m.key, value: m.value === null ? null : catalogue.encode(m.schema, m.value), ...(m.headers === undefined ? {} : { headers: m.headers }) });
      pending.set(topic, list);
      size += 1;
      sent += 1;
      if (size >= 2000) await flush();
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
  return sent;
}
