import type { PipelineDefinition } from '../../src/sink/types.js';
import { PARTICIPANT_TABLE, participantKey, participantToRows } from './participant-transform.js';

/** Social insurance: `lgsp.raw.insurance.participant.v1` → `core.insurance_participant` + contribution periods. */
export const insurancePipeline: PipelineDefinition = {
  name: 'insurance',
  inputs: [
    {
      source: 'insurance',
      entity: 'participant',
      readerSchema: 'vn.lgsp.raw.insurance.Participant',
      target: PARTICIPANT_TABLE,
      transform: participantToRows,
      keyOf: participantKey,
    },
  ],
};
