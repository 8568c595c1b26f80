import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectorSchema, readPointer } from '../src/index.ts';

type Schema = Record<string, unknown>;

/** Every property schema in the connector schema, with its location. */
function* propertySchemas(schema: unknown, at: string): Generator<[string, Schema]> {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Schema;
  for (const [name, sub] of Object.entries((s.properties as Schema | undefined) ?? {})) {
    if (sub && typeof sub === 'object') yield [`${at}/properties/${name}`, sub as Schema];
  }
  for (const [key, value] of Object.entries(s)) {
    if (key === 'properties') {
      for (const [name, sub] of Object.entries(value as Schema)) yield* propertySchemas(sub, `${at}/properties/${name}`);
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) yield* propertySchemas(item, `${at}/${key}/${i}`);
    } else if (value && typeof value === 'object' && key !== 'const' && key !== 'default') {
      yield* propertySchemas(value, `${at}/${key}`);
    }
  }
}

function describedBy(schema: Schema): boolean {
  if (typeof schema.description === 'string' && schema.description.length > 0) return true;
  if (typeof schema.$ref === 'string') return describedBy(readPointer(connectorSchema, schema.$ref.slice(1)) as Schema);
  return false;
}

describe('connector.schema.json', () => {
  it('is a draft 2020-12 schema with the published $id', () => {
    assert.equal(connectorSchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(connectorSchema.$id, 'https://switchboard.dev/schemas/connector.json');
  });

  it('describes every property (directly or through its $ref), for human readers', () => {
    const missing = [...propertySchemas(connectorSchema, '#')]
      // Conditional branches (if/then, dependentSchemas) only restate properties declared elsewhere.
      .filter(([at]) => !/\/(if|then|else|dependentSchemas)(\/|$)/.test(at))
      .filter(([, s]) => !describedBy(s))
      .map(([at]) => at);
    assert.deepEqual(missing, []);
  });

  it('describes every definition', () => {
    const defs = connectorSchema.$defs as Record<string, Schema>;
    assert.deepEqual(Object.entries(defs).filter(([, s]) => !describedBy(s)).map(([name]) => name), []);
  });

  it('closes every object it defines (additionalProperties or unevaluatedProperties false)', () => {
    const open = new Set(['JsonSchemaObject', 'InputSchema', 'AuthType', 'AuthCommon', 'OAuth2TokenCommon', 'Pagination', 'PaginationCommon', 'TemplateMap', 'ValueSourceMap']);
    const defs = connectorSchema.$defs as Record<string, Schema>;
    const unclosed = Object.entries(defs)
      .filter(([name, s]) => s.type === 'object' && !open.has(name))
      .filter(([, s]) => s.additionalProperties !== false && s.unevaluatedProperties !== false && s.additionalProperties === undefined)
      .map(([name]) => name);
    assert.deepEqual(unclosed, []);
  });
});
