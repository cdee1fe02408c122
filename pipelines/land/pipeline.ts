import type { PipelineDefinition } from '../../src/sink/types.js';
import { PARCEL_TABLE, parcelKey, parcelToRows } from './parcel-transform.js';

/** Land: `lgsp.raw.land.parcel.v1` → `core.land_parcel` + `core.land_ownership`. */
export const landPipeline: PipelineDefinition = {
  name: 'land',
  inputs: [{ source: 'land', entity: 'parcel', readerSchema: 'vn.lgsp.raw.land.Parcel', target: PARCEL_TABLE, transform: parcelToRows, keyOf: parcelKey }],
};
