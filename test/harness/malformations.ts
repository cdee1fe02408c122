import { loadCatalogue } from '../../src/avro/catalogue.js';
import type { PagedStreamDefinition, ServedItem } from '../../src/connect/paged-stream.js';
import { MALFORMATIONS, type Malformation } from '../../simulator/mocks/faults.js';
import type { EntityEndpoint } from '../../simulator/mocks/lgsp-adapter.js';

const catalogue = loadCatalogue();

/** Every problem the source runner would find in a served body: the raw schema's and the stream's own checks. */
export function problemsOf(stream: Pick<PagedStreamDefinition, 'valueSchema' | 'toValue' | 'check'>, body: ServedItem): string[] {
  const value = stream.toValue(body);
  return [...catalogue.validate(stream.valueSchema, value), ...stream.check(value)];
}

/** Each malformation the mock endpoint injects, applied to a valid body. */
export function malformed(endpoint: EntityEndpoint, body: Record<string, unknown>): [Malformation, Record<string, unknown>][] {
  return MALFORMATIONS.map((kind) => [kind, endpoint.malform(structuredClone(body), kind)]);
}
