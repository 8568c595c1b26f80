import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ADELE, type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';
import type { TestService } from './support/service.ts';
import { ScriptedVendor, json } from './support/scripted-vendor.ts';
import { STORE_KINDS } from './support/stores.ts';
import { httpConnection, httpRequest, sharedFolder, startVendorService } from './support/vendor-service.ts';

/**
 * Replaces the stored access token with one Graph does not accept, while Switchboard still
 * believes it valid: the next call gets a 401, as after an early revocation.
 */
async function spoilAccessToken(s: TestService, id: string): Promise<void> {
  const stored = await s.sb.vault.get<{ tokens: Record<string, unknown> }>('connection', id);
  await s.sb.vault.compareAndSet('connection', id, stored!.version, { ...stored!.value, tokens: { ...stored!.value.tokens, accessToken: `spoiled-${randomUUID()}` } });
  s.sb.vendor.forget(id);
}

describe('HTTP Request on Microsoft 365 (emulator)', () => {
  let m: MicrosoftSetup;
  before(async () => {
    m = await startWithEmulator();
  });
  after(() => m.close());

  test('GET /me joins onto the base path (/v1.0) and returns Graph\'s answer as JSON', async () => {
    const { id } = await connectDelegated(m);
    m.em.clearRequests();
    const res = await httpRequest(m.s, id, { method: 'GET', path: '/me', query: { $select: 'mail,userPrincipalName' } });
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.equal(out.status, 200);
    assert.equal(out.bodyEncoding, 'json');
    assert.equal(out.body.mail ?? out.body.userPrincipalName, ADELE);
    assert.match(out.headers['content-type'], /^application\/json/);
    assert.equal(out.meta.requestId, res.headers['x-request-id']);
    assert.equal(out.meta.attempts, 1);
    const me = m.em.requests().filter((r) => r.path === '/v1.0/me');
    assert.equal(me.length, 1);
    assert.equal(me[0]!.host, 'graph.microsoft.com');
    assert.equal(m.em.tokenStats().total, 0, 'a fresh token is used as it is');
  });

  test('a 401 from Graph renews the token once (one token request) and the call succeeds', async () => {
    const { id } = await connectDelegated(m);
    await spoilAccessToken(m.s, id);
    m.em.clearRequests();
    const res = await httpRequest(m.s, id, { method: 'GET', path: '/me' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 200);
    assert.equal(res.json().meta.attempts, 2);
    assert.equal(m.em.tokenStats().byGrantType.refresh_token, 1);
    assert.equal(m.em.tokenStats().total, 1);
    assert.deepEqual(m.em.requests().filter((r) => r.path === '/v1.0/me').map((r) => r.status), [401, 200]);
    // The renewed token is used from now on: no more token requests.
    assert.equal((await httpRequest(m.s, id, { method: 'GET', path: '/me' })).json().status, 200);
    assert.equal(m.em.tokenStats().total, 1);
  });

  test('a Graph error status is passed through in the envelope', async () => {
    const { id } = await connectDelegated(m);
    const res = await httpRequest(m.s, id, { method: 'GET', path: `/users/${randomUUID()}` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 404);
    assert.equal(typeof res.json().body.error.code, 'string');
  });

  test('a revoked grant: CONNECTION_NOT_ENABLED (403) with the reason and "reconnect"', async () => {
    const { id } = await connectDelegated(m, { user: 'LeeG@contoso.onmicrosoft.com' });
    m.em.revokeRefreshTokens({ user: 'LeeG@contoso.onmicrosoft.com' });
    await spoilAccessToken(m.s, id);
    const first = await httpRequest(m.s, id, { method: 'GET', path: '/me' });
    assert.equal(first.statusCode, 403, first.body);
    assert.equal(first.json().code, 'CONNECTION_NOT_ENABLED');
    assert.equal(first.json().action, 'reconnect');
    const again = await httpRequest(m.s, id, { method: 'GET', path: '/me' });
    assert.equal(again.statusCode, 403);
    assert.equal(again.json().disabledReason, 'refresh_token_revoked');
    assert.match(again.json().detail, /Reconnect required/);
  });

  test('the endpoint is in the OpenAPI document with both answers', async () => {
    const doc = (await m.s.api('GET', '/api/v1/openapi.json')).json();
    const op = doc.paths['/api/v1/connections/{id}/http'].post;
    assert.ok(op.requestBody.content['application/json'].schema);
    assert.deepEqual(Object.keys(op.responses['200'].content).sort(), ['application/json', 'application/octet-stream']);
  });
});

for (const kind of STORE_KINDS) describe(`HTTP Request against a vendor (${kind} store)`, () => {
  const vendor = new ScriptedVendor();
  let s: TestService;
  let id: string;
  let folderId: string;
  const KEY = 'ak_http_request_test_key_123456';

  before(async () => {
    await vendor.start();
    s = await startVendorService({ SWITCHBOARD_ACTIVITY_TIMEOUT_MS: '2000', SWITCHBOARD_MAX_JSON_BYTES: '2000' }, {}, kind);
    folderId = await sharedFolder(s);
    id = await httpConnection(s, folderId, `${vendor.origin}/api`, { apiKey: KEY });
  });
  after(async () => {
    await s.close();
    await vendor.close();
  });
  beforeEach(() => vendor.reset());

  test('JSON stays JSON, text stays text, binary comes back base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 0xff, 0xfe]);
    vendor.on('/api/json', (_req, res) => json(res, 200, { a: [1, 2] }));
    vendor.on('/api/text', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      res.end('a,b\n1,2\n');
    });
    vendor.on('/api/bin', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(bytes);
    });
    vendor.on('/api/empty', (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const j = (await httpRequest(s, id, { method: 'GET', path: '/json' })).json();
    assert.deepEqual([j.body, j.bodyEncoding], [{ a: [1, 2] }, 'json']);
    const t = (await httpRequest(s, id, { method: 'GET', path: '/text' })).json();
    assert.deepEqual([t.body, t.bodyEncoding], ['a,b\n1,2\n', 'text']);
    const b = (await httpRequest(s, id, { method: 'GET', path: '/bin' })).json();
    assert.equal(b.bodyEncoding, 'base64');
    assert.deepEqual(Buffer.from(b.body, 'base64'), bytes);
    const e = (await httpRequest(s, id, { method: 'DELETE', path: 'empty' })).json();
    assert.deepEqual([e.status, e.body, e.bodyEncoding], [204, null, 'none']);
  });

  test('with Accept: application/octet-stream the vendor body is streamed back as it is', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    vendor.on('/api/files/report.pdf', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"', 'x-internal': 'no' });
      res.end(bytes);
    });
    const res = await httpRequest(s, id, { method: 'GET', path: '/files/report.pdf' }, { accept: 'application/octet-stream' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="report.pdf"');
    assert.equal(res.headers['x-internal'], undefined);
    assert.equal(res.headers['x-switchboard-attempts'], '1');
    assert.deepEqual(res.rawPayload, bytes);
    const head = await httpRequest(s, id, { method: 'HEAD', path: '/files/report.pdf' }, { accept: 'application/octet-stream' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.rawPayload.length, 0);
    // A vendor error status is passed through as it is, too.
    const missing = await httpRequest(s, id, { method: 'GET', path: '/files/none.pdf' }, { accept: 'application/octet-stream' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NotFound');
  });

  test('request bodies: JSON, text and base64 bytes arrive as given', async () => {
    vendor.on('/api/echo', (req, res) => json(res, 200, { type: req.headers['content-type'], hex: req.body.toString('hex'), method: req.method }));
    const asJson = (await httpRequest(s, id, { method: 'POST', path: '/echo', body: { name: 'x', n: 1 } })).json().body;
    assert.equal(asJson.type, 'application/json');
    assert.equal(Buffer.from(asJson.hex, 'hex').toString(), '{"name":"x","n":1}');
    const asText = (await httpRequest(s, id, { method: 'PUT', path: '/echo', body: '<a/>', headers: { 'Content-Type': 'application/xml' } })).json().body;
    assert.deepEqual([asText.type, Buffer.from(asText.hex, 'hex').toString(), asText.method], ['application/xml', '<a/>', 'PUT']);
    const asBytes = (await httpRequest(s, id, { method: 'PATCH', path: '/echo', body: Buffer.from([1, 2, 255]).toString('base64'), bodyEncoding: 'base64' })).json().body;
    assert.deepEqual([asBytes.type, asBytes.hex], ['application/octet-stream', '0102ff']);
  });

  test('query parameters, absolute URLs on the same origin, and the credentials added', async () => {
    vendor.on('/api/search', (req, res) => json(res, 200, { q: req.query.getAll('tag'), top: req.query.get('top'), key: req.headers['x-api-key'] }));
    const res = (await httpRequest(s, id, { method: 'GET', path: '/search?top=5', query: { tag: ['a', 'b'] } })).json();
    assert.deepEqual(res.body, { q: ['a', 'b'], top: '5', key: KEY });
    const absolute = (await httpRequest(s, id, { method: 'GET', path: `${vendor.origin}/api/search` })).json();
    assert.equal(absolute.status, 200);
  });

  test('Authorization, Cookie, Host and hop-by-hop headers from the caller are refused, naming the header', async () => {
    for (const name of ['Authorization', 'cookie', 'Host', 'Connection', 'Transfer-Encoding', 'Proxy-Authorization', 'bad header']) {
      const res = await httpRequest(s, id, { method: 'GET', path: '/json', headers: { [name]: 'x' } });
      assert.equal(res.statusCode, 400, name);
      assert.equal(res.json().code, 'HTTP_REQUEST_INVALID');
      assert.equal(res.json().header, name);
      assert.equal(res.json().errors[0].path, `/body/headers/${name}`);
      assert.ok(res.json().detail.includes(name));
    }
    assert.equal(vendor.received.length, 0, 'nothing was sent');
  });

  test('invalid input is refused before sending', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ method: 'GET', path: '/x', body: { a: 1 } }, 'HTTP_REQUEST_INVALID'],
      [{ method: 'POST', path: '/x', body: 'not base64!', bodyEncoding: 'base64' }, 'HTTP_REQUEST_INVALID'],
      [{ method: 'TRACE', path: '/x' }, 'VALIDATION_FAILED'],
      [{ method: 'GET' }, 'VALIDATION_FAILED'],
      [{ method: 'GET', path: 'https://elsewhere.example/x' }, 'ORIGIN_NOT_ALLOWED'],
    ];
    for (const [body, code] of cases) {
      const res = await httpRequest(s, id, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().code, code, JSON.stringify(body));
    }
    assert.equal(vendor.received.length, 0);
  });

  test('hop-by-hop response headers are stripped from the envelope', async () => {
    vendor.on('/api/hop', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=5', connection: 'keep-alive, x-hop', 'x-hop': '1', 'x-end-to-end': '1' });
      res.end('{}');
    });
    const headers = (await httpRequest(s, id, { method: 'GET', path: '/hop' })).json().headers;
    assert.equal(headers['keep-alive'], undefined);
    assert.equal(headers.connection, undefined);
    assert.equal(headers['x-hop'], undefined);
    assert.equal(headers['x-end-to-end'], '1');
  });

  test('no answer in time is TIMEOUT (504); a JSON body over the limit is RESPONSE_TOO_LARGE (502)', async () => {
    vendor.on('/api/hang', () => undefined);
    vendor.on('/api/huge', (_req, res) => json(res, 200, { data: 'x'.repeat(5000) }));
    const slow = await httpRequest(s, id, { method: 'GET', path: '/hang' });
    assert.equal(slow.statusCode, 504, slow.body);
    assert.equal(slow.json().code, 'TIMEOUT');
    const big = await httpRequest(s, id, { method: 'GET', path: '/huge' });
    assert.equal(big.statusCode, 502, big.body);
    assert.equal(big.json().code, 'RESPONSE_TOO_LARGE');
  });

  test('a vendor that cannot be reached is VENDOR_UNREACHABLE (502)', async () => {
    const closed = new ScriptedVendor();
    await closed.start();
    const origin = closed.origin;
    await closed.close();
    const down = await httpConnection(s, folderId, origin, { apiKey: KEY });
    const res = await httpRequest(s, down, { method: 'GET', path: '/x' });
    assert.equal(res.statusCode, 502, res.body);
    assert.equal(res.json().code, 'VENDOR_UNREACHABLE');
    assert.equal(res.json().attempts, 3, 'GET is retried on network errors');
  });

  test('connectors that do not offer the HTTP Request refuse it; unknown and invisible connections are not found', async () => {
    const hook = await s.api('POST', '/api/v1/connections', { body: { folderId, connector: 'http-webhook', authType: 'none', fields: { sourceName: 'Billing' } } });
    assert.equal(hook.statusCode, 201, hook.body);
    const res = await httpRequest(s, hook.json().id, { method: 'GET', path: '/x' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'HTTP_REQUEST_NOT_OFFERED');
    const unknown = await httpRequest(s, randomUUID(), { method: 'GET', path: '/x' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'CONNECTION_NOT_FOUND');

    const user = await s.api('POST', '/api/v1/users', { body: { email: `outsider-${kind}@example.com`, displayName: 'Outsider' } });
    const key = (await s.api('POST', `/api/v1/users/${user.json().id}/api-keys`, { body: { name: 't' } })).json().key as string;
    const hidden = await s.api('POST', `/api/v1/connections/${id}/http`, { key, body: { method: 'GET', path: '/json' } });
    assert.equal(hidden.statusCode, 404, 'a connection in a folder you cannot see does not exist for you');
    assert.equal(hidden.json().code, 'CONNECTION_NOT_FOUND');
    assert.equal(vendor.received.length, 0);
  });
});
