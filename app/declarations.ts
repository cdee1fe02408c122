import type { Catalogue } from '../src/avro/catalogue.js';
import type { Settings } from '../src/config/settings.js';
import type { ConnectorFactory } from '../src/connect/types.js';
import { ConfigError, LgspError, UsageError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import type { PipelineDefinition } from '../src/sink/types.js';

/** The connectors and pipelines a runtime runs, by name (app/deployment.ts declares this deployment's). */
export interface Declarations {
  readonly connectors: Readonly<Record<string, ConnectorFactory>>;
  readonly pipelines: Readonly<Record<string, PipelineDefinition>>;
}

/** Resolves `all` or a list of names against the declared connectors; unknown names fail naming them. */
export function selectConnectors(declarations: Declarations, names: readonly string[]): string[] {
  return select(Object.keys(declarations.connectors), names, 'source', 'sources');
}

/** Resolves `all` or a list of names against the declared pipelines; unknown names fail naming them. */
export function selectPipelines(declarations: Declarations, names: readonly string[]): string[] {
  return select(Object.keys(declarations.pipelines), names, 'pipeline', 'pipelines');
}

function select(known: readonly string[], names: readonly string[], what: string, plural: string): string[] {
  if (names.length === 0 || names.includes('all')) return [...known];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`unknown ${what} ${unknown.join(', ')}`, `known ${plural}: ${known.join(', ')}, or all`);
  return [...names];
}

/** The pipelines that consume a source's topics. */
export function pipelinesFedBy(declarations: Declarations, source: string): string[] {
  return Object.entries(declarations.pipelines)
    .filter(([, p]) => p.inputs.some((i) => i.source === source))
    .map(([name]) => name);
}

export interface DeclarationSummary {
  readonly connectors: readonly { readonly name: string; readonly streams: readonly { readonly name: string; readonly schema: string }[] }[];
  readonly pipelines: readonly { readonly name: string; readonly inputs: readonly { readonly source: string; readonly entity: string; readonly schema: string; readonly table: string }[] }[];
}

/**
 * Checks the declared connectors and pipelines against
 * the settings and the schema catalogue, before any work starts: each connector's settings parse,
 * each stream's and each pipeline input's schema is in the catalogue, each input is fed by a
 * declared connector stream. The first problem fails at once, naming the declaration.
 */
export async function checkDeclarations(declarations: Declarations, settings: Settings, catalogue: Catalogue, logger: Logger): Promise<DeclarationSummary> {
  const connectors: { name: string; streams: { name: string; schema: string }[] }[] = [];
  const fed = new Set<string>();
  for (const [name, factory] of Object.entries(declarations.connectors)) {
    const connector = factory({ settings, logger });
    try {
      for (const stream of connector.streams) {
        requireSchema(catalogue, stream.valueSchema, `connectors.${name}.streams.${stream.name}`);
        fed.add(`${name}/${stream.entity}`);
      }
      connectors.push({ name, streams: connector.streams.map((s) => ({ name: s.name, schema: s.valueSchema })) });
    } finally {
      await connector.close?.();
    }
  }
  const pipelines = Object.entries(declarations.pipelines).map(([name, p]) => {
    if (p.inputs.length === 0) throw new ConfigError(`pipelines.${name}`, 'declares no input');
    return {
      name,
      inputs: p.inputs.map((input) => {
        const where = `pipelines.${name}.inputs.${input.source}/${input.entity}`;
        requireSchema(catalogue, input.readerSchema, where);
        if (!fed.has(`${input.source}/${input.entity}`)) throw new ConfigError(where, `no declared connector stream writes ${input.source}/${input.entity}`);
        return { source: input.source, entity: input.entity, schema: input.readerSchema, table: input.target.table };
      }),
    };
  });
  return { connectors, pipelines };
}

function requireSchema(catalogue: Catalogue, fullName: string, where: string): void {
  try {
    catalogue.latest(fullName);
  } catch (err) {
    throw new ConfigError(where, `schema ${fullName} is not in schemas/ (${err instanceof LgspError ? err.code : 'unknown'})`, { cause: err });
  }
}
