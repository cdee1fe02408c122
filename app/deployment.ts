import { CONNECTORS } from '../connectors/index.js';
import { PIPELINES } from '../pipelines/index.js';
import type { Declarations } from './declarations.js';

/**
 * What this deployment runs: every declared connector and pipeline. The one module that imports
 * their tables; the CLI hands it to the runtime, and tests may hand it something else (a pipeline
 * of another version, one connector).
 */
export const DECLARED: Declarations = { connectors: CONNECTORS, pipelines: PIPELINES };
