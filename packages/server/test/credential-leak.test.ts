import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { findConnectionById } from '../src/connections/repository.ts';
import { Problem } from '../src/problems/problem.ts';
import type { TestService } from './support/service.ts';
import { ScriptedVendor, json } from './support/scripted-vendor.ts';
import { httpConnection, httpRequest, sharedFolder, startVendorService, tableResolver } from './support/vendor-service.ts';

// Every assertion here is about what a server RECEIVED: a credential that was never sent
// cannot leak, and one that was sent somewhere it should not be is a failure whatever
// Switchboard answered.
describe('credentials never leave the connection\'s origin', () => {
  const vendor = new ScriptedVendor(); // api.vendor.test, the connection's (public) base URL
  const cdn = new ScriptedVendor(); // cdn.vendor.test, another origin the vendor may redirect to
  const sink = new ScriptedVendor(); // anything on this machine an attacker would aim at
  let s: TestService;
  let folderId: string;
  const KEY = 'ak_header_0123456789abcdef0123';
  const QUERY_KEY = 'ak_query_fedcba9876543210fedc';
  const PAT = 'pat_bearer_5555aaaa6666bbbb7777';
  let headerConn: string;
  let queryConn: string;
  let bearerConn: string;

  before(async () => {
    await vendor.start();
    await cdn.start();
    await sink.start('::'); // both 127.0.0.1 and ::1
    s = await startVendorService(
      { SWITCHBOARD_HOST_MAP: `api.vendor.test=${vendor.origin},cdn.vendor.test=${cdn.origin}`, SWITCHBOARD_PRIVATE_HOSTS: '*.onprem.test' },
      // rebind.test looks public but resolves to loopback, as an attacker's DNS would make it;
      // jira.onprem.test is an on-premises API the operator listed.
      { resolve: tableResolver({ 'rebind.test': '127.0.0.1', 'metadata.rebind.test': '169.254.169.254', 'jira.onprem.test': '127.0.0.1' }) },
    );
    folderId = await sharedFolder(s);
    headerConn = await httpConnection(s, folderId, 'https://api.vendor.test/v1', { apiKey: KEY });
    queryConn = await httpConnection(s, folderId, 'https://api.vendor.test/v1', { apiKey: QUERY_KEY, placement: 'query', keyName: 'api_key' });
    bearerConn = await httpConnection(s, folderId, 'https://api.vendor.test/v1', { token: PAT }, 'personal-access-token');
  });
  after(async () => {
    await s.close();
    await Promise.all([vendor.close(), cdn.close(), sink.close()]);
  });
  beforeEach(() => {
    vendor.reset();
    cdn.reset();
    sink.reset();
  });

  const nothingReceived = () => {
    assert.equal(cdn.received.length, 0, 'the other origin received nothing');
    assert.equal(sink.received.length, 0, 'nothing on this machine received anything');
  };

  test('the credentials reach the base origin (the baseline the other tests depend on)', async () => {
    vendor.on('/v1/me', (req, res) => json(res, 200, { key: req.headers['x-api-key'] ?? null, q: req.query.get('api_key'), auth: req.headers.authorization ?? null }));
    assert.deepEqual((await httpRequest(s, headerConn, { method: 'GET', path: '/me' })).json().body, { key: KEY, q: null, auth: null });
    assert.deepEqual((await httpRequest(s, queryConn, { method: 'GET', path: '/me' })).json().body, { key: null, q: QUERY_KEY, auth: null });
    assert.deepEqual((await httpRequest(s, bearerConn, { method: 'GET', path: '/me' })).json().body, { key: null, q: null, auth: `Bearer ${PAT}` });
  });

  test('an absolute URL on another origin is refused before anything is sent', async () => {
    for (const path of ['https://cdn.vendor.test/steal', `http://127.0.0.1:${sink.port}/steal`, '//cdn.vendor.test/steal', 'http://api.vendor.test/v1/me', 'https://api.vendor.test:8443/v1/me']) {
      const res = await httpRequest(s, bearerConn, { method: 'GET', path });
      assert.equal(res.statusCode, 400, path);
      assert.equal(res.json().code, 'ORIGIN_NOT_ALLOWED', path);
    }
    assert.equal(vendor.received.length, 0);
    nothingReceived();
  });

  test('a redirect to another origin is followed without the credentials', async () => {
    vendor.on('/v1/export', (req, res) => {
      // Even a vendor that copies the key into the Location must not make us send it on.
      const key = req.query.get('api_key');
      res.writeHead(302, { location: `https://cdn.vendor.test/files/1?sig=abc${key ? `&api_key=${key}` : ''}` });
      res.end();
    });
    cdn.on('/files/1', (_req, res) => json(res, 200, { file: 1 }));
    for (const id of [headerConn, queryConn, bearerConn]) {
      const res = await httpRequest(s, id, { method: 'GET', path: '/export' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().body, { file: 1 });
    }
    assert.equal(cdn.received.length, 3);
    for (const got of cdn.received) {
      assert.equal(got.headers.authorization, undefined, 'no Authorization at the other origin');
      assert.equal(got.headers['x-api-key'], undefined, 'no API key header at the other origin');
      assert.equal(got.query.get('api_key'), null, 'no API key in the query at the other origin');
      assert.equal(got.query.get('sig'), 'abc');
      const raw = JSON.stringify({ h: got.headers, q: [...got.query] });
      for (const secret of [KEY, QUERY_KEY, PAT]) assert.ok(!raw.includes(secret), `${secret} reached the other origin`);
    }
  });

  test('redirects into this machine, its network or cloud metadata are refused while the base URL is public', async () => {
    const targets = [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      `http://localhost:${sink.port}/admin`,
      `http://[::1]:${sink.port}/admin`,
      `http://[::ffff:127.0.0.1]:${sink.port}/admin`,
      `http://127.0.0.1:${sink.port}/admin`,
      `http://2130706433:${sink.port}/admin`,
      `http://0.0.0.0:${sink.port}/admin`,
      `http://rebind.test:${sink.port}/admin`,
      'http://metadata.rebind.test/latest/meta-data/',
    ];
    vendor.on('/v1/go', (req, res) => {
      res.writeHead(302, { location: req.query.get('to')! });
      res.end();
    });
    for (const to of targets) {
      const res = await httpRequest(s, bearerConn, { method: 'GET', path: '/go', query: { to } });
      assert.equal(res.statusCode, 403, `${to}: ${res.body}`);
      assert.equal(res.json().code, 'DESTINATION_NOT_ALLOWED', to);
      assert.ok(!res.body.includes(PAT));
    }
    assert.equal(vendor.count('/v1/go'), targets.length);
    nothingReceived();
  });

  test('a base URL with a public-looking name that resolves to loopback is refused (DNS rebinding)', async () => {
    const id = await httpConnection(s, folderId, `http://rebind.test:${sink.port}/api`, { apiKey: KEY });
    sink.on('/api/me', (_req, res) => json(res, 200, { reached: true }));
    const res = await httpRequest(s, id, { method: 'GET', path: '/me' });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'DESTINATION_NOT_ALLOWED');
    assert.equal(res.json().addressCategory, 'loopback');
    nothingReceived();
  });

  test('an on-premises host the operator listed may resolve to a private address (the socket goes to the checked address)', async () => {
    const id = await httpConnection(s, folderId, `http://jira.onprem.test:${sink.port}/rest`, { apiKey: KEY });
    sink.on('/rest/myself', (req, res) => json(res, 200, { key: req.headers['x-api-key'] ?? null }));
    const res = await httpRequest(s, id, { method: 'GET', path: '/myself' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().body, { key: KEY });
    assert.equal(sink.received.length, 1);
  });

  test('through the VendorCaller directly, a foreign URL on this machine is refused and nothing is received', async () => {
    const row = (await findConnectionById(s.sb.db, bearerConn))!;
    for (const url of [`http://localhost:${sink.port}/x`, `http://[::1]:${sink.port}/x`, `http://rebind.test:${sink.port}/x`, 'http://169.254.169.254/']) {
      await assert.rejects(
        s.sb.vendor.send(row, { method: 'GET', url: new URL(url), headers: {} }, { requestId: 'leak-test', operation: 'test', kind: 'activity' }),
        (error: unknown) => error instanceof Problem && error.code === 'DESTINATION_NOT_ALLOWED',
        url,
      );
    }
    nothingReceived();
  });

  test('query-string API keys never appear in the service log nor in the request logs', async () => {
    vendor.on('/v1/ok', (_req, res) => json(res, 200, { ok: true }));
    vendor.on('/v1/missing', (_req, res) => json(res, 404, { error: { code: 'NotFound', message: 'nope' } }));
    vendor.on('/v1/broken', (_req, res) => json(res, 500, { message: 'boom' }));
    for (const path of ['/ok', '/missing', '/broken', '/ok?access_token=caller-secret-token', `https://api.vendor.test/v1/ok?x=1`]) {
      const res = await httpRequest(s, queryConn, { method: 'GET', path });
      assert.equal(res.statusCode, 200, res.body);
    }
    assert.ok(vendor.received.every((r) => r.query.get('api_key') === QUERY_KEY), 'the vendor got the key every time');
    await s.sb.recorder.flush();
    const logged = await s.sb.db.query<{ url: string }>('SELECT url FROM request_logs WHERE connection_id = $1', [queryConn]);
    assert.ok(logged.length >= 5, `request logs: ${logged.length}`);
    for (const row of logged) {
      assert.ok(!row.url.includes(QUERY_KEY), row.url);
      assert.ok(!row.url.includes('caller-secret-token'), row.url);
    }
    assert.deepEqual(s.logs.leaked([QUERY_KEY, KEY, PAT, 'caller-secret-token']), []);
  });
});
