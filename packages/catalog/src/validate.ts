import type { ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from './ajv.ts';
import { humanizeAjvErrors } from './ajv-errors.ts';
import { checkSemantics } from './checks/index.ts';
import { ConnectorDefinitionError } from './errors.ts';
import { connectorSchema } from './schema.ts';
import type { ConnectorDefinition, ValidationResult } from './types.ts';

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= createAjv({
    allErrors: true,
    strict: true,
    // "exactly one of" is written oneOf: [{required: [a]}, {required: [b]}], which strictRequired forbids.
    strictRequired: false,
    allowUnionTypes: true,
    // Auth types and pagination styles are tagged unions: validate only the branch the tag names.
    discriminator: true,
    // parentSchema lets error messages list the properties allowed where an unknown one was found.
    verbose: true,
  }).compile(connectorSchema);
  return compiled;
}

function connectorName(def: unknown, source: string | undefined): string {
  const key = def !== null && typeof def === 'object' ? (def as { key?: unknown }).key : undefined;
  if (typeof key === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(key)) return key;
  return source ?? (typeof key === 'string' && key ? key : '(unnamed)');
}

/**
 * Validates a connector definition against the JSON Schema, then (when the shape is right) the
 * semantic rules. `source` (e.g. a file name) names the connector in errors when its key is unusable.
 */
export function validateConnector(def: unknown, source?: string): ValidationResult {
  const connector = connectorName(def, source);
  const validate = schemaValidator();
  const problems = validate(def) ? checkSemantics(def as ConnectorDefinition) : humanizeAjvErrors(validate.errors ?? [], connectorSchema as Record<string, unknown>);
  if (problems.length === 0) return { valid: true, connector, definition: def as ConnectorDefinition, errors: [] };
  return { valid: false, connector, errors: problems.map((p) => ({ connector, ...p })) };
}

/** Returns the definition typed, or throws ConnectorDefinitionError listing every problem. */
export function assertValidConnector(def: unknown, source?: string): ConnectorDefinition {
  const result = validateConnector(def, source);
  if (!result.valid) throw new ConnectorDefinitionError(result.errors);
  return result.definition;
}
