/**
 * The shape of an entity as far as query options care: which properties exist (for $select,
 * $filter, $orderby), their types (for OData's type checks in $filter), and how Graph words an
 * unknown property for that service. Property names match case-insensitively, as Graph does.
 */
import { GraphError } from '../errors.ts';

export type PropType =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'datetime' }
  | { kind: 'enum'; name: string }
  | { kind: 'complex'; name: string; props: Record<string, PropType> }
  | { kind: 'collection'; of: PropType }
  /** Open types (SharePoint `fields`): any name, values typed at run time. */
  | { kind: 'open' };

export interface EntitySchema {
  /** e.g. `microsoft.graph.message`. */
  typeName: string;
  props: Record<string, PropType>;
  /** Graph's error for an unknown property in a query option; default is OData's BadRequest. */
  unknownProperty?: (name: string) => GraphError;
}

export const T = {
  string: { kind: 'string' } as PropType,
  boolean: { kind: 'boolean' } as PropType,
  number: { kind: 'number' } as PropType,
  datetime: { kind: 'datetime' } as PropType,
  open: { kind: 'open' } as PropType,
  enum: (name: string): PropType => ({ kind: 'enum', name }),
  complex: (name: string, props: Record<string, PropType>): PropType => ({ kind: 'complex', name, props }),
  collection: (of: PropType): PropType => ({ kind: 'collection', of }),
};

export function findProperty(props: Record<string, PropType>, name: string): [string, PropType] | undefined {
  if (props[name]) return [name, props[name]!];
  const lower = name.toLowerCase();
  for (const [k, t] of Object.entries(props)) if (k.toLowerCase() === lower) return [k, t];
  return undefined;
}

export function unknownPropertyError(schema: EntitySchema, name: string): GraphError {
  return schema.unknownProperty?.(name) ?? new GraphError(400, 'BadRequest', `Could not find a property named '${name}' on type '${schema.typeName}'.`);
}

/** OData's type names, as they appear in its error messages. */
export function edmName(t: PropType | 'null'): string {
  if (t === 'null') return 'null';
  switch (t.kind) {
    case 'string':
      return 'Edm.String';
    case 'boolean':
      return 'Edm.Boolean';
    case 'number':
      return 'Edm.Int32';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    case 'enum':
      return t.name;
    case 'complex':
      return t.name;
    case 'collection':
      return `Collection(${edmName(t.of)})`;
    case 'open':
      return 'Edm.Untyped';
  }
}
