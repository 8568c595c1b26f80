import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  builtInConnectorsDir,
  type ClientCertificateAuth,
  type ConnectorDefinition,
  kebabCase,
  loadBuiltInConnectors,
  type OAuth2ByoaAuth,
  type OAuth2ClientCredentialsAuth,
  validateConnector,
} from '../src/index.ts';
import { crm, helpdesk, legacy, minimal } from './fixtures.ts';

const builtIns = loadBuiltInConnectors();
const byKey = (key: string) => builtIns.find((d) => d.key === key) as ConnectorDefinition;

describe('built-in connectors', () => {
  it('loads every file in connectors/', () => {
    const files = readdirSync(builtInConnectorsDir).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(builtIns.map((d) => `${d.key}.json`), files);
    assert.deepEqual(files, ['http-webhook.json', 'http.json', 'microsoft-365.json']);
  });

  for (const def of builtIns) {
    it(`${def.key} validates and its key is the kebab-case of its display name`, () => {
      const result = validateConnector(JSON.parse(readFileSync(new URL(`${def.key}.json`, builtInConnectorsDir), 'utf8')));
      assert.deepEqual(result.errors, []);
      assert.equal(def.key, kebabCase(def.displayName));
    });
  }
});

describe('hand-made fixtures (types and schema in sync)', () => {
  for (const def of [minimal(), helpdesk, crm, legacy]) {
    it(`${def.key} validates`, () => assert.deepEqual(validateConnector(def).errors, []));
  }
  it('cover every auth type between them and the built-ins', () => {
    const types = new Set([...builtIns, helpdesk, crm, legacy].flatMap((d) => d.auth.map((a) => a.type)));
    assert.equal(types.size, 11);
  });
});

describe('microsoft-365', () => {
  const m365 = byKey('microsoft-365');
  const auth = <T>(type: string) => m365.auth.find((a) => a.type === type) as T;
  const byoa = auth<OAuth2ByoaAuth>('oauth2-byoa');
  const cc = auth<OAuth2ClientCredentialsAuth>('oauth2-client-credentials');
  const cert = auth<ClientCertificateAuth>('client-certificate');
  const field = (a: { fields?: ConnectorDefinition['fields'] }, key: string) => {
    const found = a.fields?.find((f) => f.key === key);
    assert.ok(found, key);
    return found;
  };

  it('is the GA Microsoft connector', () => {
    assert.equal(m365.displayName, 'Microsoft 365');
    assert.equal(m365.vendor, 'Microsoft');
    assert.equal(m365.lifecycle, 'ga');
  });

  it('maps each environment to its real login authority and Graph root', () => {
    assert.equal(m365.environments?.field, 'environment');
    assert.equal(m365.environments?.default, 'office365');
    const table = Object.fromEntries(m365.environments?.options.map((o) => [o.key, [o.label, o.values.login, o.values.graph]]) ?? []);
    assert.deepEqual(table, {
      office365: ['Office 365', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
      'usgov-l4': ['US Government L4', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
      'usgov-l5': ['US Government L5', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
      china: ['China', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
    });
    assert.equal(m365.baseUrl, '{environment.graph}/v1.0');
  });

  it('offers BYOA (default), client credentials and client certificate', () => {
    assert.deepEqual(m365.auth.map((a) => [a.type, a.label, a.default === true]), [
      ['oauth2-byoa', 'Bring your own OAuth 2.0 app', true],
      ['oauth2-client-credentials', 'OAuth 2.0 Client credentials', false],
      ['client-certificate', 'Client Certificate Authentication', false],
    ]);
  });

  it('BYOA uses the v2.0 endpoints with PKCE and no revocation URL', () => {
    assert.equal(byoa.oauth2.authorizationUrl, '{environment.login}/{tenantId}/oauth2/v2.0/authorize');
    assert.equal(byoa.oauth2.tokenUrl, '{environment.login}/{tenantId}/oauth2/v2.0/token');
    assert.equal(byoa.oauth2.pkce, true);
    assert.equal(byoa.oauth2.revocationUrl, undefined);
    assert.deepEqual(byoa.oauth2.expiredTokenStatus, [401]);
    assert.equal(byoa.oauth2.scopes?.separator ?? ' ', ' ');
  });

  it('BYOA preselects the documented default scopes in order, locking offline_access and User.Read', () => {
    const scopes = byoa.oauth2.scopes;
    assert.deepEqual(scopes?.default, [
      'Mail.Read', 'Mail.Read.Shared', 'Mail.ReadWrite', 'Mail.ReadWrite.Shared', 'Mail.Send', 'Mail.Send.Shared',
      'MailboxSettings.ReadWrite', 'Calendars.Read', 'Calendars.Read.Shared', 'Calendars.ReadWrite',
      'Calendars.ReadWrite.Shared', 'profile', 'openid', 'email', 'offline_access', 'User.Read',
    ]);
    assert.deepEqual(scopes?.required, ['offline_access', 'User.Read']);
    assert.equal(scopes?.field, 'scopes');
    const available = scopes?.available?.map((s) => s.value) ?? [];
    for (const extra of ['Files.Read', 'Files.ReadWrite', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All', 'Mail.ReadBasic', 'User.ReadBasic.All']) {
      assert.ok(available.includes(extra), extra);
    }
  });

  it('BYOA tenant accepts common/organizations/consumers, GUIDs and domains, with a clear message', () => {
    const tenant = field(byoa, 'tenantId');
    assert.equal(tenant.default, 'common');
    const re = new RegExp(tenant.pattern ?? '', 'u');
    for (const ok of ['common', 'organizations', 'consumers', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'contoso.onmicrosoft.com', 'contoso.com']) assert.ok(re.test(ok), ok);
    for (const bad of ['', 'contoso', 'https://login.microsoftonline.com/contoso', '72f988bf-86f1-41af-91ab', 'con toso.com']) assert.ok(!re.test(bad), bad);
    assert.match(tenant.patternMessage ?? '', /common, organizations or consumers/);
    assert.match(field(byoa, 'clientId').pattern ?? '', /0-9a-fA-F\]\{8\}/);
    assert.equal(field(byoa, 'clientSecret').type, 'secret');
  });

  it('app-only auth types refuse common tenants and act on one mailbox', () => {
    for (const a of [cc, cert]) {
      const re = new RegExp(field(a, 'tenantId').pattern ?? '', 'u');
      for (const bad of ['common', 'organizations', 'consumers']) assert.ok(!re.test(bad), bad);
      assert.ok(re.test('contoso.onmicrosoft.com'));
      assert.match(field(a, 'tenantId').patternMessage ?? '', /common, organizations and consumers are not accepted/);
      assert.equal(field(a, 'mailbox').required, true);
      assert.deepEqual(a.identity, { fromTokenClaims: ['app_displayname', 'appid'], token: 'access_token', idClaim: 'appid' });
      assert.deepEqual(a.variables, { userPath: '/users/{mailbox}' });
      assert.deepEqual(a.oauth2.scopes?.default, ['{environment.graph}/.default']);
    }
    assert.deepEqual(byoa.variables, { userPath: '/me' });
  });

  it('client certificate takes a secret PEM key and a SHA-1 or SHA-256 thumbprint', () => {
    const key = field(cert, 'privateKey');
    assert.equal(key.type, 'text');
    assert.equal(key.secret, true);
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQ==\n-----END PRIVATE KEY-----\n';
    assert.ok(new RegExp(key.pattern ?? '', 'u').test(pem));
    assert.ok(!new RegExp(key.pattern ?? '', 'u').test('-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----'));
    const thumb = new RegExp(field(cert, 'certificateThumbprint').pattern ?? '', 'u');
    assert.ok(thumb.test('84E05C1D98BCE3A5421D225B140B36E86A3D5534'));
    assert.ok(thumb.test('a'.repeat(64)));
    assert.ok(!thumb.test('84:E0:5C'));
  });

  it('reads the account from /me, offers HTTP Request, throttles to four concurrent requests and follows @odata.nextLink', () => {
    assert.deepEqual(m365.identity, { request: { method: 'GET', path: '/me' }, account: ['/mail', '/userPrincipalName'], id: '/id', displayName: '/displayName' });
    assert.equal(m365.http.offered, true);
    assert.equal(m365.http.rateLimit?.concurrency, 4);
    assert.deepEqual(m365.pagination, { style: 'link', source: 'body', urlPath: '/@odata.nextLink', recordsPath: '/value', maxPages: 100 });
  });
});

describe('http and http-webhook', () => {
  it('HTTP offers every generic auth type against a user-given base URL', () => {
    const http = byKey('http');
    assert.equal(http.baseUrl, '{baseUrl}');
    assert.deepEqual(http.auth.map((a) => a.type), ['none', 'api-key', 'basic', 'personal-access-token', 'oauth2-client-credentials', 'oauth2-byoa', 'client-certificate', 'jwt-bearer']);
    assert.deepEqual(http.categories, ['Generic', 'Developer Tools']);
    assert.equal(http.http.offered, true);
  });

  it('HTTP Webhook is a preview connector with one webhook trigger and no HTTP Request', () => {
    const hook = byKey('http-webhook');
    assert.equal(hook.lifecycle, 'preview');
    assert.equal(hook.http.offered, false);
    assert.deepEqual(hook.auth.map((a) => a.type), ['none']);
    const [trigger] = hook.triggers;
    assert.equal(trigger?.displayName, 'Webhook Received');
    assert.equal(trigger?.event, 'custom');
    assert.equal(trigger?.mode, 'webhook');
    assert.ok(trigger?.mode === 'webhook' && trigger.webhook.signature?.secret.field === 'signatureSecret');
  });
});

it('Microsoft 365 qualifies Graph scopes with the cloud\'s Graph root and leaves OpenID scopes alone', async () => {
  const { qualifiedScopes, loadBuiltInConnectors, connectionScope, render } = await import('../src/index.ts');
  const m365 = loadBuiltInConnectors().find((c) => c.key === 'microsoft-365')!;
  const auth = m365.auth.find((a) => a.type === 'oauth2-byoa')!;
  const values = { environment: 'usgov-l5', tenantId: 'common', scopes: ['Mail.Send', 'openid'] };
  const scope = connectionScope(m365, auth, values);
  const scopes = qualifiedScopes(auth, values, (t) => render(scope, t, { encode: false }));
  assert.deepEqual(scopes, ['https://dod-graph.microsoft.us/Mail.Send', 'openid', 'offline_access', 'https://dod-graph.microsoft.us/User.Read']);
});
