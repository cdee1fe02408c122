import type pg from 'pg';
import type { WorldStamp } from './sim-store.js';

/** A field a source system added to every stored record of an entity, without dating the records. */
export interface SchemaChange {
  /** `population.citizen`, as in the advance counts. */
  readonly table: string;
  readonly field: string;
  /** Records that gained the field (null) without changing otherwise. */
  readonly records: number;
}

/**
 * The changes of a source's schema whose day an advance from `from` to `to` crosses, applied to
 * the store as the source's own database would apply them: the new field is added, as null, to
 * every record that does not have it yet (those the world changed that day already carry their
 * value), and no updated_at moves — an incremental reader sees only the records the source dated.
 * Keeps store(asOf) + advance(d) equal to store(asOf + d). Run inside the advance's transaction.
 */
export async function applySchemaChanges(client: pg.ClientBase, from: WorldStamp, to: WorldStamp): Promise<readonly SchemaChange[]> {
  const changes: SchemaChange[] = [];
  if (to.vneidFrom !== null && from.asOf < to.vneidFrom && to.vneidFrom <= to.asOf) {
    const result = await client.query(
      `UPDATE population.records SET body = body || '{"vneidLevel": null}'::jsonb WHERE entity = 'citizen' AND NOT body ? 'vneidLevel'`,
    );
    changes.push({ table: 'population.citizen', field: 'vneidLevel', records: result.rowCount ?? 0 });
  }
  return changes;
}
