import type { PipelineDefinition } from '../src/sink/types.js';
import { businessPipeline } from './business/pipeline.js';
import { insurancePipeline } from './insurance/pipeline.js';
import { landPipeline } from './land/pipeline.js';
import { onestopPipeline } from './onestop/pipeline.js';
import { populationPipeline } from './population/pipeline.js';

/**
 * Every pipeline, by name. Adding a pipeline = one folder + one line here. The application hands
 * this table to its runtime (app/deployment.ts); nothing else reads it.
 */
export const PIPELINES: Readonly<Record<string, PipelineDefinition>> = {
  population: populationPipeline,
  business: businessPipeline,
  insurance: insurancePipeline,
  land: landPipeline,
  onestop: onestopPipeline,
};
