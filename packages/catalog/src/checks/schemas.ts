// Activity, trigger and object schemas are compiled, not just shape-checked: strict mode rejects
// unknown keywords (typos such as "requried"), required properties missing from properties, and
// invalid formats, which a meta-schema check lets through.
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createAjv } from '../ajv.ts';
import type { JsonSchema } from '../types.ts';
import type { Checks } from './context.ts';

export function schemaCompiler(c: Checks): (schema: JsonSchema, path: string) => void {
  // One Ajv per definition: schemas with the same $id in two connectors must not collide.
  let ajv: Ajv2020 | undefined;
  return (schema, path) => {
    ajv ??= createAjv({ strict: true, allowUnionTypes: true, allErrors: true });
    try {
      ajv.compile(schema);
    } catch (error) {
      c.fail(path, 'invalid-schema', `not a valid JSON Schema (draft 2020-12, strict): ${(error as Error).message}`);
    }
  };
}
