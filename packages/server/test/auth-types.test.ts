import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Catalog, ConnectorDefinition, OAuth2ByoaAuth } from '@switchboard/catalog';
import type { ConnectionSecrets } from '../src/authentication/tokens.ts';
import { type FakeVendor, startFakeVendor } from './support/fake-vendor.ts';
import { Browser, type OidcServer, rsaKey, startOidcProvider } from './support/oidc.ts';
import type { StoreKind } from './support/stores.ts';
import { type TestService, startTestService } from './support/service.ts';

// Every generic auth type of the HTTP connector, end to end: a real OpenID provider
// (oidc-provider) as the authorization server and a small resource API as the vendor, both on
// 127.0.0.1. Each connection must reach Connected with the account the vendor reported, and
// every refusal must leave nothing behind.

/** Nothing listens here: the provider redirects the "browser" to it and the test injects the callback. */
const PUBLIC_URL = 'http://127.0.0.1:8090';
const REDIRECT_URI = `${PUBLIC_URL}/api/v1/oauth/callback`;

interface Env {
  s: TestService;
  op: OidcServer;
  vendor: FakeVendor;
  /** Every response body the API gave, for the secret scan. */
  bodies: string[];
  /** Every credential and token used, for the secret scan. */
  secrets: Set<string>;
  /** Authorization codes and states: must never be logged (they are in URLs by design). */
  urlSecrets: Set<string>;
  api: TestService['api'];
  close(): Promise<void>;
}

async function startEnv(kind: StoreKind): Promise<Env> {
  const op = await startOidcProvider({ redirectUri: REDIRECT_URI });
  const vendor = await startFakeVendor({ introspect: (token) => op.introspect(token) });
  const s = await startTestService(kind, { PUBLIC_URL });
  const bodies: string[] = [];
  const secrets = new Set<string>([
    op.clients.web.secret,
    op.clients.service.secret,
    op.clients.vendor.secret,
    vendor.apiKey,
    vendor.basic.password,
    vendor.pat,
  ]);
  for (const key of [op.clients.cert.key, op.serviceAccount.key]) {
    secrets.add(key.privateKeyPem.trim());
    // A key printed in part still leaks: check a line of its base64 body too.
    secrets.add(key.privateKeyPem.split('\n')[5]!);
  }
  return {
    s,
    op,
    vendor,
    bodies,
    secrets,
    urlSecrets: new Set(),
    async api(method, url, options) {
      const res = await s.api(method, url, options);
      bodies.push(res.body);
      return res;
    },
    async close() {
      await s.close();
      await vendor.close();
      await op.close();
    },
  };
}

async function createFolder(env: Env, name: string): Promise<string> {
  const res = await env.api('POST', '/api/v1/folders', { body: { name } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

async function connectionsIn(env: Env, folderId: string): Promise<unknown[]> {
  const res = await env.api('GET', `/api/v1/connections?folderId=${folderId}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as unknown[];
}

async function storedSecrets(env: Env, id: string): Promise<{ value: ConnectionSecrets; version: number }> {
  const stored = await env.s.sb.vault.get<ConnectionSecrets>('connection', id);
  assert.ok(stored, 'the connection has a vault entry');
  for (const token of [stored.value.tokens?.accessToken, stored.value.tokens?.refreshToken]) if (token) env.secrets.add(token);
  return stored;
}

/** Moves the stored access token's expiry into the past, as if an hour had gone by. */
async function expireAccessToken(env: Env, id: string): Promise<void> {
  const stored = await storedSecrets(env, id);
  assert.ok(stored.value.tokens);
  const written = await env.s.sb.vault.compareAndSet('connection', id, stored.version, {
    ...stored.value,
    tokens: { ...stored.value.tokens, expiresAt: new Date(Date.now() - 60_000).toISOString() },
  });
  assert.ok(written, 'the expiry was rewritten');
}

async function check(env: Env, id: string) {
  const res = await env.api('POST', `/api/v1/connections/${id}/check`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Creates a non-interactive connection; asserts 201 Connected with the account the vendor returned, and a passing check. */
async function connectDirect(env: Env, folderId: string, authType: string, fields: Record<string, unknown>, identityPath: string) {
  const before = env.vendor.requests.length;
  const res = await env.api('POST', '/api/v1/connections', {
    body: { folderId, connector: 'http', authType, fields: { baseUrl: env.vendor.baseUrl, identityPath, ...fields } },
  });
  assert.equal(res.statusCode, 201, res.body);
  const connection = res.json();
  assert.equal(connection.status, 'Connected');
  assert.equal(connection.authType, authType);
  const answer = env.vendor.lastAnswer(identityPath);
  assert.ok(env.vendor.requests.length > before, 'the identity endpoint was called');
  assert.equal(connection.account, answer.login, 'the account is what the vendor reported');
  assert.equal(connection.accountId, String(answer.id));
  assert.equal(connection.name, answer.login, 'the name defaults to the account');
  for (const [key, value] of Object.entries(connection.fields)) {
    assert.ok(!['apiKey', 'password', 'token', 'clientSecret', 'privateKey'].includes(key), `secret field ${key} is not returned (${String(value).slice(0, 8)}...)`);
  }
  await storedSecrets(env, connection.id);

  const checked = await check(env, connection.id);
  assert.equal(checked.lastCheck.ok, true, checked.lastCheck.message);
  assert.equal(checked.status, 'Connected');
  assert.equal(checked.account, answer.login);
  return connection as { id: string; account: string; grantedScopes: string[]; tokenExpiresAt: string | null; lastRefreshedAt: string | null };
}

/** A refusal: the problem code, and no connection left in the folder. */
async function refused(env: Env, folderId: string, authType: string, fields: Record<string, unknown>, identityPath = '/oauth/me') {
  const res = await env.api('POST', '/api/v1/connections', {
    body: { folderId, connector: 'http', authType, fields: { baseUrl: env.vendor.baseUrl, identityPath, ...fields } },
  });
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', res.body);
  assert.deepEqual(await connectionsIn(env, folderId), [], `a refused ${authType} connection leaves nothing behind`);
  return { status: res.statusCode, problem: res.json() };
}

function byoaFields(env: Env, extra: Record<string, unknown> = {}) {
  return {
    baseUrl: env.vendor.baseUrl,
    identityPath: '/oauth/me',
    authorizationUrl: env.op.authorizationUrl,
    tokenUrl: env.op.tokenUrl,
    clientId: env.op.clients.web.id,
    clientSecret: env.op.clients.web.secret,
    scopes: 'openid api:read',
    ...extra,
  };
}

/** Starts an authorization-code connection and consents in the "browser"; returns the callback URL without calling it. */
async function startByoa(env: Env, folderId: string, options: { login?: string; deny?: boolean; connector?: string; fields?: Record<string, unknown> } = {}) {
  const created = await env.api('POST', '/api/v1/connections', {
    body: { folderId, connector: options.connector ?? 'http', authType: 'oauth2-byoa', fields: options.fields ?? byoaFields(env) },
  });
  assert.equal(created.statusCode, 202, created.body);
  const pending = created.json() as { id: string; status: string; authorizationUrl: string };
  assert.equal(pending.status, 'Pending');
  const state = new URL(pending.authorizationUrl).searchParams.get('state')!;
  env.urlSecrets.add(state);
  const browser = new Browser(REDIRECT_URI);
  const callbackUrl = await browser.authorize(pending.authorizationUrl, { login: options.login ?? 'alice', ...(options.deny ? { deny: true } : {}) });
  const callback = new URL(callbackUrl);
  const code = callback.searchParams.get('code');
  if (code) env.urlSecrets.add(code);
  return { ...pending, callback: callback.pathname + callback.search, browser };
}

async function callback(env: Env, path: string) {
  return env.api('GET', path, { key: null, headers: { accept: 'application/json' } });
}

async function connectByoa(env: Env, folderId: string, options: { login?: string; connector?: string; fields?: Record<string, unknown> } = {}) {
  const started = await startByoa(env, folderId, options);
  const done = await callback(env, started.callback);
  assert.equal(done.statusCode, 200, done.body);
  const connection = done.json();
  assert.equal(connection.id, started.id);
  assert.equal(connection.status, 'Connected');
  return { started, connection };
}

const tokenGrants = (env: Env, grantType: string) => env.op.tokenRequests.filter((r) => r.grantType === grantType);

describe('generic auth types against oidc-provider and a fake vendor (embedded store)', () => {
  let env: Env;
  const folders: Record<string, string> = {};

  before(async () => {
    env = await startEnv('embedded');
    for (const name of ['Keys', 'Tokens', 'Delegated', 'Refused', 'Callbacks']) folders[name] = await createFolder(env, name);
  });
  after(() => env?.close());

  test('api-key in a header: Connected as the key owner', async () => {
    await connectDirect(env, folders.Keys!, 'api-key', { apiKey: env.vendor.apiKey }, '/api-key/me');
    assert.ok(env.vendor.requests.filter((r) => r.path === '/api-key/me' && r.status === 200).every((r) => r.credential === 'header:x-api-key'));
  });

  test('api-key in a query parameter', async () => {
    const before = env.vendor.requests.length;
    await connectDirect(env, folders.Keys!, 'api-key', { placement: 'query', keyName: 'api_key', apiKey: env.vendor.apiKey }, '/api-key/me');
    const calls = env.vendor.requests.slice(before).filter((r) => r.path === '/api-key/me');
    assert.equal(calls.length, 2, 'create and check each called the identity endpoint');
    assert.ok(calls.every((r) => r.credential === 'query:api_key' && r.status === 200));
  });

  test('api-key as an Authorization header with a prefix ("token <pat>", GitHub style)', async () => {
    const before = env.vendor.requests.length;
    await connectDirect(env, folders.Keys!, 'api-key', { keyName: 'Authorization', keyPrefix: 'token ', apiKey: env.vendor.pat }, '/pat/me');
    assert.ok(env.vendor.requests.slice(before).every((r) => r.credential === 'token'));
  });

  test('basic', async () => {
    const c = await connectDirect(env, folders.Keys!, 'basic', { username: env.vendor.basic.username, password: env.vendor.basic.password }, '/basic/me');
    assert.equal(c.account, env.vendor.basic.username);
  });

  test('personal-access-token (sent as a bearer token)', async () => {
    const before = env.vendor.requests.length;
    const c = await connectDirect(env, folders.Keys!, 'personal-access-token', { token: env.vendor.pat }, '/pat/me');
    assert.equal(c.account, 'octocat');
    assert.ok(env.vendor.requests.slice(before).every((r) => r.credential === 'bearer'));
  });

  for (const clientAuthentication of ['client_secret_post', 'client_secret_basic']) {
    test(`oauth2-client-credentials (${clientAuthentication}): app token, checked by introspection`, async () => {
      const before = tokenGrants(env, 'client_credentials').length;
      const c = await connectDirect(
        env,
        folders.Tokens!,
        'oauth2-client-credentials',
        { tokenUrl: env.op.tokenUrl, clientId: env.op.clients.service.id, clientSecret: env.op.clients.service.secret, scopes: env.op.clients.service.scope, clientAuthentication },
        '/oauth/me',
      );
      assert.equal(c.account, `${env.op.clients.service.id}[bot]`);
      assert.deepEqual(c.grantedScopes, ['api:read']);
      assert.ok(c.tokenExpiresAt && Date.parse(c.tokenExpiresAt) > Date.now());
      const grants = tokenGrants(env, 'client_credentials').slice(before);
      assert.equal(grants.length, 1, 'one token for create; the check reused it');
      assert.equal(grants[0]!.status, 200);
      assert.equal(grants[0]!.clientId, env.op.clients.service.id);
    });
  }

  test('client-certificate: private_key_jwt client assertion with the key id, verified by the provider', async () => {
    const cert = env.op.clients.cert;
    const before = env.op.clientAssertions.length;
    const c = await connectDirect(
      env,
      folders.Tokens!,
      'client-certificate',
      { tokenUrl: env.op.tokenUrl, clientId: cert.id, privateKey: cert.key.privateKeyPem, keyId: cert.kid, scopes: cert.scope },
      '/oauth/me',
    );
    assert.equal(c.account, `${cert.id}[bot]`);
    assert.deepEqual(c.grantedScopes, ['api:read']);
    const [assertion] = env.op.clientAssertions.slice(before);
    assert.ok(assertion, 'the provider verified a client assertion');
    assert.equal(assertion.header.alg, 'RS256');
    assert.equal(assertion.header.kid, cert.kid, 'kid is the Key ID field');
    assert.equal(assertion.payload.iss, cert.id);
    assert.equal(assertion.payload.sub, cert.id);
    assert.equal(assertion.payload.aud, env.op.tokenUrl, 'aud is the token endpoint (RFC 7523 §3)');
    assert.ok(Number(assertion.payload.exp) - Number(assertion.payload.iat) <= 300);
    assert.equal(typeof assertion.payload.jti, 'string');
  });

  test('client-certificate without a key id: the provider finds the key by algorithm', async () => {
    const cert = env.op.clients.cert;
    const before = env.op.clientAssertions.length;
    await connectDirect(env, folders.Tokens!, 'client-certificate', { tokenUrl: env.op.tokenUrl, clientId: cert.id, privateKey: cert.key.privateKeyPem }, '/oauth/me');
    const [assertion] = env.op.clientAssertions.slice(before);
    assert.ok(assertion);
    assert.equal(assertion.header.kid, undefined, 'no empty kid header');
  });

  test('jwt-bearer: an RFC 7523 assertion exchanged for a token acting as the subject', async () => {
    const sa = env.op.serviceAccount;
    const before = env.op.grantAssertions.length;
    const c = await connectDirect(
      env,
      folders.Tokens!,
      'jwt-bearer',
      { tokenUrl: env.op.tokenUrl, clientId: 'switchboard', issuer: sa.issuer, subject: sa.subject, audience: env.op.tokenUrl, privateKey: sa.key.privateKeyPem },
      '/oauth/me',
    );
    assert.equal(c.account, sa.subject, 'the token acts as the subject');
    const [claims] = env.op.grantAssertions.slice(before);
    assert.ok(claims, 'the provider verified the assertion');
    assert.equal(claims.iss, sa.issuer);
    assert.equal(claims.sub, sa.subject);
    assert.equal(claims.aud, env.op.tokenUrl);
    assert.ok(!('scope' in claims), 'an empty optional scope claim is left out');
    assert.ok(Number(claims.exp) > Number(claims.iat));
  });

  test('an HTTP connection without an identity path is Connected without calling the vendor', async () => {
    const before = env.vendor.requests.length;
    const res = await env.api('POST', '/api/v1/connections', {
      body: { folderId: folders.Keys!, connector: 'http', authType: 'api-key', name: 'No identity', fields: { baseUrl: env.vendor.baseUrl, apiKey: env.vendor.apiKey } },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'Connected');
    assert.equal(res.json().account, null);
    assert.equal(env.vendor.requests.length, before, 'no identity request when the identity path is empty');
    const checked = await check(env, res.json().id);
    assert.equal(checked.lastCheck.ok, true, checked.lastCheck.message);
  });

  test('oauth2-byoa (authorization code): PKCE S256, consent in the browser, Connected as the user who signed in', async () => {
    const before = tokenGrants(env, 'authorization_code').length;
    const { started, connection } = await connectByoa(env, folders.Delegated!, { login: 'alice' });
    const url = new URL(started.authorizationUrl);
    assert.equal(url.origin + url.pathname, env.op.authorizationUrl);
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');

    const seen = env.op.authorizationRequests.find((r) => r.state === url.searchParams.get('state'));
    assert.ok(seen, 'the provider received the authorization request');
    assert.equal(seen.code_challenge_method, 'S256', 'the provider saw S256');
    assert.match(seen.code_challenge ?? '', /^[A-Za-z0-9_-]{43}$/, 'and a code challenge');
    const [exchange] = tokenGrants(env, 'authorization_code').slice(before);
    assert.ok(exchange);
    assert.equal(exchange.status, 200);
    assert.ok(exchange.codeVerifier, 'the code exchange carried the verifier');
    assert.equal(createHash('sha256').update(exchange.codeVerifier).digest('base64url'), seen.code_challenge, 'whose S256 is the challenge');

    assert.equal(connection.account, 'alice');
    assert.equal(connection.accountId, String(env.vendor.lastAnswer('/oauth/me').id));
    assert.deepEqual([...connection.grantedScopes].sort(), ['api:read', 'openid']);
    const stored = await storedSecrets(env, connection.id);
    assert.ok(stored.value.tokens?.refreshToken, 'a refresh token is stored');
    assert.equal(stored.value.fields.clientSecret, env.op.clients.web.secret);
    assert.ok(!('clientSecret' in connection.fields));

    const checked = await check(env, connection.id);
    assert.equal(checked.lastCheck.ok, true, checked.lastCheck.message);
    assert.equal(checked.account, 'alice');
  });

  test('refresh rotation: a due token is refreshed, the rotated refresh token is kept, replaying the old one revokes the grant', async () => {
    await refreshRotation(env, folders.Delegated!);
  });

  test('deleting a connection revokes its refresh token at the provider', async () => {
    const { connection } = await connectByoa(env, folders.Delegated!, { connector: 'http', login: 'bob', fields: byoaFields(env, { revocationUrl: env.op.revocationUrl }) });
    const stored = await storedSecrets(env, connection.id);
    const refreshToken = stored.value.tokens!.refreshToken!;
    const accessToken = stored.value.tokens!.accessToken;
    assert.equal((await env.op.introspect(refreshToken)).active, true);
    const revocationsBefore = env.op.revocations;

    const res = await env.api('DELETE', `/api/v1/connections/${connection.id}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { deleted: true, tokensRevoked: true });
    assert.equal(env.op.revocations, revocationsBefore + 1, 'the provider answered one revocation request');
    assert.equal((await env.op.introspect(refreshToken)).active, false, 'the refresh token is dead');
    assert.equal((await env.op.introspect(accessToken)).active, false, 'and the grant with it');
    const replay = await env.op.refreshDirectly(refreshToken);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await env.api('GET', `/api/v1/connections/${connection.id}`)).statusCode, 404);
    assert.equal(await env.s.sb.vault.get('connection', connection.id), undefined, 'the credentials are gone from the vault');
  });

  describe('refusals create nothing', () => {
    const wrongKey = async () => (await rsaKey()).privateKeyPem;

    test('api-key: wrong key in a header and in a query parameter', async () => {
      for (const fields of [{ apiKey: 'ak_wrong' }, { placement: 'query', keyName: 'api_key', apiKey: 'ak_wrong' }]) {
        const { status, problem } = await refused(env, folders.Refused!, 'api-key', fields, '/api-key/me');
        assert.equal(status, 400);
        assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
        assert.equal(problem.vendorError, 'bad_credentials', 'the vendor\'s own error code is kept');
        assert.equal(problem.vendorMessage, 'Bad credentials');
        assert.equal(problem.vendorStatus, 401);
      }
    });

    test('basic: wrong password', async () => {
      const { status, problem } = await refused(env, folders.Refused!, 'basic', { username: env.vendor.basic.username, password: 'not-the-password' }, '/basic/me');
      assert.equal(status, 400);
      assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
      assert.equal(problem.vendorError, 'bad_credentials');
    });

    test('personal-access-token: wrong token', async () => {
      const { status, problem } = await refused(env, folders.Refused!, 'personal-access-token', { token: 'ghp_wrong' }, '/pat/me');
      assert.equal(status, 400);
      assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
    });

    test('oauth2-client-credentials: wrong secret is the provider\'s invalid_client', async () => {
      const { status, problem } = await refused(env, folders.Refused!, 'oauth2-client-credentials', {
        tokenUrl: env.op.tokenUrl, clientId: env.op.clients.service.id, clientSecret: 'wrong-secret', scopes: 'api:read',
      });
      assert.equal(status, 400);
      assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
      assert.equal(problem.vendorError, 'invalid_client');
      assert.equal(problem.reason, 'invalid_client');
      assert.equal(typeof problem.vendorMessage, 'string');
    });

    test('client-certificate: an assertion signed with another key', async () => {
      const { status, problem } = await refused(env, folders.Refused!, 'client-certificate', {
        tokenUrl: env.op.tokenUrl, clientId: env.op.clients.cert.id, privateKey: await wrongKey(), keyId: env.op.clients.cert.kid,
      });
      assert.equal(status, 400);
      assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
      assert.equal(problem.vendorError, 'invalid_client');
    });

    test('jwt-bearer: another key, or a subject the account may not act as', async () => {
      const sa = env.op.serviceAccount;
      const base = { tokenUrl: env.op.tokenUrl, clientId: 'switchboard', issuer: sa.issuer, subject: sa.subject, audience: env.op.tokenUrl, privateKey: sa.key.privateKeyPem };
      for (const fields of [{ ...base, privateKey: await wrongKey() }, { ...base, subject: 'someone-else' }, { ...base, audience: 'https://elsewhere.example/token' }]) {
        const { status, problem } = await refused(env, folders.Refused!, 'jwt-bearer', fields);
        assert.equal(status, 400);
        assert.equal(problem.code, 'CONNECTION_AUTH_FAILED');
        assert.equal(problem.vendorError, 'invalid_grant');
      }
    });

    test('missing or malformed fields are VALIDATION_FAILED with the field path', async () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['api-key', {}, '/body/fields/apiKey'],
        ['basic', { password: 'x' }, '/body/fields/username'],
        ['personal-access-token', {}, '/body/fields/token'],
        ['oauth2-client-credentials', { tokenUrl: env.op.tokenUrl, clientId: env.op.clients.service.id }, '/body/fields/clientSecret'],
        ['client-certificate', { tokenUrl: env.op.tokenUrl, clientId: env.op.clients.cert.id, privateKey: 'not a key' }, '/body/fields/privateKey'],
        ['jwt-bearer', { tokenUrl: env.op.tokenUrl, issuer: 'x', audience: env.op.tokenUrl }, '/body/fields/privateKey'],
      ];
      for (const [authType, fields, path] of cases) {
        const { status, problem } = await refused(env, folders.Refused!, authType, fields);
        assert.equal(status, 400, `${authType}: ${JSON.stringify(problem)}`);
        assert.equal(problem.code, 'VALIDATION_FAILED', authType);
        assert.ok(problem.errors.some((e: { path: string }) => e.path === path), `${authType}: ${JSON.stringify(problem.errors)}`);
      }
    });
  });

  describe('callback problems leave the connection Pending', () => {
    test('a forged state is OAUTH_STATE_INVALID; the real callback still works once, its replay is "already used"', async () => {
      const started = await startByoa(env, folders.Callbacks!);
      const exchangesBefore = tokenGrants(env, 'authorization_code').length;
      const forged = new URL(started.callback, PUBLIC_URL);
      forged.searchParams.set('state', 'forged-state-value-0123456789abcdefghijklmnopq');
      const res = await callback(env, forged.pathname + forged.search);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'OAUTH_STATE_INVALID');
      assert.equal(tokenGrants(env, 'authorization_code').length, exchangesBefore, 'the code was not redeemed');
      assert.equal((await env.api('GET', `/api/v1/connections/${started.id}`)).json().status, 'Pending');

      const done = await callback(env, started.callback);
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().status, 'Connected');
      await storedSecrets(env, started.id);

      const replay = await callback(env, started.callback);
      assert.equal(replay.statusCode, 400, replay.body);
      assert.equal(replay.json().code, 'OAUTH_STATE_INVALID');
      assert.match(replay.json().detail, /already used/);
      assert.equal(tokenGrants(env, 'authorization_code').length, exchangesBefore + 1, 'the replay did not redeem the code again');
    });

    test('an expired state is OAUTH_STATE_INVALID and the code is not redeemed', async () => {
      const started = await startByoa(env, folders.Callbacks!);
      await env.s.store.db.query("UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE connection_id = $1", [started.id]);
      const exchangesBefore = tokenGrants(env, 'authorization_code').length;
      const res = await callback(env, started.callback);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'OAUTH_STATE_INVALID');
      assert.match(res.json().detail, /longer than 10 minutes/);
      assert.equal(tokenGrants(env, 'authorization_code').length, exchangesBefore);
      const connection = (await env.api('GET', `/api/v1/connections/${started.id}`)).json();
      assert.equal(connection.status, 'Pending');
      assert.equal(connection.account, null);
    });

    test('consent cancelled at the provider is VENDOR_CONSENT_ERROR with the provider\'s error', async () => {
      const started = await startByoa(env, folders.Callbacks!, { deny: true });
      const params = new URL(started.callback, PUBLIC_URL).searchParams;
      assert.equal(params.get('error'), 'access_denied', 'the provider redirected back with an error');
      assert.equal(params.get('code'), null);
      const res = await callback(env, started.callback);
      assert.equal(res.statusCode, 400, res.body);
      const problem = res.json();
      assert.equal(problem.code, 'VENDOR_CONSENT_ERROR');
      assert.equal(problem.vendorError, 'access_denied');
      assert.equal(problem.vendorMessage, params.get('error_description'));
      assert.equal(problem.connectionId, started.id);
      const connection = (await env.api('GET', `/api/v1/connections/${started.id}`)).json();
      assert.equal(connection.status, 'Pending');
      assert.match(connection.statusMessage ?? '', /access_denied/);
      const checked = await env.api('POST', `/api/v1/connections/${started.id}/check`);
      assert.equal(checked.statusCode, 403);
      assert.equal(checked.json().code, 'CONNECTION_NOT_ENABLED');
    });

    test('an error redirect with a valid state, as a vendor sends it, keeps the vendor\'s message', async () => {
      const created = await env.api('POST', '/api/v1/connections', {
        body: { folderId: folders.Callbacks!, connector: 'http', authType: 'oauth2-byoa', fields: byoaFields(env) },
      });
      const state = new URL(created.json().authorizationUrl).searchParams.get('state')!;
      env.urlSecrets.add(state);
      const query = new URLSearchParams({ error: 'access_denied', error_description: 'The administrator has not approved this app.\nTrace: 42', state });
      const res = await callback(env, `/api/v1/oauth/callback?${query}`);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().code, 'VENDOR_CONSENT_ERROR');
      assert.equal(res.json().vendorError, 'access_denied');
      assert.equal(res.json().vendorMessage, 'The administrator has not approved this app.');
      assert.equal((await env.api('GET', `/api/v1/connections/${created.json().id}`)).json().status, 'Pending');
    });
  });

  test('no credential or token appears in any API response or log line', () => {
    assert.ok(env.secrets.size > 15, `collected ${env.secrets.size} secrets`);
    const responses = env.bodies.join('\n');
    const inResponses = [...env.secrets].filter((secret) => responses.includes(secret));
    assert.deepEqual(inResponses.map((s) => s.slice(0, 12)), [], 'secrets in API responses');
    assert.deepEqual(env.s.logs.leaked([...env.secrets, ...env.urlSecrets]).map((s) => s.slice(0, 12)), [], 'secrets in the log');
    assert.ok(env.s.logs.lines.length > 0, 'the log was captured');
  });
});

/** Check renews a due token with the rotated refresh token; the previous one replayed is reuse, and kills the grant. */
async function refreshRotation(env: Env, folderId: string): Promise<void> {
  const { connection } = await connectByoa(env, folderId, { login: 'carol' });
  const first = (await storedSecrets(env, connection.id)).value.tokens!;
  assert.ok(first.refreshToken);

  const refreshesBefore = tokenGrants(env, 'refresh_token').length;
  await expireAccessToken(env, connection.id);
  const checked = await check(env, connection.id);
  assert.equal(checked.lastCheck.ok, true, checked.lastCheck.message);
  const refreshes = tokenGrants(env, 'refresh_token').slice(refreshesBefore);
  assert.equal(refreshes.length, 1, 'exactly one refresh');
  assert.equal(refreshes[0]!.status, 200);
  const second = (await storedSecrets(env, connection.id)).value.tokens!;
  assert.notEqual(second.accessToken, first.accessToken, 'a new access token');
  assert.ok(second.refreshToken && second.refreshToken !== first.refreshToken, 'the rotated refresh token is stored');
  assert.ok(Date.parse(second.expiresAt!) > Date.now());
  assert.ok(checked.lastRefreshedAt, 'the refresh is recorded on the connection');

  // The stored (rotated) refresh token is the one that works next time.
  await expireAccessToken(env, connection.id);
  const again = await check(env, connection.id);
  assert.equal(again.lastCheck.ok, true, again.lastCheck.message);
  const third = (await storedSecrets(env, connection.id)).value.tokens!;
  assert.ok(third.refreshToken && third.refreshToken !== second.refreshToken);
  assert.equal(tokenGrants(env, 'refresh_token').slice(refreshesBefore).filter((r) => r.status === 200).length, 2);
  assert.equal((await env.op.introspect(third.refreshToken)).active, true);

  // Reuse detection: the old refresh token presented again is refused and revokes the whole grant.
  const replay = await env.op.refreshDirectly(first.refreshToken);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
  assert.equal((await env.op.introspect(third.refreshToken)).active, false, 'the current refresh token died with the grant');

  // Switchboard notices at the next use: the vendor refuses the access token, the refresh fails for good.
  const after = await check(env, connection.id);
  assert.equal(after.lastCheck.ok, false);
  assert.equal(after.status, 'Disabled');
  assert.equal(after.disabledReason, 'refresh_token_revoked');
  assert.match(after.statusMessage ?? '', /Reconnect/);
}

describe('authorization code and refresh rotation (postgres store)', () => {
  let env: Env;
  before(async () => {
    env = await startEnv('postgres');
  });
  after(() => env?.close());

  test('connect, refresh with rotation, reuse detection, and no secret leaked', async () => {
    const folderId = await createFolder(env, 'Delegated');
    await refreshRotation(env, folderId);
    assert.deepEqual(env.s.logs.leaked([...env.secrets, ...env.urlSecrets]).map((s) => s.slice(0, 12)), []);
    const responses = env.bodies.join('\n');
    assert.deepEqual([...env.secrets].filter((secret) => responses.includes(secret)).map((s) => s.slice(0, 12)), []);
  });
});
