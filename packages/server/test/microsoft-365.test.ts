import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADELE, APP, CONTOSO, ENVIRONMENTS, type MicrosoftSetup, PUBLIC_URL, SINGLE_TENANT_APP, connectDelegated, startWithEmulator } from './support/microsoft.ts';

const SEED_SCOPES = [
  'Mail.Read', 'Mail.Read.Shared', 'Mail.ReadWrite', 'Mail.ReadWrite.Shared', 'Mail.Send', 'Mail.Send.Shared', 'MailboxSettings.ReadWrite',
  'Calendars.Read', 'Calendars.Read.Shared', 'Calendars.ReadWrite', 'Calendars.ReadWrite.Shared', 'profile', 'openid', 'email', 'offline_access', 'User.Read',
];

describe('Microsoft 365 connections against the identity platform emulator', () => {
  let m: MicrosoftSetup;
  before(async () => {
    m = await startWithEmulator();
  });
  after(() => m.close());

  for (const env of ENVIRONMENTS) {
    test(`delegated (bring your own app) in ${env.key}: consent, Connected, mailbox as the account, own hosts`, async () => {
      m.em.clearRequests();
      const { id, authorizationUrl, done } = await connectDelegated(m, { environment: env.key });
      const url = new URL(authorizationUrl);
      assert.equal(url.origin, m.em.origins[env.listener], 'the browser goes to this cloud\'s login host (through the host map)');
      assert.equal(url.pathname, '/common/oauth2/v2.0/authorize');
      assert.equal(url.searchParams.get('client_id'), APP.clientId);
      assert.equal(url.searchParams.get('redirect_uri'), `${PUBLIC_URL}/api/v1/oauth/callback`);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      // The seed's default scopes, offline_access and User.Read included; Graph permissions are
      // fully qualified with this cloud's Graph root (required in DoD, equivalent elsewhere).
      const oidc = ['profile', 'openid', 'email', 'offline_access'];
      assert.deepEqual(url.searchParams.get('scope')!.split(' '), SEED_SCOPES.map((s) => (oidc.includes(s) ? s : `https://${env.graph}/${s}`)));
      assert.match(url.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);

      assert.equal(done.statusCode, 200, done.body);
      const connection = done.json();
      assert.equal(connection.id, id);
      assert.equal(connection.status, 'Connected');
      assert.equal(connection.account, ADELE);
      assert.equal(connection.name, ADELE, 'the name defaults to the connection account');
      assert.equal(connection.environment, env.key);
      assert.equal(connection.authType, 'oauth2-byoa');
      assert.ok(connection.grantedScopes.length > 0);

      const tokenCalls = m.em.requests().filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
      assert.equal(tokenCalls.length, 1);
      assert.equal(tokenCalls[0]!.host, env.login);
      assert.equal(tokenCalls[0]!.grantType, 'authorization_code');
      const me = m.em.requests().filter((r) => r.path === '/v1.0/me');
      assert.equal(me.length, 1);
      assert.equal(me[0]!.host, env.graph, 'identity read from this cloud\'s Graph');
      assert.equal(me[0]!.cloud, env.graphListener);

      const check = await m.s.api('POST', `/api/v1/connections/${id}/check`);
      assert.equal(check.json().lastCheck.ok, true, check.body);
    });

    test(`application (client credentials) in ${env.key}: the tenant's app identity, {graph}/.default scope`, async () => {
      m.em.clearRequests();
      const res = await m.s.api('POST', '/api/v1/connections', {
        body: {
          folderId: m.folderId, connector: 'microsoft-365', authType: 'oauth2-client-credentials',
          fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: CONTOSO, mailbox: ADELE, environment: env.key },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const c = res.json();
      assert.equal(c.status, 'Connected');
      assert.equal(c.fields.mailbox, ADELE, 'the mailbox to act on is a connection field');
      assert.equal(c.account, 'Switchboard (multi-tenant)', "the identity is the app in the tenant, from Microsoft's token");
      assert.equal(c.accountId, APP.clientId);
      const token = m.em.requests().find((r) => r.grantType === 'client_credentials');
      assert.equal(token!.host, env.login);
      assert.equal(token!.scope, `https://${env.graph}/.default`);
    });
  }

  test('the first connection of a connector in a folder becomes its default, the next ones do not', async () => {
    const folder = (await m.s.api('POST', '/api/v1/folders', { body: { name: 'Defaults' } })).json().id;
    const first = (await connectDelegated(m, { folderId: folder })).done.json();
    const second = (await connectDelegated(m, { folderId: folder, user: 'MeganB@contoso.onmicrosoft.com' })).done.json();
    assert.equal(first.isDefault, true);
    assert.equal(second.isDefault, false);
    assert.equal(second.account, 'MeganB@contoso.onmicrosoft.com');
    const made = await m.s.api('PATCH', `/api/v1/connections/${second.id}`, { body: { isDefault: true } });
    assert.equal(made.json().isDefault, true);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${first.id}`)).json().isDefault, false);
    const defaults = await m.s.api('GET', `/api/v1/connections?folderId=${folder}&defaultsOnly=true`);
    assert.deepEqual(defaults.json().items.map((c: { id: string }) => c.id), [second.id]);
    const unset = await m.s.api('PATCH', `/api/v1/connections/${second.id}`, { body: { isDefault: false } });
    assert.equal(unset.statusCode, 400);
    // Deleting the default hands the flag to the remaining connection.
    assert.equal((await m.s.api('DELETE', `/api/v1/connections/${second.id}`)).statusCode, 200);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${first.id}`)).json().isDefault, true);
  });

  test('a user with no mailbox gets the user principal name as the account', async () => {
    const { done } = await connectDelegated(m, { user: 'LeeG@contoso.onmicrosoft.com' });
    assert.equal(done.json().account, 'LeeG@contoso.onmicrosoft.com');
  });

  test('bad input is refused with the field named, and nothing is created', async () => {
    const before = (await m.s.api('GET', `/api/v1/connections?folderId=${m.folderId}`)).json().items.length;
    const cases: Array<{ body: Record<string, unknown>; path: string }> = [
      { body: { connector: 'nope' }, path: '/body/connector' },
      { body: { connector: 'microsoft-365', authType: 'api-key' }, path: '/body/authType' },
      { body: { connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientSecret: 'x', tenantId: 'common' } }, path: '/body/fields/clientId' },
      { body: { connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientId: APP.clientId, clientSecret: 'x', tenantId: 'not a tenant!' } }, path: '/body/fields/tenantId' },
      { body: { connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientId: APP.clientId, clientSecret: 'x', environment: 'germany' } }, path: '/body/fields/environment' },
      { body: { connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientId: APP.clientId, clientSecret: 'x', colour: 'blue' } }, path: '/body/fields/colour' },
      { body: { connector: 'microsoft-365', authType: 'oauth2-client-credentials', fields: { clientId: APP.clientId, clientSecret: 'x', tenantId: 'common', mailbox: ADELE } }, path: '/body/fields/tenantId' },
    ];
    for (const c of cases) {
      const res = await m.s.api('POST', '/api/v1/connections', { body: { folderId: m.folderId, ...c.body } });
      assert.equal(res.statusCode, 400, JSON.stringify(c.body));
      assert.equal(res.json().code, 'VALIDATION_FAILED');
      assert.equal(res.json().errors[0].path, c.path, res.body);
    }
    const tenant = await m.s.api('POST', '/api/v1/connections', { body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: 'x', tenantId: 'contoso' } } });
    assert.match(tenant.json().errors[0].message, /common, organizations or consumers/);
    assert.equal((await m.s.api('GET', `/api/v1/connections?folderId=${m.folderId}`)).json().items.length, before);
  });

  test('Microsoft errors become clear problems with the AADSTS code, and nothing is created', async () => {
    const before = (await m.s.api('GET', `/api/v1/connections?folderId=${m.folderId}`)).json().items.length;
    const appOnly = (fields: Record<string, string>) =>
      m.s.api('POST', '/api/v1/connections', {
        body: { folderId: m.folderId, connector: 'microsoft-365', authType: 'oauth2-client-credentials', fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: CONTOSO, mailbox: ADELE, ...fields } },
      });
    const wrongSecret = await appOnly({ clientSecret: 'not-the-secret' });
    assert.equal(wrongSecret.statusCode, 400);
    assert.equal(wrongSecret.json().code, 'CONNECTION_AUTH_FAILED');
    assert.equal(wrongSecret.json().vendorCode, 'AADSTS7000215');
    assert.equal(wrongSecret.json().vendorError, 'invalid_client');
    assert.match(wrongSecret.json().detail, /Value \(not its Secret ID\)/);
    assert.ok(!wrongSecret.body.includes('not-the-secret'), 'the secret is not echoed');

    const unknownApp = await appOnly({ clientId: '11111111-2222-3333-4444-555555555555' });
    assert.equal(unknownApp.json().vendorCode, 'AADSTS700016');
    assert.match(unknownApp.json().detail, /No app with this Client ID/);

    const unknownTenant = await appOnly({ tenantId: 'nowhere.onmicrosoft.com' });
    assert.equal(unknownTenant.json().vendorCode, 'AADSTS90002');
    assert.match(unknownTenant.json().detail, /tenant was not found/);
    assert.equal((await m.s.api('GET', `/api/v1/connections?folderId=${m.folderId}`)).json().items.length, before);
  });

  test('a single-tenant app used with common: AADSTS50194 explained', async () => {
    const created = await m.s.api('POST', '/api/v1/connections', {
      body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: SINGLE_TENANT_APP.clientId, clientSecret: SINGLE_TENANT_APP.secret, tenantId: 'common' } },
    });
    assert.equal(created.statusCode, 202);
    // Microsoft shows this error on its own page rather than redirecting back.
    await assert.rejects(m.em.consent(created.json().authorizationUrl, { user: ADELE }), /AADSTS50194/);
    // With the tenant id it works.
    const ok = await connectDelegated(m, { clientId: SINGLE_TENANT_APP.clientId, clientSecret: SINGLE_TENANT_APP.secret, tenantId: CONTOSO });
    assert.equal(ok.done.json().status, 'Connected');
  });

  test('cancelled consent: the vendor error is shown and the connection stays Pending', async () => {
    const created = await m.s.api('POST', '/api/v1/connections', {
      body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret } },
    });
    const location = new URL(await m.em.consent(created.json().authorizationUrl, { user: ADELE, action: 'cancel' }));
    const res = await m.s.api('GET', location.pathname + location.search, { key: null });
    assert.equal(res.statusCode, 400);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /access_denied/);
    assert.match(res.body, /AADSTS65004/);
    const json = await m.s.api('GET', location.pathname + location.search, { key: null, headers: { accept: 'application/json' } });
    assert.equal(json.json().code, 'OAUTH_STATE_INVALID', 'the state was used by the first callback');
    const c = (await m.s.api('GET', `/api/v1/connections/${created.json().id}`)).json();
    assert.equal(c.status, 'Pending');
    assert.match(c.statusMessage, /declined to consent/);
  });

  test('consent-time errors such as MFA required are explained', async () => {
    m.em.injectConsentError({ error: 'interaction_required', code: 50076, message: 'Due to a configuration change made by your administrator, you must use multi-factor authentication.' });
    const created = await m.s.api('POST', '/api/v1/connections', { body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret } } });
    const location = new URL(await m.em.consent(created.json().authorizationUrl, { user: ADELE }));
    const res = await m.s.api('GET', location.pathname + location.search, { key: null, headers: { accept: 'application/json' } });
    assert.equal(res.json().code, 'VENDOR_CONSENT_ERROR');
    assert.equal(res.json().vendorCode, 'AADSTS50076');
    assert.match(res.json().detail, /multi-factor authentication/);
  });

  test('state: forged, replayed and expired callbacks are refused; nothing half-created', async () => {
    const forged = await m.s.api('GET', '/api/v1/oauth/callback?code=abc&state=forged-state-value', { key: null, headers: { accept: 'application/json' } });
    assert.equal(forged.statusCode, 400);
    assert.equal(forged.json().code, 'OAUTH_STATE_INVALID');
    const missing = await m.s.api('GET', '/api/v1/oauth/callback?code=abc', { key: null, headers: { accept: 'application/json' } });
    assert.equal(missing.json().code, 'OAUTH_STATE_INVALID');

    const { callback, done } = await connectDelegated(m);
    assert.equal(done.statusCode, 200);
    const replay = await m.s.api('GET', callback, { key: null, headers: { accept: 'application/json' } });
    assert.equal(replay.json().code, 'OAUTH_STATE_INVALID');
    assert.match(replay.json().detail, /already used/);

    const created = await m.s.api('POST', '/api/v1/connections', { body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret } } });
    const location = new URL(await m.em.consent(created.json().authorizationUrl, { user: ADELE }));
    await m.s.store.db.query("UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE connection_id = $1", [created.json().id]);
    const expired = await m.s.api('GET', location.pathname + location.search, { key: null, headers: { accept: 'application/json' } });
    assert.equal(expired.json().code, 'OAUTH_STATE_INVALID');
    assert.match(expired.json().detail, /10 minutes/);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${created.json().id}`)).json().status, 'Pending');
  });

  test('the callback returns the browser to the console page that started the flow', async () => {
    const created = await m.s.api('POST', '/api/v1/connections', {
      body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret }, returnTo: '/connections' },
    });
    const location = new URL(await m.em.consent(created.json().authorizationUrl, { user: ADELE }));
    const res = await m.s.api('GET', location.pathname + location.search, { key: null });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/connections?connectionId=${created.json().id}&status=Connected`);
    const open = await m.s.api('POST', '/api/v1/connections', {
      body: { folderId: m.folderId, connector: 'microsoft-365', fields: { clientId: APP.clientId, clientSecret: APP.secret }, returnTo: 'https://evil.example/' },
    });
    assert.equal(open.statusCode, 400, 'no open redirect');
  });

  test('a revoked refresh token disables the connection with a reconnect message; reconnect restores the same id', async () => {
    const { id } = await connectDelegated(m);
    m.em.revokeRefreshTokens({ user: ADELE });
    // Make the stored access token due so the next use must refresh.
    await m.s.sb.tokens.token(id, { force: true }).catch(() => {});
    const c = (await m.s.api('GET', `/api/v1/connections/${id}`)).json();
    assert.equal(c.status, 'Disabled');
    assert.equal(c.disabledReason, 'refresh_token_revoked');
    assert.match(c.statusMessage, /^Reconnect required: Microsoft revoked/);
    const events = await m.s.store.db.query<{ type: string }>('SELECT type FROM connection_events WHERE connection_id = $1 ORDER BY created_at', [id]);
    assert.ok(events.some((e) => e.type === 'connection.disabled'));
    const check = (await m.s.api('POST', `/api/v1/connections/${id}/check`)).json();
    assert.equal(check.lastCheck.ok, false);

    const reconnect = await m.s.api('POST', `/api/v1/connections/${id}/reconnect`, { body: {} });
    assert.equal(reconnect.statusCode, 202, reconnect.body);
    assert.equal(reconnect.json().id, id);
    const location = new URL(await m.em.consent(reconnect.json().authorizationUrl, { user: ADELE }));
    const done = await m.s.api('GET', location.pathname + location.search, { key: null, headers: { accept: 'application/json' } });
    assert.equal(done.json().id, id);
    assert.equal(done.json().status, 'Connected');
    assert.equal(done.json().disabledReason, null);
    assert.equal((await m.s.api('POST', `/api/v1/connections/${id}/check`)).json().lastCheck.ok, true);
  });

  test('transient token-endpoint failures are retried and leave the connection Connected', async () => {
    const { id } = await connectDelegated(m);
    m.em.failTokenRequests({ count: 2, status: 503 });
    const tokens = await m.s.sb.tokens.token(id, { force: true });
    assert.ok(tokens?.accessToken);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${id}`)).json().status, 'Connected');
    m.em.failTokenRequests({ count: 10, status: 503 });
    await assert.rejects(m.s.sb.tokens.token(id, { force: true }), /temporarily/);
    assert.equal((await m.s.api('GET', `/api/v1/connections/${id}`)).json().status, 'Connected');
    m.em.clearFaults();
  });

  test('200 concurrent uses of an expired token make exactly one token request', async () => {
    const { id } = await connectDelegated(m);
    const stored = await m.s.sb.vault.get<{ tokens: { expiresAt: string } }>('connection', id);
    await m.s.sb.vault.compareAndSet('connection', id, stored!.version, { ...stored!.value, tokens: { ...stored!.value.tokens, expiresAt: new Date(Date.now() - 1000).toISOString() } });
    m.em.clearRequests();
    const results = await Promise.all(Array.from({ length: 200 }, () => m.s.sb.tokens.token(id)));
    assert.equal(m.em.tokenStats().byGrantType.refresh_token, 1);
    assert.equal(new Set(results.map((r) => r!.accessToken)).size, 1, 'everyone got the same fresh token');
  });

  test('no secret in any API response or log line', async () => {
    const { id } = await connectDelegated(m);
    const stored = await m.s.sb.vault.get<{ fields: Record<string, string>; tokens: { accessToken: string; refreshToken: string } }>('connection', id);
    const secrets = [APP.secret, stored!.value.tokens.accessToken, stored!.value.tokens.refreshToken, SINGLE_TENANT_APP.secret];
    const bodies = [
      (await m.s.api('GET', `/api/v1/connections/${id}`)).body,
      (await m.s.api('GET', '/api/v1/connections')).body,
      (await m.s.api('POST', `/api/v1/connections/${id}/check`)).body,
    ];
    for (const body of bodies) for (const secret of secrets) assert.ok(!body.includes(secret), 'a secret leaked into a response');
    assert.deepEqual(m.s.logs.leaked(secrets), []);
  });
});
