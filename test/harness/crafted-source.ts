/**
 * Serves hand-crafted records through the real mock LGSP adapter (OAuth, paging, cursors), from
 * an isolated simulator store that holds only those records, for tests that push hostile input
 * through a connector.
 *
 * The store keeps bodies as jsonb, which cannot hold `\u0000` or a lone surrogate. Crafted strings
 * therefore spell such code units as `⟦U+XXXX⟧` markers, and the endpoint expands them just before
 * the body is served, so the connector receives exactly the JSON a broken source would send.
 */
import pg from 'pg';
import type { Logger } from '../../src/logger.js';
import { NO_FAULTS } from '../../simulator/mocks/faults.js';
import { createSourceService, type EntityEndpoint, type SourceService } from '../../simulator/mocks/lgsp-adapter.js';
import { openSimStore, type NationalSource } from '../../simulator/store/sim-store.js';

/** A record as a broken national database stores it. */
export interface CraftedRecord {
  readonly source: NationalSource;
  readonly entity: string;
  readonly id: string;
  /** Also the cursor: must equal the body's `updatedAt` when the body has one. */
  readonly updatedAt: string;
  readonly body: Record<string, unknown>;
}

const MARKER = /⟦U\+([0-9A-F]{4})⟧/g;

/** `⟦U+0000⟧` → the code unit U+0000, so jsonb-unsafe strings can be stored. */
export function codeUnit(hex: string): string {
  return `⟦U+${hex.toUpperCase()}⟧`;
}

/** The body as served: every marker in every string (nested too) expanded. */
export function expandMarkers(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(MARKER, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (Array.isArray(value)) return value.map(expandMarkers);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandMarkers(v)]));
  return value;
}

export interface CraftedSources {
  /** Base URL per national source, for the connector overrides. */
  readonly urls: Readonly<Partial<Record<NationalSource, string>>>;
  close(): Promise<void>;
}

/**
 * Writes the records into the store at `storeUrl` (created if missing) and starts one adapter per
 * source that has records. `endpoints` gives each source's entity endpoints (path → store entity).
 */
export async function serveCraftedRecords(
  storeUrl: string,
  records: readonly CraftedRecord[],
  endpoints: Readonly<Partial<Record<NationalSource, readonly EntityEndpoint[]>>>,
  logger: Logger,
): Promise<CraftedSources> {
  const client = await openSimStore(storeUrl);
  try {
    for (const r of records) {
      await client.query(`INSERT INTO ${r.source}.records (entity, id, updated_at, deleted_at, body) VALUES ($1, $2, $3, NULL, $4)`, [
        r.entity,
        r.id,
        r.updatedAt,
        JSON.stringify(r.body),
      ]);
    }
  } finally {
    await client.end();
  }
  const store = new pg.Pool({ connectionString: storeUrl, max: 4 });
  const services: SourceService[] = [];
  const urls: Partial<Record<NationalSource, string>> = {};
  for (const source of new Set(records.map((r) => r.source))) {
    // Every record "malformed" by the one malformation this endpoint knows: expanding its markers.
    const crafted = (endpoints[source] ?? []).map((e) => ({ ...e, malform: (body: Record<string, unknown>) => expandMarkers(body) as Record<string, unknown> }));
    const service = createSourceService({ source, endpoints: crafted, store, logger, faults: { ...NO_FAULTS, rateMalformed: 1 } });
    urls[source] = await service.listen(0);
    services.push(service);
  }
  return {
    urls,
    async close() {
      for (const service of services) await service.close();
      await store.end();
    },
  };
}
