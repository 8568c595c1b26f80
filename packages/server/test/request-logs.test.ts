import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MAX_STORED_BODY_CHARS, redactBody, redactUrl } from '../src/troubleshooting/redact.ts';
import type { VendorCallRecord } from '../src/usage/recorder.ts';
import { type TestService, startTestService } from './support/service.ts';
import { STORE_KINDS } from './support/stores.ts';

// Request logs for troubleshooting: filters, folder visibility, debug bodies (only while debug
// is on, redacted, withheld from people who cannot turn debug on), and expiry.

const DAY_MS = 86_400_000;
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

// Every value below must never be stored, logged or returned.
const SECRETS = {
  password: 'Pa55word-never-stored',
  clientSecret: 'client-secret-value-4711',
  accessToken: 'access-token-value-0815',
  refreshToken: 'refresh-token-value-1234',
  apiKey: 'api-key-value-9999',
  nested: 'nested-secret-value-42',
  queryKey: 'query-key-value-777',
  oauthCode: 'oauth-code-value-555',
  formSecret: 'form-secret-value-321',
  bearer: 'bearer-token-value-abcdef',
};

describe('redaction', () => {
  test('URLs lose user info, fragments and secret query parameters, and keep the rest', () => {
    const url = redactUrl(`https://user:${SECRETS.password}@api.example.com/v1/items/${JWT}?api_key=${SECRETS.apiKey}&code=${SECRETS.oauthCode}&access_token=${SECRETS.accessToken}&top=10#frag`);
    assert.equal(url, 'https://api.example.com/v1/items/[redacted]?api_key=[redacted]&code=[redacted]&access_token=[redacted]&top=10');
    assert.equal(redactUrl('/v1.0/me/messages?$top=5&key=abc&flag'), '/v1.0/me/messages?$top=5&key=[redacted]&flag');
  });

  test('JSON bodies lose secret keys at any depth; other values stay for troubleshooting', () => {
    const body = JSON.stringify({
      user: 'adele@contoso.com',
      password: SECRETS.password,
      credentials: { client_secret: SECRETS.clientSecret },
      items: [{ access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken, apiKey: SECRETS.apiKey, Authorization: `Bearer ${SECRETS.bearer}` }],
      deep: { a: { b: { secret: SECRETS.nested } } },
      note: `token inside text ${JWT}`,
      error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' },
    });
    const { text, truncated } = redactBody(body);
    assert.equal(truncated, false);
    for (const secret of [...Object.values(SECRETS), JWT]) assert.ok(!text.includes(secret), secret);
    const parsed = JSON.parse(text);
    assert.equal(parsed.user, 'adele@contoso.com');
    assert.equal(parsed.password, '[redacted]');
    assert.equal(parsed.credentials, '[redacted]', 'a whole "credentials" object is a secret');
    assert.equal(parsed.items[0].apiKey, '[redacted]');
    assert.equal(parsed.deep.a.b.secret, '[redacted]');
    assert.equal(parsed.error.code, 'InvalidAuthenticationToken', 'vendor error codes survive');
  });

  test('form bodies, cut JSON and plain text are redacted too', () => {
    const form = redactBody(`grant_type=client_credentials&client_id=app&client_secret=${SECRETS.formSecret}&scope=a+b`).text;
    assert.equal(form, 'grant_type=client_credentials&client_id=app&client_secret=[redacted]&scope=a+b');
    const cut = redactBody(`{"name": "x", "password": "${SECRETS.password}", "token": 12345, "more": "`).text;
    assert.ok(!cut.includes(SECRETS.password) && !cut.includes('12345'), cut);
    const plain = redactBody(`error: invalid apiKey=${SECRETS.apiKey}; sent Authorization: Bearer ${SECRETS.bearer}`).text;
    assert.ok(!plain.includes(SECRETS.apiKey) && !plain.includes(SECRETS.bearer), plain);
  });

  test('bodies are capped, and NUL characters cannot break the store', () => {
    const big = redactBody('x'.repeat(MAX_STORED_BODY_CHARS + 10));
    assert.equal(big.truncated, true);
    assert.equal(big.text.length, MAX_STORED_BODY_CHARS);
    assert.ok(!redactBody('a\u0000b').text.includes('\u0000'));
  });
});

for (const kind of STORE_KINDS) {
  describe(`request logs (${kind} store)`, () => {
    let s: TestService;
    let tenantId: string;
    const ids: Record<string, string> = {};
    const keys: Record<string, string> = {};
    /** Every response body the API gave, for the secret scan. */
    const answers: string[] = [];

    async function api(...args: Parameters<TestService['api']>) {
      const res = await s.api(...args);
      answers.push(res.body);
      return res;
    }

    async function createUser(name: string): Promise<void> {
      const u = await api('POST', '/api/v1/users', { body: { email: `${name}@example.com`, displayName: name } });
      assert.equal(u.statusCode, 201, u.body);
      ids[name] = u.json().id;
      keys[name] = (await api('POST', `/api/v1/users/${ids[name]}/api-keys`, { body: { name: 'test' } })).json().key;
    }

    async function createConnection(folder: string): Promise<string> {
      const res = await api('POST', '/api/v1/connections', { body: { folderId: ids[folder], connector: 'http', authType: 'none', name: `${folder} API`, fields: { baseUrl: 'https://api.example.com' } } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }

    function call(connection: 'Ops' | 'Legal', overrides: Partial<VendorCallRecord> = {}): VendorCallRecord {
      return {
        at: new Date(),
        requestId: randomUUID(),
        tenantId,
        folderId: ids[connection]!,
        connectionId: ids[`${connection}Conn`]!,
        connector: 'http',
        kind: 'http-request',
        operation: 'http-request',
        method: 'GET',
        redactedUrl: '/items',
        status: 200,
        errorCode: null,
        durationMs: 50,
        requestBytes: 0,
        responseBytes: 100,
        attempts: 1,
        billable: true,
        ...overrides,
      };
    }

    async function list(query: string, key?: string) {
      const res = await api('GET', `/api/v1/logs${query ? `?${query}` : ''}`, key ? { key } : {});
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { items: { id: string; at: string; requestId: string; status: number | null; errorCode: string | null; connectionId: string; hasBodies: boolean; url: string }[]; nextCursor: string | null };
    }

    const base = Date.now() - 60_000;

    before(async () => {
      s = await startTestService(kind);
      tenantId = s.sb.bootstrap!.tenantId;
      for (const name of ['Ops', 'Legal']) {
        const f = await api('POST', '/api/v1/folders', { body: { name } });
        ids[name] = f.json().id;
      }
      ids.OpsConn = await createConnection('Ops');
      ids.LegalConn = await createConnection('Legal');
      for (const name of ['edith', 'vince', 'oscar']) await createUser(name);
      await api('PUT', `/api/v1/folders/${ids.Ops}/members/${ids.edith}`, { body: { role: 'Editor' } });
      await api('PUT', `/api/v1/folders/${ids.Ops}/members/${ids.vince}`, { body: { role: 'Viewer' } });

      // Five calls a second apart, oldest first.
      const r = s.sb.recorder;
      r.record(call('Ops', { at: new Date(base), requestId: 'req-1', status: 200 }));
      r.record(call('Ops', { at: new Date(base + 1000), requestId: 'req-1', status: 404, method: 'DELETE' }));
      r.record(call('Ops', { at: new Date(base + 2000), requestId: 'req-2', status: 503, errorCode: 'VENDOR_UNAVAILABLE', attempts: 3 }));
      r.record(call('Legal', { at: new Date(base + 3000), requestId: 'req-3', status: 429, errorCode: 'VENDOR_RATE_LIMITED' }));
      r.record(call('Legal', { at: new Date(base + 4000), requestId: 'req-4', status: null, errorCode: 'TIMEOUT' }));
      assert.equal((await r.flush()).ok, true);
    });
    after(() => s.close());

    test('newest first, with every filter', async () => {
      const all = await list('');
      assert.deepEqual(all.items.map((i) => i.requestId), ['req-4', 'req-3', 'req-2', 'req-1', 'req-1']);
      const first = all.items[4]!;
      assert.equal(first.url, '/items');
      assert.equal(first.connectionId, ids.OpsConn);

      const ids4 = (q: string) => list(q).then((p) => p.items.map((i) => `${i.requestId}:${i.status}`));
      assert.deepEqual(await ids4(`connectionId=${ids.LegalConn}`), ['req-4:null', 'req-3:429']);
      assert.deepEqual(await ids4(`folderId=${ids.Ops}`), ['req-2:503', 'req-1:404', 'req-1:200']);
      assert.deepEqual(await ids4('connector=http&requestId=req-1'), ['req-1:404', 'req-1:200']);
      assert.deepEqual(await ids4('status=404'), ['req-1:404']);
      assert.deepEqual(await ids4('status=4xx'), ['req-3:429', 'req-1:404']);
      assert.deepEqual(await ids4('status=error'), ['req-4:null', 'req-3:429', 'req-2:503', 'req-1:404']);
      assert.deepEqual(await ids4('errorCode=TIMEOUT'), ['req-4:null']);
      assert.deepEqual(await ids4(`from=${new Date(base + 1000).toISOString()}&to=${new Date(base + 3000).toISOString()}`), ['req-2:503', 'req-1:404']);
      assert.deepEqual(await ids4('connector=microsoft-365'), []);
      assert.deepEqual(await ids4('connectionId=not-a-uuid'), []);
      for (const bad of ['status=4x', 'from=yesterday', 'cursor=nonsense', 'limit=0']) {
        assert.equal((await api('GET', `/api/v1/logs?${bad}`)).statusCode, 400, bad);
      }
    });

    test('pages follow each other without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      const all = await list('');
      assert.deepEqual(seen, all.items.map((i) => i.id));
    });

    test('people see the logs of their folders only', async () => {
      const vince = await list('', keys.vince);
      assert.deepEqual(vince.items.map((i) => i.requestId), ['req-2', 'req-1', 'req-1']);
      assert.deepEqual((await list('', keys.oscar)).items, []);
      assert.equal((await api('GET', `/api/v1/logs?folderId=${ids.Legal}`, { key: keys.vince })).statusCode, 404);
      const legal = (await list(`connectionId=${ids.LegalConn}`)).items[0]!;
      assert.equal((await api('GET', `/api/v1/logs/${legal.id}`, { key: keys.vince })).statusCode, 404, 'another folder\'s entry does not exist for you');
      assert.equal((await api('GET', `/api/v1/logs/${legal.id}`)).statusCode, 200);
      assert.equal((await api('GET', `/api/v1/logs/${randomUUID()}`)).statusCode, 404);
    });

    test('debug: bodies are kept only while it is on, redacted, and shown to those who can turn it on', async () => {
      const body = (n: number) => JSON.stringify({ n, password: SECRETS.password, nested: { client_secret: SECRETS.clientSecret } });
      const response = JSON.stringify({ access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken, value: [{ subject: 'Hello' }] });
      const r = s.sb.recorder;
      const url = `/items?api_key=${SECRETS.queryKey}&code=${SECRETS.oauthCode}&top=1`;

      // Off: the caller is told not to capture, and bodies sent anyway are dropped.
      assert.equal(r.wantsBodies(ids.OpsConn!), false);
      r.record(call('Ops', { requestId: 'dbg-off', requestBody: body(1), responseBody: response }));

      // Only Connections.Edit may turn it on; a Viewer is refused, an outsider does not see the connection.
      const viewer = await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.vince, body: { enabled: true } });
      assert.equal(viewer.statusCode, 403);
      assert.equal(viewer.json().permission, 'Connections.Edit');
      assert.equal((await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.oscar, body: { enabled: true } })).statusCode, 404);
      assert.equal((await api('GET', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.vince })).json().enabled, false);

      const on = await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: true } });
      assert.equal(on.statusCode, 200, on.body);
      assert.equal(on.json().enabled, true);
      const minutes = (Date.parse(on.json().until) - Date.now()) / 60_000;
      assert.ok(minutes > 59 && minutes <= 60, `debug lasts 60 minutes by default, got ${minutes}`);
      assert.equal(r.wantsBodies(ids.OpsConn!), true);
      assert.equal(r.wantsBodies(ids.LegalConn!), false, 'debug is per connection');

      r.record(call('Ops', { requestId: 'dbg-on', method: 'POST', redactedUrl: url, requestBody: body(2), responseBody: response }));
      r.record(call('Legal', { requestId: 'dbg-other', requestBody: body(3), responseBody: response }));
      assert.equal((await r.flush()).ok, true);

      const entry = async (requestId: string, key?: string) => {
        const item = (await list(`requestId=${requestId}`)).items[0]!;
        const res = await api('GET', `/api/v1/logs/${item.id}`, key ? { key } : {});
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };
      const off = await entry('dbg-off');
      assert.deepEqual([off.hasBodies, off.requestBody, off.responseBody], [false, null, null]);
      assert.equal((await entry('dbg-other')).hasBodies, false);

      const kept = await entry('dbg-on', keys.edith);
      assert.equal(kept.hasBodies, true);
      assert.equal(JSON.parse(kept.requestBody).n, 2);
      assert.equal(JSON.parse(kept.requestBody).password, '[redacted]');
      assert.equal(JSON.parse(kept.responseBody).value[0].subject, 'Hello');
      assert.equal(JSON.parse(kept.responseBody).access_token, '[redacted]');
      assert.equal(kept.url, '/items?api_key=[redacted]&code=[redacted]&top=1');

      const withheld = await entry('dbg-on', keys.vince);
      assert.deepEqual([withheld.hasBodies, withheld.bodiesWithheld, withheld.requestBody, withheld.responseBody], [true, true, null, null]);

      // Off again: nothing more is captured.
      const offAgain = await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: false } });
      assert.deepEqual(offAgain.json(), { connectionId: ids.OpsConn, enabled: false, until: null });
      assert.equal(r.wantsBodies(ids.OpsConn!), false);

      // The secret scan: stored rows, the service log, and every API answer.
      const stored = await s.sb.db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM request_logs t UNION ALL SELECT row_to_json(t)::text FROM request_log_bodies t
         UNION ALL SELECT row_to_json(t)::text FROM usage_events t`,
      );
      const secrets = Object.values(SECRETS);
      for (const { row } of stored) for (const secret of secrets) assert.ok(!row.includes(secret), `stored row leaks ${secret}`);
      assert.deepEqual(s.logs.leaked(secrets), []);
      for (const answer of answers) for (const secret of secrets) assert.ok(!answer.includes(secret), `an API answer leaks ${secret}`);
    });

    test('debug expires by itself', async () => {
      const on = await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: true, minutes: 5 } });
      assert.equal(on.statusCode, 200, on.body);
      assert.equal(s.sb.recorder.wantsBodies(ids.OpsConn!), true);
      // Five minutes later (moved in the store, as another instance would see it).
      await s.sb.db.query("UPDATE connection_debug SET until = now() - interval '1 second' WHERE connection_id = $1", [ids.OpsConn]);
      await s.sb.debugSessions.load();
      assert.equal(s.sb.recorder.wantsBodies(ids.OpsConn!), false);
      assert.equal((await api('GET', `/api/v1/connections/${ids.OpsConn}/debug`)).json().enabled, false);
      assert.equal((await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: true, minutes: 0 } })).statusCode, 400);
      assert.equal((await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: true, minutes: 1441 } })).statusCode, 400);
    });

    test('the sweep deletes bodies after a day and entries after the retention', async () => {
      const on = await api('PUT', `/api/v1/connections/${ids.OpsConn}/debug`, { key: keys.edith, body: { enabled: true } });
      assert.equal(on.statusCode, 200);
      const now = Date.now();
      const r = s.sb.recorder;
      r.record(call('Ops', { requestId: 'age-8d', at: new Date(now - 8 * DAY_MS), requestBody: '{}', responseBody: '{}' }));
      r.record(call('Ops', { requestId: 'age-2d', at: new Date(now - 2 * DAY_MS), requestBody: '{}', responseBody: '{}' }));
      r.record(call('Ops', { requestId: 'age-1h', at: new Date(now - 3_600_000), requestBody: '{}', responseBody: '{}' }));
      r.record(call('Ops', { requestId: 'age-500d', at: new Date(now - 500 * DAY_MS) }));
      await r.flush();
      // An expired debug switch of the other connection, for the sweep to remove.
      await s.sb.db.query("INSERT INTO connection_debug (connection_id, tenant_id, until) VALUES ($1, $2, now() - interval '1 hour')", [ids.LegalConn, tenantId]);

      const swept = await s.sb.retention.sweep();
      assert.ok(swept.logEntries >= 2, 'the 8- and 500-day-old entries');
      assert.ok(swept.logBodies >= 1, "the 2-day-old entry's bodies");
      assert.ok(swept.usageRows >= 1, 'the 500-day-old ledger row');
      assert.ok(swept.debugSessions >= 1);

      const present = async (requestId: string) => (await list(`requestId=${requestId}`)).items[0];
      assert.equal(await present('age-8d'), undefined);
      assert.equal(await present('age-500d'), undefined);
      assert.equal((await present('age-2d'))?.hasBodies, false, 'the entry stays, its bodies are gone');
      assert.equal((await present('age-1h'))?.hasBodies, true);
      const [old] = await s.sb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_events WHERE at < $1', [new Date(now - 400 * DAY_MS)]);
      assert.equal(old!.n, 0);
      const [dbg] = await s.sb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM connection_debug WHERE connection_id = $1', [ids.LegalConn]);
      assert.equal(dbg!.n, 0);
    });

    test('the troubleshooting routes are documented', async () => {
      const doc = (await api('GET', '/api/v1/openapi.json')).json();
      for (const path of ['/api/v1/logs', '/api/v1/logs/{id}', '/api/v1/connections/{id}/debug']) assert.ok(doc.paths[path], path);
    });
  });
}
