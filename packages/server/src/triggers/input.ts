import type { JsonSchema } from '@switchboard/catalog';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Problem } from '../problems/problem.ts';
import './errors.ts';

const ajv = new Ajv.default({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });
addFormats.default(ajv);
const compiled = new WeakMap<object, ValidateFunction>();

/** Checks a trigger's parameters against the definition's input schema and fills its defaults. */
export function checkInput(schema: JsonSchema | undefined, input: Record<string, unknown> | undefined): Record<string, unknown> {
  const value = structuredClone(input ?? {});
  if (!schema) {
    if (Object.keys(value).length > 0) throw new Problem('TRIGGER_INPUT_INVALID', 'This trigger takes no parameters.', { errors: [{ path: '/body/input', message: 'must be empty', rule: 'no-input' }] });
    return value;
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const errors = (validate.errors ?? []).map((e) => ({
      path: `/body/input${e.instancePath}${e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : ''}`,
      message: e.message ?? 'is not valid',
      rule: e.keyword,
    }));
    throw new Problem('TRIGGER_INPUT_INVALID', `${errors[0]!.path}: ${errors[0]!.message}`, { errors });
  }
  return value;
}
