import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  connectionFields,
  connectionScope,
  type ConnectorDefinition,
  credentialFields,
  defaultAuthType,
  findAuthType,
  loadBuiltInConnectors,
  type OAuth2ByoaAuth,
  operationScope,
  render,
  requestedScopes,
  resolveConnectionValues,
} from '../src/index.ts';

const builtIns = loadBuiltInConnectors();
const get = (key: string) => builtIns.find((d) => d.key === key) as ConnectorDefinition;
const m365 = get('microsoft-365');
const byoa = findAuthType(m365, 'oauth2-byoa') as OAuth2ByoaAuth;
const clientId = '00001111-aaaa-2222-bbbb-3333cccc4444';

describe('connection form', () => {
  it('derives the environment and scope options from the definition', () => {
    const fields = connectionFields(m365, byoa);
    assert.deepEqual(fields.map((f) => f.key), ['environment', 'clientId', 'clientSecret', 'tenantId', 'scopes']);
    const env = fields[0];
    assert.deepEqual(env?.options?.map((o) => o.value), ['office365', 'usgov-l4', 'usgov-l5', 'china']);
    assert.equal(env?.default, 'office365');
    const scopes = fields[4];
    assert.deepEqual(scopes?.locked, ['offline_access', 'User.Read']);
    assert.equal((scopes?.default as string[]).length, 16);
    assert.ok(scopes?.options?.some((o) => o.value === 'Files.ReadWrite.All'));
  });

  it('applies defaults and locked scopes, and keeps the user choice', () => {
    const { values, problems } = resolveConnectionValues(m365, byoa, { clientId, clientSecret: 's3cret', scopes: ['Mail.Read'] });
    assert.deepEqual(problems, []);
    assert.deepEqual(values, { environment: 'office365', clientId, clientSecret: 's3cret', tenantId: 'common', scopes: ['Mail.Read', 'offline_access', 'User.Read'] });
    assert.deepEqual(requestedScopes(byoa, values), ['Mail.Read', 'offline_access', 'User.Read']);
    assert.equal(defaultAuthType(m365), byoa);
  });

  it('explains every bad value with the field pattern message', () => {
    const { values, problems } = resolveConnectionValues(m365, byoa, { clientId: 'not-a-guid', tenantId: 'contoso', environment: 'mars', scopes: ['Mail.Nuke'], extra: 1 });
    assert.deepEqual(values, {});
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    assert.match(byField.clientId ?? '', /Application \(client\) ID/);
    assert.match(byField.tenantId ?? '', /common, organizations or consumers/);
    assert.match(byField.environment ?? '', /must be one of office365, usgov-l4/);
    assert.match(byField.scopes ?? '', /Mail.Nuke is not an option/);
    assert.equal(byField.clientSecret, 'Client secret is required');
    assert.equal(byField.extra, 'unknown field "extra"');
  });

  it('skips hidden fields and their requirements', () => {
    const hook = get('http-webhook');
    const auth = defaultAuthType(hook);
    const plain = resolveConnectionValues(hook, auth, { sourceName: 'Billing' });
    assert.deepEqual(plain.problems, []);
    assert.deepEqual(plain.values, { sourceName: 'Billing', challengeMode: 'none' });
    const signed = resolveConnectionValues(hook, auth, { sourceName: 'Billing', signatureSecret: 'k', challengeMode: 'query-echo', challengeParam: 'validationToken' });
    assert.deepEqual(signed.values, {
      sourceName: 'Billing',
      challengeMode: 'query-echo',
      challengeParam: 'validationToken',
      signatureSecret: 'k',
      signatureAlgorithm: 'hmac-sha256',
      signatureHeader: 'X-Signature',
      signatureEncoding: 'hex',
    });
  });
});

describe('template scopes', () => {
  it('renders Microsoft URLs and scopes for every national cloud', () => {
    const cases: Array<[string, string, string]> = [
      ['office365', 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', 'https://graph.microsoft.com/v1.0'],
      ['usgov-l4', 'https://login.microsoftonline.us/common/oauth2/v2.0/authorize', 'https://graph.microsoft.us/v1.0'],
      ['usgov-l5', 'https://login.microsoftonline.us/common/oauth2/v2.0/authorize', 'https://dod-graph.microsoft.us/v1.0'],
      ['china', 'https://login.chinacloudapi.cn/common/oauth2/v2.0/authorize', 'https://microsoftgraph.chinacloudapi.cn/v1.0'],
    ];
    for (const [environment, authorize, base] of cases) {
      const { values } = resolveConnectionValues(m365, byoa, { environment, clientId, clientSecret: 's' });
      const scope = connectionScope(m365, byoa, values);
      assert.equal(render(scope, byoa.oauth2.authorizationUrl, { encode: true }), authorize);
      assert.equal(render(scope, m365.baseUrl ?? '', { encode: true }), base);
    }
  });

  it('renders app-only scopes and user paths with the mailbox encoded', () => {
    const cc = findAuthType(m365, 'oauth2-client-credentials');
    assert.ok(cc);
    const { values, problems } = resolveConnectionValues(m365, cc, { environment: 'usgov-l5', clientId, clientSecret: 's', tenantId: 'contoso.onmicrosoft.us', mailbox: 'orders@contoso.us' });
    assert.deepEqual(problems, []);
    const scope = connectionScope(m365, cc, values);
    assert.deepEqual(requestedScopes(cc, values).map((s) => render(scope, s, { encode: false })), ['https://dod-graph.microsoft.us/.default']);
    assert.equal(render(scope, '{environment.login}/{tenantId}/oauth2/v2.0/token', { encode: true }), 'https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/token');
    const activity = m365.activities.find((a) => a.key === 'get-email-by-id');
    assert.ok(activity);
    const op = operationScope(scope, { messageId: 'AAMk/x=' });
    assert.equal(render(op, activity.request.path, { encode: true }), '/users/orders%40contoso.us/messages/AAMk%2Fx%3D');
    assert.equal(render(scope, 'identity: {mailbox}', { encode: false }), 'identity: orders@contoso.us');
  });

  it('renders the HTTP connector API key placement from its fields, an empty prefix as nothing', () => {
    const http = get('http');
    const apiKey = findAuthType(http, 'api-key');
    assert.ok(apiKey?.type === 'api-key');
    assert.deepEqual(credentialFields(apiKey), [{ key: 'apiKey', secret: true, required: true }]);
    const { values } = resolveConnectionValues(http, apiKey, { baseUrl: 'https://api.example.com/v1', placement: 'query', keyName: 'api_key', apiKey: 'k' });
    const scope = connectionScope(http, apiKey, values);
    assert.equal(render(scope, apiKey.inject.in, { encode: false }), 'query');
    assert.equal(render(scope, apiKey.inject.name, { encode: false }), 'api_key');
    assert.equal(render(scope, apiKey.inject.prefix ?? '', { encode: false }), '');
    assert.equal(render(scope, http.baseUrl ?? '', { encode: true }), 'https://api.example.com/v1');
    const identity = http.identity;
    assert.ok(identity && 'request' in identity);
    const withPath = connectionScope(http, apiKey, { ...values, identityPath: '/users/me' });
    assert.equal(render(withPath, identity.request.path, { encode: true }), '/users/me');
  });
});
