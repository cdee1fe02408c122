import type { PipelineDefinition } from '../../src/sink/types.js';
import { AGENCY_TABLE, agencyToRow, PROCEDURE_TABLE, procedureToRow } from './catalogue-transform.js';
import { COMPONENT_TABLE, componentKey, componentToRow } from './component-transform.js';
import { DOSSIER_TABLE, dossierToRow, procedureKey, RATING_TABLE, ratingToRow, singleKey } from './dossier-transform.js';

/** The provincial one-stop system: five topics → `core.procedure`, `core.agency`, `core.dossier`, `core.dossier_component`, `core.dossier_rating`. */
export const onestopPipeline: PipelineDefinition = {
  name: 'onestop',
  inputs: [
    { source: 'onestop', entity: 'procedure', readerSchema: 'vn.lgsp.raw.onestop.Procedure', target: PROCEDURE_TABLE, transform: procedureToRow, keyOf: procedureKey },
    { source: 'onestop', entity: 'agency', readerSchema: 'vn.lgsp.raw.onestop.Agency', target: AGENCY_TABLE, transform: agencyToRow, keyOf: singleKey },
    { source: 'onestop', entity: 'dossier', readerSchema: 'vn.lgsp.raw.onestop.Dossier', target: DOSSIER_TABLE, transform: dossierToRow, keyOf: singleKey },
    {
      source: 'onestop',
      entity: 'dossier_component',
      readerSchema: 'vn.lgsp.raw.onestop.DossierComponent',
      target: COMPONENT_TABLE,
      transform: componentToRow,
      keyOf: componentKey,
    },
    { source: 'onestop', entity: 'rating', readerSchema: 'vn.lgsp.raw.onestop.Rating', target: RATING_TABLE, transform: ratingToRow, keyOf: singleKey },
  ],
};
