import type { JsonSchema } from '@switchboard/catalog';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../problems/problem.ts';
import { Problem } from '../problems/problem.ts';
import './errors.ts';

type AddFormats = typeof addFormatsModule.default;
// ajv-formats is CommonJS: under ESM the plugin function is the default export's `default`.
const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/**
 * Validates activity inputs against their schemas before anything is sent. Defaults are filled
 * in (templates and expressions then see them), nothing is coerced: "5" is not 5. Compiled
 * validators are kept per schema object; schemas come from frozen definitions, so they do not change.
 */
export class InputValidator {
  // One Ajv per validator: two connectors may reuse an $id, and a validator serves one directory.
  private readonly ajv = new Ajv2020({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false });
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  private validatorOf(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  /** Returns the input with defaults filled in, or throws ACTIVITY_INPUT_INVALID listing every error. */
  check(schema: JsonSchema, input: unknown): Record<string, unknown> {
    const value = structuredClone(input ?? {});
    const validate = this.validatorOf(schema);
    if (validate(value)) return value as Record<string, unknown>;
    throw inputProblem(dedupe((validate.errors ?? []).map((e) => toFieldError(e))));
  }

  /** Errors of a value against a schema, without throwing (output checks). */
  errors(schema: JsonSchema, value: unknown, prefix: string): FieldError[] {
    const validate = this.validatorOf(schema);
    return validate(value) ? [] : dedupe((validate.errors ?? []).map((e) => toFieldError(e, prefix)));
  }
}

export function inputProblem(errors: FieldError[], detail?: string): Problem {
  const first = errors[0];
  return new Problem('ACTIVITY_INPUT_INVALID', detail ?? (first ? `${first.path}: ${first.message}` : 'The input is not valid.'), { errors });
}

function toFieldError(e: ErrorObject, prefix = '/input'): FieldError {
  let path = prefix + e.instancePath;
  let message = e.message ?? 'is not valid';
  if (e.keyword === 'required' || e.keyword === 'dependentRequired') {
    path += `/${escape(String(e.params.missingProperty))}`;
    message = e.keyword === 'required' ? 'is required' : `is required with ${String(e.params.property)}`;
  } else if (e.keyword === 'additionalProperties') {
    path += `/${escape(String(e.params.additionalProperty))}`;
    message = 'is not a known property';
  } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
    message = `must be one of ${e.params.allowedValues.map((x: unknown) => JSON.stringify(x)).join(', ')}`;
  }
  return { path, message, rule: e.keyword };
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.rule}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
