import type { EntityEndpoint } from './lgsp-adapter.js';
import type { Malformation } from './faults.js';

/**
 * The national population database (CSDLQG về dân cư) as its LGSP adapter serves it:
 * `GET /population/v1/citizens`. Malformed records look like the data-quality problems a real
 * feed has: an ID whose structure is wrong, an impossible date, a missing field, an oversized name.
 */
export const POPULATION_ENDPOINTS: readonly EntityEndpoint[] = [
  {
    path: 'citizens',
    entity: 'citizen',
    malform(body: Record<string, unknown>, kind: Malformation): Record<string, unknown> {
      switch (kind) {
        case 'bad-checksum':
          // Century/sex digit 9 does not exist, so the ID's structure is broken.
          return { ...body, personalId: `${String(body['personalId']).slice(0, 3)}9${String(body['personalId']).slice(4)}` };
        case 'impossible-date':
          return { ...body, birthDate: `${String(body['birthDate']).slice(0, 4)}-02-30` };
        case 'missing-field': {
          const { fullName: _dropped, ...rest } = body;
          return rest;
        }
        case 'oversized-string':
          return { ...body, fullName: 'Nguyễn '.repeat(2000) };
      }
    },
  },
];
