import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, type TestService, startTestService } from './support/service.ts';

describe('HTTP surface: problems, request ids, logs', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('embedded', { SWITCHBOARD_BODY_LIMIT: '4096' });
  });
  after(() => s.close());

  test('health answers without authentication', async () => {
    const res = await s.api('GET', '/api/v1/health', { key: null });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'ok');
    assert.equal(body.store, 'embedded');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  });

  test('every other endpoint needs an API key', async () => {
    for (const url of ['/api/v1/folders', '/api/v1/users', '/api/v1/connectors', '/api/v1/errors', '/api/v1/openapi.json']) {
      const res = await s.api('GET', url, { key: null });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().code, 'UNAUTHENTICATED');
    }
  });

  test('unknown route: 404 problem', async () => {
    const res = await s.api('GET', '/api/v1/nope');
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const body = res.json();
    assert.equal(body.code, 'ROUTE_NOT_FOUND');
    assert.equal(body.status, 404);
    assert.equal(body.type, '/api/v1/errors#ROUTE_NOT_FOUND');
  });

  test('malformed JSON: 400 problem', async () => {
    const res = await s.api('POST', '/api/v1/folders', { body: '{"name": ', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'MALFORMED_JSON');
  });

  test('oversized body: 413 problem', async () => {
    const res = await s.api('POST', '/api/v1/folders', { body: { name: 'x'.repeat(10_000) } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().code, 'PAYLOAD_TOO_LARGE');
  });

  test('wrong content type: 415 problem', async () => {
    const res = await s.api('POST', '/api/v1/folders', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('validation errors name every field path and rule', async () => {
    const res = await s.api('POST', '/api/v1/users', { body: { email: 'not-an-email', isTenantAdmin: 'yes', extra: 1 } });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'VALIDATION_FAILED');
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['/body/email', '/body/extra', '/body/isTenantAdmin']);
    assert.ok(body.errors.every((e: { rule: string; message: string }) => e.rule && e.message));
    const missing = await s.api('POST', '/api/v1/folders', { body: {} });
    assert.deepEqual(missing.json().errors, [{ path: '/body/name', message: 'is required', rule: 'required' }]);
    const badQuery = await s.api('GET', '/api/v1/folders?limit=0');
    assert.equal(badQuery.json().errors[0].path, '/querystring/limit');
    const badEnum = await s.api('GET', '/api/v1/folders?kind=other');
    assert.equal(badEnum.statusCode, 400);
    const badCursor = await s.api('GET', '/api/v1/folders?cursor=zzz');
    assert.equal(badCursor.json().errors[0].path, '/query/cursor');
  });

  test('request ids: generated, or taken from the caller, and echoed', async () => {
    const generated = await s.api('GET', '/api/v1/health');
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const given = await s.api('GET', '/api/v1/nope', { headers: { 'x-request-id': 'trace-42' } });
    assert.equal(given.headers['x-request-id'], 'trace-42');
    assert.equal(given.json().requestId, 'trace-42');
    const hostile = await s.api('GET', '/api/v1/health', { headers: { 'x-request-id': 'bad id\nwith newline' } });
    assert.notEqual(hostile.headers['x-request-id'], 'bad id\nwith newline');
  });

  test('one structured log line per request, with the correlation id and no secrets', async () => {
    const before = s.logs.lines.length;
    await s.api('GET', '/api/v1/folders?limit=5', { headers: { 'x-request-id': 'log-check-1' } });
    const lines = s.logs.records().slice(before).filter((r) => r.requestId === 'log-check-1');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.msg, 'request');
    assert.equal(lines[0]!.status, 200);
    assert.equal(lines[0]!.method, 'GET');
    assert.equal(lines[0]!.url, '/api/v1/folders?[redacted]');
    assert.deepEqual(s.logs.leaked([ADMIN_KEY]), []);
  });

  test('API docs are served', async () => {
    const res = await s.api('GET', '/api/docs/', { key: null });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });

  test('the error catalog lists every code with meaning and fix', async () => {
    const res = await s.api('GET', '/api/v1/errors');
    const codes = res.json().items;
    for (const code of ['VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ROUTE_NOT_FOUND', 'INTERNAL_ERROR']) {
      const entry = codes.find((c: { code: string }) => c.code === code);
      assert.ok(entry, code);
      assert.ok(entry.meaning.length > 10 && entry.fix.length > 10);
    }
  });
});
