import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestService, startTestService } from './support/service.ts';

describe('catalog API', () => {
  let s: TestService;
  before(async () => {
    s = await startTestService('embedded');
  });
  after(() => s.close());

  test('lists connectors with search and filters, paginated', async () => {
    const all = (await s.api('GET', '/api/v1/connectors')).json();
    const keys = all.items.map((c: { key: string }) => c.key);
    assert.ok(['microsoft-365', 'http', 'http-webhook'].every((k) => keys.includes(k)));
    const m365 = all.items.find((c: { key: string }) => c.key === 'microsoft-365');
    assert.deepEqual(m365.authTypes.find((a: { default: boolean }) => a.default), { type: 'oauth2-byoa', label: 'Bring your own OAuth 2.0 app', default: true });
    assert.equal(m365.triggerCount, 10);
    assert.equal(m365.hasHttpRequest, true);
    assert.deepEqual((await s.api('GET', '/api/v1/connectors?q=microsoft')).json().items.map((c: { key: string }) => c.key), ['microsoft-365']);
    assert.deepEqual((await s.api('GET', '/api/v1/connectors?q=MICRO')).json().items.length, 1, 'case-insensitive');
    const cc = (await s.api('GET', '/api/v1/connectors?authType=oauth2-client-credentials')).json().items.map((c: { key: string }) => c.key).sort();
    assert.deepEqual(cc, ['http', 'microsoft-365']);
    const withTriggers = (await s.api('GET', '/api/v1/connectors?hasTriggers=true')).json().items.map((c: { key: string }) => c.key);
    assert.ok(withTriggers.includes('http-webhook') && withTriggers.includes('microsoft-365'));
    assert.ok(!withTriggers.includes('http'));
    const generic = (await s.api('GET', '/api/v1/connectors?category=Generic')).json().items.map((c: { key: string }) => c.key).sort();
    assert.deepEqual(generic, ['http', 'http-webhook']);
    const page = (await s.api('GET', '/api/v1/connectors?limit=1')).json();
    assert.equal(page.items.length, 1);
    const next = (await s.api('GET', `/api/v1/connectors?limit=1&cursor=${page.nextCursor}`)).json();
    assert.notEqual(next.items[0].key, page.items[0].key);
  });

  test('returns the full public definition, and 404 for an unknown key', async () => {
    const def = (await s.api('GET', '/api/v1/connectors/microsoft-365')).json();
    assert.equal(def.displayName, 'Microsoft 365');
    assert.deepEqual(def.environments.options.map((o: { key: string }) => o.key), ['office365', 'usgov-l4', 'usgov-l5', 'china']);
    assert.equal(def.environments.options.find((o: { key: string }) => o.key === 'usgov-l5').values.graph, 'https://dod-graph.microsoft.us');
    const byoa = def.auth.find((a: { type: string }) => a.type === 'oauth2-byoa');
    assert.deepEqual(byoa.fields.map((f: { key: string }) => f.key), ['clientId', 'clientSecret', 'tenantId', 'scopes']);
    assert.equal(byoa.fields.find((f: { key: string }) => f.key === 'tenantId').default, 'common');
    assert.equal(def.notes, undefined, 'internal notes are not published');
    const missing = await s.api('GET', '/api/v1/connectors/nope');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'CONNECTOR_NOT_FOUND');
  });

  test('publishes the connector JSON Schema', async () => {
    const res = await s.api('GET', '/api/v1/schemas/connector.json');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /application\/schema\+json/);
    const schema = res.json();
    assert.equal(schema.$id, 'https://switchboard.dev/schemas/connector.json');
    assert.ok(schema.properties.auth && schema.$defs.AuthType);
  });
});
