import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { type TestService, startTestService } from './support/service.ts';

describe('OpenAPI document', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('embedded');
  });
  after(() => s.close());

  test('is a valid OpenAPI 3.1 document covering every route', async () => {
    const res = await s.api('GET', '/api/v1/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const result = await validate(structuredClone(doc));
    assert.equal(result.valid, true, result.valid ? '' : compileErrors(result));
    for (const path of ['/api/v1/health', '/api/v1/folders', '/api/v1/folders/{id}', '/api/v1/folders/{id}/members/{userId}', '/api/v1/users', '/api/v1/users/{id}/api-keys', '/api/v1/connectors', '/api/v1/connectors/{key}', '/api/v1/schemas/connector.json', '/api/v1/errors']) {
      assert.ok(doc.paths[path], `documents ${path}`);
    }
    assert.deepEqual(doc.paths['/api/v1/health'].get.security, []);
    assert.ok(doc.components.schemas.Problem);
    assert.equal(doc.components.securitySchemes.apiKey.scheme, 'bearer');
  });

  test('the schemas that validate requests are the ones documented', async () => {
    const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
    const body = doc.paths['/api/v1/folders'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['name']);
    assert.equal(body.additionalProperties, false);
    assert.equal(body.properties.name.pattern, '^[^/\\\\]+$');
  });
});
