import type { JsonSchema } from '@switchboard/catalog';
import type { FieldError } from '../problems/problem.ts';

/**
 * The `where` filter of List activities: a small structured language, the same for every
 * connector, compiled to the vendor's own query language (OData $filter for Graph). Structured
 * rather than a string so nothing the caller types can change the query's shape: fields are
 * checked as identifiers and values are always written as literals.
 */
export type Where = Condition | { and: Where[] } | { or: Where[] } | { not: Where };

export interface Condition {
  /** A record property; nested properties with dots or slashes (from.emailAddress.address). */
  field: string;
  op: WhereOp;
  value?: unknown;
}

export const WHERE_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'startsWith', 'endsWith', 'in', 'any', 'isNull', 'isNotNull'] as const;
export type WhereOp = (typeof WHERE_OPS)[number];

/** The JSON Schema of `where`, shown in the activity listing and used to validate input. */
export const WHERE_SCHEMA: JsonSchema = {
  description:
    'Filter: a condition {field, op, value}, or {and: [...]}, {or: [...]}, {not: ...} combining them. ops: eq, ne, gt, ge, lt, le (comparisons), contains, startsWith, endsWith (text), in (value is a list), any (a list property contains value), isNull, isNotNull (no value). Nested fields use dots, e.g. from.emailAddress.address.',
  $ref: '#/$defs/where',
};

export const WHERE_DEFS: Record<string, JsonSchema> = {
  where: {
    type: 'object',
    minProperties: 1,
    properties: {
      field: { type: 'string', minLength: 1, maxLength: 200 },
      op: { enum: [...WHERE_OPS] },
      value: {},
      and: { type: 'array', minItems: 1, items: { $ref: '#/$defs/where' } },
      or: { type: 'array', minItems: 1, items: { $ref: '#/$defs/where' } },
      not: { $ref: '#/$defs/where' },
    },
    additionalProperties: false,
    // Exactly one shape: a condition, or one combinator.
    oneOf: [{ required: ['field', 'op'], not: { anyOf: [{ required: ['and'] }, { required: ['or'] }, { required: ['not'] }] } }, { required: ['and'], maxProperties: 1 }, { required: ['or'], maxProperties: 1 }, { required: ['not'], maxProperties: 1 }],
  },
};

/** A where tree that cannot be compiled: each error names its place in the input. */
export class WhereError extends Error {
  override name = 'WhereError';
  constructor(readonly errors: FieldError[]) {
    super(errors[0]?.message ?? 'invalid where');
  }
}

/** The schema of a (possibly nested) record field, or undefined when the record schema does not say. */
export function fieldSchema(schema: JsonSchema, segments: string[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const segment of segments) {
    const props: unknown = current?.properties;
    if (!props || typeof props !== 'object' || Array.isArray(props)) return undefined;
    const next: unknown = (props as Record<string, unknown>)[segment];
    current = next && typeof next === 'object' && !Array.isArray(next) ? (next as JsonSchema) : undefined;
    if (!current) return undefined;
  }
  return current;
}

/** Top-level property names of a record schema, when it declares them. */
export function knownFields(schema: JsonSchema): string[] | undefined {
  const props = schema.properties;
  return props && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : undefined;
}
