import type { Type } from 'avsc';
import { logicalName } from './logical-types.js';

interface Composite {
  readonly types?: readonly Type[];
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly underlyingType?: Type;
  readonly size?: number;
}

/**
 * A type in a few words for messages: `int (date)`, `record vn.lgsp.raw.population.Citizen`,
 * `union [null, string]`, `array of string`, `fixed vn.x.Hash (16 bytes)`.
 */
export function describeType(type: Type): string {
  const parts = type as unknown as Composite;
  const logical = logicalName(type);
  if (logical !== undefined && parts.underlyingType !== undefined) return `${describeType(parts.underlyingType)} (${logical})`;
  switch (type.typeName) {
    case 'record':
    case 'error':
    case 'enum':
      return `${type.typeName} ${type.name ?? '(anonymous)'}`;
    case 'fixed':
      return `fixed ${type.name ?? '(anonymous)'} (${parts.size ?? '?'} bytes)`;
    case 'array':
      return parts.itemsType === undefined ? 'array' : `array of ${describeType(parts.itemsType)}`;
    case 'map':
      return parts.valuesType === undefined ? 'map' : `map of ${describeType(parts.valuesType)}`;
    case 'union:unwrapped':
    case 'union:wrapped':
      return `union [${(parts.types ?? []).map(describeType).join(', ')}]`;
    default:
      return type.typeName;
  }
}
