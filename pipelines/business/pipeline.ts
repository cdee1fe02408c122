import type { PipelineDefinition } from '../../src/sink/types.js';
import { BUSINESS_TABLE, enterpriseKey, enterpriseToRow } from './enterprise-transform.js';

/** Business registration: `lgsp.raw.business.enterprise.v1` → `core.business` (+ status history). */
export const businessPipeline: PipelineDefinition = {
  name: 'business',
  inputs: [
    { source: 'business', entity: 'enterprise', readerSchema: 'vn.lgsp.raw.business.Enterprise', target: BUSINESS_TABLE, transform: enterpriseToRow, keyOf: enterpriseKey },
  ],
};
