import type { PipelineDefinition } from '../../src/sink/types.js';
import { CITIZEN_TABLE, citizenKey, citizenToRow } from './citizen-transform.js';

/** Population: `lgsp.raw.population.citizen.v1` → `core.citizen`. */
export const populationPipeline: PipelineDefinition = {
  name: 'population',
  inputs: [
    {
      source: 'population',
      entity: 'citizen',
      readerSchema: 'vn.lgsp.raw.population.Citizen',
      target: CITIZEN_TABLE,
      transform: citizenToRow,
      keyOf: citizenKey,
    },
  ],
};
