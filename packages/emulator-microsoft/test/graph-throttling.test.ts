import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { assertError, client, delegated, type Client } from './graph-helpers.ts';

let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Mail.Read', 'Files.Read', 'User.Read']));
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.origins.global}/_emulator${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('Graph throttling faults', () => {
  test('the next N requests answer 429 TooManyRequests with Retry-After and the documented body, then recover', async () => {
    emu.failGraphRequests({ count: 2, retryAfterSeconds: 10 });
    for (let i = 0; i < 2; i++) {
      const res = await adele.get('/me/messages');
      assertError(res, 429, 'TooManyRequests', 'Please retry again later.');
      assert.equal(res.headers.get('retry-after'), '10');
      const inner = res.body.error.innerError;
      assert.equal(inner.code, '429');
      assert.equal(inner.status, '429');
      assert.equal(inner.message, 'Please retry after');
      assert.ok(inner['client-request-id']);
    }
    assert.equal((await adele.get('/me/messages')).status, 200);
    assert.deepEqual(emu.faults().graphThrottling, []);
    assert.deepEqual(emu.requests({ path: '/v1.0/me/messages' }).map((e) => e.status), [429, 429, 200]);
  });

  test('503 with Retry-After; path, method and cloud filters', async () => {
    emu.failGraphRequests({ status: 503, retryAfterSeconds: 3, path: '/drive' });
    assert.equal((await adele.get('/me/messages')).status, 200, 'another path is untouched');
    const res = await adele.get('/me/drive/root');
    assertError(res, 503, 'serviceNotAvailable');
    assert.equal(res.headers.get('retry-after'), '3');
    emu.failGraphRequests({ method: 'POST' });
    assert.equal((await adele.get('/me')).status, 200);
    emu.clearFaults();
    emu.failGraphRequests({ cloud: 'usgov' });
    assert.equal((await adele.get('/me/messages')).status, 200, 'the global listener is untouched');
  });

  test('throttling comes after authentication: a bad token is still 401', async () => {
    emu.failGraphRequests({ count: 1 });
    assertError(await client(emu.origins.global, 'nonsense').get('/me'), 401, 'InvalidAuthenticationToken');
    assert.equal((await adele.get('/me')).status, 429);
  });

  test('over the admin API: POST /faults/graph-throttling, latency settings', async () => {
    assert.equal((await admin('POST', '/faults/graph-throttling', { count: 1, retryAfterSeconds: 2.5 })).status, 204);
    const res = await adele.get('/me');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2.5');
    assert.equal((await admin('POST', '/faults/graph-throttling', { status: 500 })).status, 400);
    const set = await admin('PUT', '/settings/graph-latency', [{ ms: 120, path: '/me/messages' }]);
    assert.deepEqual(set.body, [{ ms: 120, path: '/me/messages' }]);
    const t0 = performance.now();
    assert.equal((await adele.get('/me/messages')).status, 200);
    assert.ok(performance.now() - t0 >= 115, 'the latency applies');
    assert.deepEqual((await admin('GET', '/settings/graph-latency')).body, [{ ms: 120, path: '/me/messages' }]);
    assert.deepEqual((await admin('PUT', '/settings/graph-latency', [])).body, []);
  });
});
