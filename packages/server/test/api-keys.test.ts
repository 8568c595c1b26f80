import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORE_KINDS } from './support/stores.ts';
import { type TestService, startTestService } from './support/service.ts';

for (const kind of STORE_KINDS) {
  describe(`API keys (${kind} store)`, () => {
    let s: TestService;
    let userId: string;
    before(async () => {
      s = await startTestService(kind);
      userId = (await s.api('POST', '/api/v1/users', { body: { email: 'keys@example.com' } })).json().id;
    });
    after(() => s.close());

    test('lifecycle: shown once, stored hashed, last-used time, revocation', async () => {
      const created = await s.api('POST', `/api/v1/users/${userId}/api-keys`, { body: { name: 'ci pipeline' } });
      assert.equal(created.statusCode, 201);
      const { key, id, prefix, lastUsedAt } = created.json();
      assert.match(key, /^sb_[A-Za-z0-9_-]{43}$/);
      assert.equal(prefix, key.slice(0, 10));
      assert.equal(lastUsedAt, null);

      // The store holds a hash, never the key.
      const rows = await s.store.db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [id]);
      assert.ok(!JSON.stringify(rows).includes(key));

      const me = await s.api('GET', '/api/v1/users/me', { key });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().id, userId);

      // Listing never shows the key again.
      let listed = await s.api('GET', `/api/v1/users/${userId}/api-keys`, { key });
      assert.equal(listed.statusCode, 200);
      assert.ok(!listed.body.includes(key));
      assert.equal(listed.json().items[0].name, 'ci pipeline');
      for (let i = 0; i < 50 && listed.json().items[0].lastUsedAt === null; i++) {
        await new Promise((r) => setTimeout(r, 20));
        listed = await s.api('GET', `/api/v1/users/${userId}/api-keys`);
      }
      assert.notEqual(listed.json().items[0].lastUsedAt, null, 'last-used time is recorded');

      const revoked = await s.api('DELETE', `/api/v1/users/${userId}/api-keys/${id}`, { key });
      assert.equal(revoked.statusCode, 200);
      assert.notEqual(revoked.json().revokedAt, null);
      const after = await s.api('GET', '/api/v1/users/me', { key });
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().code, 'UNAUTHENTICATED');
      assert.equal(after.headers['content-type'], 'application/problem+json; charset=utf-8');
    });

    test('expired keys stop working and past expiry dates are refused', async () => {
      const past = await s.api('POST', `/api/v1/users/${userId}/api-keys`, { body: { name: 'old', expiresAt: '2000-01-01T00:00:00Z' } });
      assert.equal(past.statusCode, 400);
      assert.equal(past.json().errors[0].path, '/body/expiresAt');
      const soon = await s.api('POST', `/api/v1/users/${userId}/api-keys`, { body: { name: 'soon', expiresAt: new Date(Date.now() + 60_000).toISOString() } });
      assert.equal(soon.statusCode, 201);
      assert.equal((await s.api('GET', '/api/v1/users/me', { key: soon.json().key })).statusCode, 200);
      await s.store.db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [soon.json().id]);
      assert.equal((await s.api('GET', '/api/v1/users/me', { key: soon.json().key })).statusCode, 401);
    });

    test('a user manages only their own keys; a tenant administrator manages anyone\'s', async () => {
      const other = (await s.api('POST', '/api/v1/users', { body: { email: 'other@example.com' } })).json().id;
      const mine = (await s.api('POST', `/api/v1/users/${userId}/api-keys`, { body: { name: 'mine' } })).json();
      const theirs = (await s.api('POST', `/api/v1/users/${other}/api-keys`, { body: { name: 'theirs' } })).json();
      assert.equal((await s.api('GET', `/api/v1/users/${other}/api-keys`, { key: mine.key })).statusCode, 404);
      assert.equal((await s.api('POST', `/api/v1/users/${other}/api-keys`, { key: mine.key, body: { name: 'x' } })).statusCode, 404);
      assert.equal((await s.api('DELETE', `/api/v1/users/${other}/api-keys/${theirs.id}`, { key: mine.key })).statusCode, 404);
      assert.equal((await s.api('DELETE', `/api/v1/users/${userId}/api-keys/${theirs.id}`, { key: mine.key })).statusCode, 404, 'a key id under the wrong user is not found');
      assert.equal((await s.api('GET', '/api/v1/users/me', { key: theirs.key })).statusCode, 200);
    });

    test('malformed and unknown credentials are refused alike', async () => {
      for (const authorization of ['', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer sb_unknown', `Bearer ${'x'.repeat(600)}`]) {
        const res = await s.api('GET', '/api/v1/folders', { key: null, headers: authorization ? { authorization } : {} });
        assert.equal(res.statusCode, 401, authorization);
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="switchboard"');
      }
    });
  });
}
