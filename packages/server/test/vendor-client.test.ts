import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Problem } from '../src/problems/problem.ts';
import type { VendorRequest } from '../src/outbound/vendor-call.ts';
import { problemFromVendorResponse, readVendorError, vendorErrorCode } from '../src/outbound/vendor-problems.ts';
import { parseResetValue, parseRetryAfter } from '../src/outbound/retry-policy.ts';
import { PrivateHosts, classifyAddress, isAllowedCategory, isInternalBase, literalCategory } from '../src/outbound/address-policy.ts';
import { FakeConnection, clientFor } from './support/fake-access.ts';
import { ScriptedVendor, json } from './support/scripted-vendor.ts';

const CALL = { requestId: 'req-1', operation: 'test', kind: 'activity' as const };

function get(origin: string, path: string, extra: Partial<VendorRequest> = {}): VendorRequest {
  return { method: 'GET', url: new URL(path, origin), headers: {}, ...extra };
}

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Problem, `expected a Problem, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('vendor client', () => {
  const vendor = new ScriptedVendor();
  before(() => vendor.start());
  after(() => vendor.close());
  beforeEach(() => vendor.reset());

  describe('credentials', () => {
    test('an API key header goes to the base origin, with the connector headers; the caller cannot override it', async () => {
      const c = new FakeConnection({ baseUrl: `${vendor.origin}/v1`, http: { headers: { 'X-Api-Version': '2024-01' } } });
      vendor.on('/v1/items', (_req, res) => json(res, 200, { ok: true }));
      const { client, recorder } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/v1/items', { headers: { 'x-api-key': 'caller-value', authorization: 'Bearer caller', connection: 'close' } }), CALL);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { ok: true });
      const got = vendor.received[0]!;
      assert.equal(got.headers['x-api-key'], c.apiKey, "the connection's key, not the caller's");
      assert.equal(got.headers.authorization, undefined, "the caller's Authorization is never sent");
      assert.equal(got.headers['x-api-version'], '2024-01');
      assert.match(String(got.headers['user-agent']), /^Switchboard\//);
      assert.equal(recorder.records.length, 1);
      assert.equal(recorder.records[0]!.billable, true);
      assert.equal(recorder.records[0]!.status, 200);
    });

    test('a query API key is added on the base origin and never recorded', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, auth: 'api-key-query' });
      vendor.on('/search', (_req, res) => json(res, 200, []));
      const { client, recorder } = clientFor(c);
      await client.send(c.row, get(vendor.origin, '/search?q=cats&access_token=abc'), CALL);
      assert.equal(vendor.received[0]!.query.get('api_key'), c.apiKey);
      const url = recorder.records[0]!.redactedUrl;
      assert.ok(!url.includes(c.apiKey), url);
      assert.equal(url, '/search?q=cats&access_token=[redacted]');
    });
  });

  describe('retries', () => {
    test('Retry-After in seconds is waited exactly (plus jitter below the base delay)', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/limited', (_req, res, n) => (n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '7' }) : json(res, 200, { ok: 1 })));
      const { client, sleeps } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/limited'), CALL);
      assert.equal(res.status, 200);
      assert.equal(res.attempts, 2);
      assert.equal(sleeps.length, 1);
      assert.ok(sleeps[0]! >= 7000 && sleeps[0]! < 7010, String(sleeps[0]));
    });

    test('Retry-After as an HTTP date is honoured', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/dated', (_req, res, n) =>
        n === 1 ? json(res, 503, {}, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }) : json(res, 200, {}),
      );
      const { client, sleeps } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/dated'), CALL);
      assert.equal(res.status, 200);
      assert.ok(sleeps[0]! > 28_000 && sleeps[0]! <= 30_010, String(sleeps[0]));
    });

    test('RateLimit-Reset (seconds) and X-RateLimit-Reset (epoch) are honoured when nothing remains', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/ietf', (_req, res, n) => (n === 1 ? json(res, 429, {}, { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' }) : json(res, 200, {})));
      vendor.on('/github', (_req, res, n) =>
        n === 1 ? json(res, 429, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 20) }) : json(res, 200, {}),
      );
      const { client, sleeps } = clientFor(c);
      assert.equal((await client.send(c.row, get(vendor.origin, '/ietf'), CALL)).status, 200);
      assert.equal((await client.send(c.row, get(vendor.origin, '/github'), CALL)).status, 200);
      assert.ok(sleeps[0]! >= 3000 && sleeps[0]! < 3010, String(sleeps[0]));
      assert.ok(sleeps[1]! > 18_000 && sleeps[1]! <= 20_010, String(sleeps[1]));
    });

    test('a POST is not retried on 500, but is on 429 and 503; a GET is retried on 500', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/fail500', (_req, res, n) => json(res, n === 1 ? 500 : 200, {}));
      vendor.on('/fail429', (_req, res, n) => json(res, n === 1 ? 429 : 201, {}));
      vendor.on('/fail503', (_req, res, n) => json(res, n === 1 ? 503 : 201, {}));
      const { client } = clientFor(c);
      const post = (path: string) => client.send(c.row, { method: 'POST', url: new URL(path, vendor.origin), headers: { 'content-type': 'application/json' }, body: '{}' }, CALL);
      const r500 = await post('/fail500');
      assert.equal(r500.status, 500);
      assert.equal(vendor.count('/fail500'), 1, 'a POST that failed with 500 may have done its work: not repeated');
      assert.equal((await post('/fail429')).status, 201);
      assert.equal(vendor.count('/fail429'), 2);
      assert.equal((await post('/fail503')).status, 201);
      assert.equal(vendor.count('/fail503'), 2);
      vendor.reset();
      vendor.on('/fail500', (_req, res, n) => json(res, n === 1 ? 500 : 200, {}));
      assert.equal((await client.send(c.row, get(vendor.origin, '/fail500'), CALL)).status, 200);
      assert.equal(vendor.count('/fail500'), 2);
    });

    test('attempts stop at the connector maxAttempts, and the last answer is returned', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, http: { retry: { statuses: [503], maxAttempts: 4 } } });
      vendor.on('/down', (_req, res) => json(res, 503, { error: { code: 'ServiceUnavailable', message: 'try later' } }));
      const { client, sleeps, recorder } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/down'), CALL);
      assert.equal(res.status, 503);
      assert.equal(res.attempts, 4);
      assert.equal(vendor.count('/down'), 4);
      assert.equal(sleeps.length, 3);
      assert.ok(sleeps.every((ms, i) => ms >= 0 && ms < 10 * 2 ** i), `full jitter under base·2^n: ${sleeps}`);
      assert.equal(recorder.records[0]!.attempts, 4);
      assert.equal(recorder.records[0]!.billable, false);
      assert.equal(recorder.records[0]!.errorCode, 'VENDOR_ERROR');
    });

    test('a wait longer than the total wait budget is not waited: the 429 is returned at once', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/later', (_req, res) => json(res, 429, {}, { 'retry-after': '120' }));
      const { client, sleeps } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/later'), CALL);
      assert.equal(res.status, 429);
      assert.equal(res.attempts, 1);
      assert.deepEqual(sleeps, []);
      const problem = problemFromVendorResponse(res);
      assert.equal(problem.code, 'VENDOR_RATE_LIMITED');
      assert.equal(problem.extensions.retryAfterSeconds, 120);
    });

    test('network errors are retried for GET and not for POST', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/flaky', (req, res, n) => {
        if (n === 1) return void res.socket?.destroy();
        json(res, 200, { method: req.method });
      });
      const { client } = clientFor(c);
      const ok = await client.send(c.row, get(vendor.origin, '/flaky'), CALL);
      assert.equal(ok.status, 200);
      assert.equal(ok.attempts, 2);
      vendor.reset();
      vendor.on('/flaky', (req, res, n) => {
        if (n === 1) return void res.socket?.destroy();
        json(res, 200, { method: req.method });
      });
      const problem = await problemOf(client.send(c.row, { method: 'POST', url: new URL('/flaky', vendor.origin), headers: {}, body: 'x' }, CALL));
      assert.equal(problem.code, 'VENDOR_UNREACHABLE');
      assert.equal(vendor.count('/flaky'), 1);
    });
  });

  describe('limits', () => {
    test('the concurrency cap holds: the vendor never sees more than N at once, and every call completes', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, http: { rateLimit: { concurrency: 2 } } });
      // The vendor holds requests until two are in flight, so the cap is reached for sure; if
      // fewer ever arrived together, the fallback timer lets them go and the assertion fails.
      let held: Array<() => void> = [];
      vendor.on('/slow', (_req, res) => {
        held.push(() => json(res, 200, {}));
        const release = () => {
          const go = held;
          held = [];
          for (const answer of go) answer();
        };
        if (held.length >= 2) release();
        else setTimeout(release, 500).unref();
      });
      const { client } = clientFor(c);
      const results = await Promise.all(Array.from({ length: 8 }, () => client.send(c.row, get(vendor.origin, '/slow'), CALL)));
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(vendor.count('/slow'), 8);
      assert.equal(vendor.maxInFlight, 2);
    });

    test('the token bucket lets a burst through and holds the rest (they queue, then time out here)', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, http: { rateLimit: { requestsPerSecond: 0.1, burst: 3 } } });
      vendor.on('/paced', (_req, res) => json(res, 200, {}));
      const { client } = clientFor(c);
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => client.send(c.row, get(vendor.origin, '/paced'), { ...CALL, timeoutMs: 300 })));
      const ok = outcomes.filter((o) => o.status === 'fulfilled');
      const timedOut = outcomes.filter((o) => o.status === 'rejected' && (o.reason as Problem).code === 'TIMEOUT');
      assert.equal(ok.length, 3);
      assert.equal(timedOut.length, 3);
      assert.equal(vendor.count('/paced'), 3, 'the held calls were never sent');
    });
    test('an answer saying the quota is spent holds the connection\'s next calls until the reset', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/quota', (_req, res) => json(res, 200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 30) }));
      const { client } = clientFor(c);
      assert.equal((await client.send(c.row, get(vendor.origin, '/quota'), CALL)).status, 200);
      const held = await problemOf(client.send(c.row, get(vendor.origin, '/quota'), { ...CALL, timeoutMs: 300 }));
      assert.equal(held.code, 'TIMEOUT');
      assert.equal(vendor.count('/quota'), 1, 'the held call was not sent before the reset');
      const other = new FakeConnection({ baseUrl: vendor.origin });
      assert.equal((await clientFor(other).client.send(other.row, get(vendor.origin, '/quota'), CALL)).status, 200, 'other connections are not held');
    });
  });

  describe('expired tokens', () => {
    test('a 401 renews the token once and repeats the call', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, auth: 'oauth' });
      vendor.on('/me', (req, res) => (req.headers.authorization === 'Bearer token-2' ? json(res, 200, { id: 1 }) : json(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'expired' } })));
      const { client } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/me'), CALL);
      assert.equal(res.status, 200);
      assert.equal(res.attempts, 2);
      assert.equal(c.renewals, 1);
      assert.deepEqual(vendor.received.map((r) => r.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
      // The renewed token is what the cache serves next.
      await client.send(c.row, get(vendor.origin, '/me'), CALL);
      assert.equal(vendor.received[2]!.headers.authorization, 'Bearer token-2');
    });

    test('only once: a second 401 is returned as it is', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, auth: 'oauth' });
      vendor.on('/me', (_req, res) => json(res, 401, { error: 'invalid_token' }));
      const { client } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/me'), CALL);
      assert.equal(res.status, 401);
      assert.equal(c.renewals, 1);
      assert.equal(vendor.count('/me'), 2);
      assert.equal(problemFromVendorResponse(res).code, 'VENDOR_UNAUTHORIZED');
    });

    test("the connector's expiredTokenStatus decides which status renews", async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, auth: 'oauth', expiredTokenStatus: [403] });
      vendor.on('/me', (req, res) => json(res, req.headers.authorization === 'Bearer token-1' ? 403 : 200, {}));
      const { client } = clientFor(c);
      assert.equal((await client.send(c.row, get(vendor.origin, '/me'), CALL)).status, 200);
      assert.equal(c.renewals, 1);
    });
  });

  describe('limits on time and size', () => {
    test('a vendor that does not answer in time gives TIMEOUT, recorded', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/hang', () => undefined);
      const { client, recorder } = clientFor(c, { timeoutMs: 200 });
      const problem = await problemOf(client.send(c.row, get(vendor.origin, '/hang'), CALL));
      assert.equal(problem.code, 'TIMEOUT');
      assert.equal(problem.status, 504);
      assert.equal(recorder.records[0]!.errorCode, 'TIMEOUT');
      assert.equal(recorder.records[0]!.status, null);
    });

    test('JSON over the limit gives RESPONSE_TOO_LARGE: by Content-Length, while streaming, and after gzip', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      const big = JSON.stringify({ data: 'x'.repeat(5000) });
      vendor.on('/declared', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) });
        res.end(big);
      });
      let cutShort = false;
      vendor.on('/endless', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`{"data":"${'y'.repeat(4000)}`);
        // Never ends by itself: only the client hanging up closes it.
        res.on('close', () => (cutShort = !res.writableEnded));
      });
      vendor.on('/bomb', (_req, res) => {
        const zipped = gzipSync(Buffer.from(JSON.stringify({ z: '0'.repeat(200_000) })));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
        res.end(zipped);
      });
      const { client } = clientFor(c, { maxJsonBytes: 1000 });
      for (const path of ['/declared', '/endless', '/bomb']) {
        const problem = await problemOf(client.send(c.row, get(vendor.origin, path), CALL));
        assert.equal(problem.code, 'RESPONSE_TOO_LARGE', path);
        assert.equal(problem.extensions.limitBytes, 1000);
      }
      await new Promise((r) => setImmediate(r));
      assert.equal(cutShort, true, 'reading stopped before the vendor finished');
    });

    test('gzip bodies under the limit are decoded and the encoding headers removed', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/zipped', (req, res) => {
        assert.match(String(req.headers['accept-encoding']), /gzip/);
        const zipped = gzipSync(Buffer.from(JSON.stringify({ hello: 'world' })));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
        res.end(zipped);
      });
      const { client } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/zipped'), CALL);
      assert.deepEqual(res.json, { hello: 'world' });
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(res.headers['content-length'], undefined);
    });
  });

  describe('headers and bodies', () => {
    test('hop-by-hop headers, headers named in Connection and cookies are not returned', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/hop', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'keep-alive': 'timeout=5', 'x-hop-private': 'a', connection: 'keep-alive, X-Hop-Private', 'set-cookie': 'session=1', 'x-kept': 'yes', trailer: 'x-t' });
        res.end('hi');
      });
      const { client } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/hop'), CALL);
      for (const h of ['keep-alive', 'connection', 'x-hop-private', 'set-cookie', 'trailer', 'transfer-encoding']) assert.equal(res.headers[h], undefined, h);
      assert.equal(res.headers['x-kept'], 'yes');
      assert.equal(res.body.toString(), 'hi');
    });

    test('stream mode hands the body over unread and records the call when it ends', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
      vendor.on('/file', (req, res) => {
        assert.equal(req.headers['accept-encoding'], 'identity');
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(bytes);
      });
      const { client, recorder } = clientFor(c, { maxBodyBytes: 100 });
      const res = await client.send(c.row, get(vendor.origin, '/file'), { ...CALL, stream: true });
      const chunks: Buffer[] = [];
      for await (const chunk of res.stream!) chunks.push(chunk as Buffer);
      assert.deepEqual(Buffer.concat(chunks), bytes, 'streamed bodies are not limited');
      await new Promise((r) => setImmediate(r));
      assert.equal(recorder.records[0]!.responseBytes, 3000);
    });
  });

  describe('redirects', () => {
    const other = new ScriptedVendor();
    before(() => other.start());
    after(() => other.close());
    beforeEach(() => other.reset());

    test('a same-origin redirect keeps the credentials; a cross-origin one drops them', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin, auth: 'api-key-query' });
      vendor.on('/moved', (_req, res) => {
        res.writeHead(302, { location: '/here' });
        res.end();
      });
      vendor.on('/here', (_req, res) => json(res, 200, { home: true }));
      vendor.on('/away', (req, res) => {
        // A vendor that echoes the key into the Location must not leak it either.
        res.writeHead(302, { location: `${other.origin}/download?api_key=${req.query.get('api_key')}&sig=1` });
        res.end();
      });
      other.on('/download', (_req, res) => json(res, 200, { cdn: true }));
      const { client } = clientFor(c);
      assert.deepEqual((await client.send(c.row, get(vendor.origin, '/moved'), CALL)).json, { home: true });
      assert.equal(vendor.received[1]!.query.get('api_key'), c.apiKey);
      const res = await client.send(c.row, get(vendor.origin, '/away'), CALL);
      assert.deepEqual(res.json, { cdn: true });
      assert.equal(res.url?.origin, other.origin);
      const got = other.received[0]!;
      assert.equal(got.query.get('api_key'), null);
      assert.equal(got.query.get('sig'), '1');
      assert.ok(!JSON.stringify(got.headers).includes(c.apiKey));
    });

    test('a write redirected to another origin is not replayed there: the redirect is returned', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/upload', (_req, res) => {
        res.writeHead(307, { location: `${other.origin}/upload` });
        res.end();
      });
      const { client } = clientFor(c);
      const res = await client.send(c.row, { method: 'POST', url: new URL('/upload', vendor.origin), headers: { 'content-type': 'text/plain' }, body: 'data' }, CALL);
      assert.equal(res.status, 307);
      assert.equal(other.received.length, 0);
    });

    test('coming back to the base origin after leaving it does not bring the credentials back', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/start', (_req, res) => {
        res.writeHead(302, { location: `${other.origin}/bounce` });
        res.end();
      });
      other.on('/bounce', (_req, res) => {
        res.writeHead(302, { location: `${vendor.origin}/steal` });
        res.end();
      });
      vendor.on('/steal', (req, res) => json(res, 200, { key: req.headers['x-api-key'] ?? null }));
      const { client } = clientFor(c);
      const res = await client.send(c.row, get(vendor.origin, '/start'), CALL);
      assert.deepEqual(res.json, { key: null });
    });

    test('more than 5 redirects is TOO_MANY_REDIRECTS', async () => {
      const c = new FakeConnection({ baseUrl: vendor.origin });
      vendor.on('/loop', (_req, res, n) => {
        res.writeHead(302, { location: `/loop?n=${n}` });
        res.end();
      });
      const { client } = clientFor(c);
      const problem = await problemOf(client.send(c.row, get(vendor.origin, '/loop'), CALL));
      assert.equal(problem.code, 'TOO_MANY_REDIRECTS');
      assert.equal(vendor.count('/loop'), 6);
    });
  });
});

describe('vendor errors as problems', () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({
    status,
    headers,
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

  test('status decides the code', () => {
    assert.deepEqual([400, 401, 403, 404, 409, 422, 429, 500, 502, 418].map(vendorErrorCode), [
      'VENDOR_BAD_REQUEST', 'VENDOR_UNAUTHORIZED', 'VENDOR_FORBIDDEN', 'VENDOR_NOT_FOUND', 'VENDOR_CONFLICT', 'VENDOR_BAD_REQUEST', 'VENDOR_RATE_LIMITED', 'VENDOR_ERROR', 'VENDOR_ERROR', 'VENDOR_ERROR',
    ]);
  });

  test("Graph's error body: code and message kept, with the request id", () => {
    const p = problemFromVendorResponse(
      res(404, { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.', innerError: { 'request-id': 'r1' } } }, { 'content-type': 'application/json', 'request-id': 'r1' }),
      'Microsoft 365',
    );
    assert.equal(p.code, 'VENDOR_NOT_FOUND');
    assert.equal(p.status, 404);
    assert.equal(p.extensions.vendorStatus, 404);
    assert.equal(p.extensions.vendorCode, 'ErrorItemNotFound');
    assert.equal(p.extensions.vendorMessage, 'The specified object was not found in the store.');
    assert.equal(p.extensions.vendorRequestId, 'r1');
    assert.equal(p.message, 'Microsoft 365 answered 404 (ErrorItemNotFound): The specified object was not found in the store.');
  });

  test('a 5xx is VENDOR_ERROR with the status kept', () => {
    const p = problemFromVendorResponse(res(503, { message: 'Service Unavailable' }));
    assert.equal(p.code, 'VENDOR_ERROR');
    assert.equal(p.status, 502);
    assert.equal(p.extensions.vendorStatus, 503);
    assert.equal(p.extensions.vendorMessage, 'Service Unavailable');
  });

  test('common error shapes', () => {
    assert.deepEqual(readVendorError({ error: 'invalid_token', error_description: 'Token expired' }), { code: 'invalid_token', message: 'Token expired' });
    assert.deepEqual(readVendorError({ message: 'Bad credentials', documentation_url: 'x' }), { message: 'Bad credentials' });
    assert.deepEqual(readVendorError([{ errorCode: 'INVALID_FIELD', message: 'No such column' }]), { code: 'INVALID_FIELD', message: 'No such column' });
    assert.deepEqual(readVendorError({ errorMessages: ['Issue does not exist'], errors: {} }), { message: 'Issue does not exist' });
    assert.deepEqual(readVendorError({ errors: [{ message: 'Field x is required', extensions: { code: 'BAD_USER_INPUT' } }] }), { code: 'BAD_USER_INPUT', message: 'Field x is required' });
    assert.deepEqual(readVendorError({ type: 'about:blank', title: 'Not Found', detail: 'No user 7' }), { message: 'No user 7' });
    assert.deepEqual(readVendorError({ error: { message: 'No such customer', type: 'invalid_request_error', code: 'resource_missing' } }), { code: 'resource_missing', message: 'No such customer' });
    assert.deepEqual(readVendorError(undefined, 'Gateway timeout\nmore'), { message: 'Gateway timeout' });
    assert.deepEqual(readVendorError(undefined, '<html><body>502</body></html>'), {});
  });

  test('Retry-After and reset parsing', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('5', now), 5000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseResetValue('12', now), 12_000);
    assert.equal(parseResetValue(String(now / 1000 + 60), now), 60_000);
    assert.equal(parseResetValue(String(now + 1500), now), 1500);
  });
});

describe('address policy', () => {
  test('addresses are classified by the IANA special-purpose ranges, IPv4 inside IPv6 included', () => {
    const cases: Record<string, string> = {
      '8.8.8.8': 'public', '1.1.1.1': 'public', '172.32.0.1': 'public', '2606:4700::1111': 'public',
      '127.0.0.1': 'loopback', '127.9.9.9': 'loopback', '::1': 'loopback', '[::1]': 'loopback', '::ffff:127.0.0.1': 'loopback', '::ffff:7f00:1': 'loopback', '2002:7f00:1::': 'loopback',
      '10.0.0.1': 'private', '172.16.0.1': 'private', '172.31.255.255': 'private', '192.168.1.1': 'private', '100.64.0.1': 'private', 'fd12::1': 'private',
      '169.254.169.254': 'link-local', 'fe80::1': 'link-local', '64:ff9b::a9fe:a9fe': 'link-local', '::ffff:169.254.169.254': 'link-local',
      '0.0.0.0': 'reserved', '::': 'reserved', '224.0.0.1': 'reserved', '255.255.255.255': 'reserved', '192.0.2.1': 'reserved', '2001:db8::1': 'reserved',
    };
    for (const [address, category] of Object.entries(cases)) assert.equal(classifyAddress(address), category, address);
    assert.equal(classifyAddress('example.com'), undefined);
    assert.equal(literalCategory('localhost'), 'loopback');
    assert.equal(literalCategory('api.localhost.'), 'loopback');
  });

  test('a base URL is internal only when written as an internal address or listed by the operator', () => {
    const listed = new PrivateHosts(['jira.corp.example', '*.intranet.example']);
    assert.equal(isInternalBase(new URL('http://127.0.0.1:8080'), listed), true);
    assert.equal(isInternalBase(new URL('http://10.1.2.3/api'), listed), true);
    assert.equal(isInternalBase(new URL('http://localhost:3000'), listed), true);
    assert.equal(isInternalBase(new URL('https://jira.corp.example'), listed), true);
    assert.equal(isInternalBase(new URL('https://wiki.intranet.example'), listed), true);
    assert.equal(isInternalBase(new URL('https://api.example.com'), listed), false);
    assert.equal(isInternalBase(new URL('http://169.254.169.254'), listed), false, 'metadata is never a vendor');
    assert.equal(isAllowedCategory('link-local', true), false);
    assert.equal(isAllowedCategory('loopback', false), false);
    assert.equal(isAllowedCategory('private', true), true);
  });
});
