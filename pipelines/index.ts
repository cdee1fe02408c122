import type { PipelineDefinition } from '../src/sink/types.js';
import { populationPipeline } from './population/pipeline.js';

/** Every pipeline, by name. Adding a pipeline = one folder + one line here. */
export const PIPELINES: Readonly<Record<string, PipelineDefinition>> = {
  population: populationPipeline,
};
