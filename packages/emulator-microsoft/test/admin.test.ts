import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startMicrosoftEmulator, type MicrosoftEmulator } from '../src/index.ts';
import { ADELE, CONTOSO, MULTI, REDIRECT, SINGLE, aadsts, authorizeUrl, claims, codeFrom, graph, signIn, start, token } from './helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

const appToken = () =>
  token(emu.origins.global, CONTOSO, { grant_type: 'client_credentials', client_id: SINGLE.clientId, client_secret: SINGLE.secret, scope: 'https://graph.microsoft.com/.default' });

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; type: string | null }> {
  const res = await fetch(`${emu.origins.global}/_emulator${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
}

describe('token endpoint faults', () => {
  test('the next N requests fail with a Microsoft-shaped 503 temporarily_unavailable, then recover', async () => {
    emu.failTokenRequests({ count: 2, retryAfterSeconds: 5 });
    for (let i = 0; i < 2; i++) {
      const res = await appToken();
      assert.equal(res.status, 503);
      assert.equal(res.body.error, 'temporarily_unavailable');
      assert.equal(aadsts(res.body), 90033);
      assert.match(res.body.error_description, /^AADSTS90033: A transient error has occurred\. Please try again\.\r\nTrace ID: /);
      assert.equal(res.headers.get('retry-after'), '5');
    }
    assert.equal((await appToken()).status, 200);
    assert.deepEqual(emu.faults().tokenFailures, []);
  });

  test('status, error and filters are configurable', async () => {
    emu.failTokenRequests({ status: 500, error: 'server_error', code: 50000, message: 'There was an error issuing a token.', grantType: 'refresh_token' });
    assert.equal((await appToken()).status, 200, 'client_credentials is not affected');
    const rt = (await signIn(emu, 'global')).body.refresh_token;
    const res = await token(emu.origins.global, 'common', { grant_type: 'refresh_token', client_id: MULTI.clientId, client_secret: MULTI.secret, refresh_token: rt });
    assert.equal(res.status, 500);
    assert.equal(res.body.error, 'server_error');
    assert.equal(aadsts(res.body), 50000);

    emu.failTokenRequests({ cloud: 'usgov' });
    assert.equal((await appToken()).status, 200, 'the global listener is not affected');
    const gov = await token(emu.origins.usgov, CONTOSO, { grant_type: 'client_credentials', client_id: SINGLE.clientId, client_secret: SINGLE.secret, scope: 'https://graph.microsoft.us/.default' });
    assert.equal(gov.status, 503);
  });

  test('reset mode drops the connection without a response', async () => {
    emu.failTokenRequests({ mode: 'reset' });
    await assert.rejects(appToken(), (err: Error) => err.name === 'TypeError');
    assert.equal((await appToken()).status, 200);
    const logged = emu.requests({ path: '/oauth2/v2.0/token' });
    assert.deepEqual(logged.map((e) => e.status), [0, 200]);
    assert.equal(emu.tokenStats().failed, 1);
  });
});

describe('request log and token stats', () => {
  test('records cloud, impersonated host, method, path, grant type, scope and client id; never secrets', async () => {
    await signIn(emu, 'china', { scope: 'openid User.Read' });
    const entries = emu.requests({ cloud: 'china' });
    assert.deepEqual(entries.map((e) => [e.method, e.path.replace(/^\/[^/]+/, '/{t}')]), [
      ['GET', '/{t}/oauth2/v2.0/authorize'],
      ['POST', '/{t}/login'],
      ['POST', '/{t}/oauth2/v2.0/token'],
    ]);
    for (const e of entries) assert.equal(e.host, 'login.chinacloudapi.cn');
    const tokenCall = entries[2]!;
    assert.equal(tokenCall.grantType, 'authorization_code');
    assert.equal(tokenCall.clientId, MULTI.clientId);
    assert.equal(tokenCall.status, 200);
    assert.ok(!JSON.stringify(emu.requests()).includes(MULTI.secret));
    assert.equal(emu.requests({ host: 'login.microsoftonline.com' }).length, 0);
  });

  test('Graph requests are logged under the Graph host with the calling app', async () => {
    const at = (await appToken()).body.access_token;
    await graph(emu.origins.global, `/v1.0/users/${ADELE}`, at);
    const [entry] = emu.requests({ host: 'graph.microsoft.com' });
    assert.equal(entry!.path, `/v1.0/users/${ADELE}`);
    assert.equal(entry!.clientId, SINGLE.clientId);
  });

  test('a Host header naming an impersonated host (a proxy that keeps Host) is what gets logged', async () => {
    const { port } = new URL(emu.origins.usgov);
    await new Promise<void>((resolve, reject) => {
      // A path the listener cannot attribute by itself: only the Host header says it was meant for Graph.
      const req = request({ host: '127.0.0.1', port, path: '/unknown', headers: { host: 'graph.microsoft.us' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    const [entry] = emu.requests({ cloud: 'usgov' });
    assert.equal(entry!.host, 'graph.microsoft.us');
    assert.equal(entry!.path, '/unknown');
  });

  test('200 concurrent token requests are all counted', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => appToken()));
    assert.ok(results.every((r) => r.status === 200));
    const stats = emu.tokenStats();
    assert.equal(stats.total, 200);
    assert.equal(stats.succeeded, 200);
    assert.deepEqual(stats.byGrantType, { client_credentials: 200 });
    assert.deepEqual(stats.byCloud, { global: 200 });
    emu.clearRequests();
    assert.equal(emu.tokenStats().total, 0);
  });
});

describe('HTTP admin API', () => {
  test('GET /_emulator describes the listeners; admin calls are not logged', async () => {
    const res = await admin('GET', '');
    assert.equal(res.status, 200);
    assert.equal(res.body.hostMap, emu.hostMap);
    assert.equal(emu.requests().length, 0);
    assert.equal((await fetch(`${emu.origins.usgov}/_emulator`)).status, 404, 'only the global listener hosts the admin API');
  });

  test('apps, users and tenants can be added over HTTP; bad input is a problem+json 400', async () => {
    const tenant = await admin('PUT', '/tenants', { id: '0a2c4e6a-8c0e-4a2c-9e6a-8c0e2a4c6e8a', name: 'northwind', domains: ['northwind.onmicrosoft.com'] });
    assert.equal(tenant.status, 200);
    const user = await admin('PUT', '/users', { tenant: 'northwind', userPrincipalName: 'nancy@northwind.onmicrosoft.com', displayName: 'Nancy Davolio', mfaRequired: false });
    assert.equal(user.status, 200);
    assert.equal(user.body.mail, 'nancy@northwind.onmicrosoft.com');
    const app = await admin('PUT', '/apps', {
      clientId: '1f3b5d7f-9b1d-4f3b-8d7f-1b3d5f7b9d1f',
      displayName: 'Northwind app',
      homeTenant: 'northwind.onmicrosoft.com',
      secrets: [{ value: 'northwind-secret' }],
      redirectUris: [REDIRECT],
      applicationPermissions: { northwind: ['User.Read.All'] },
    });
    assert.equal(app.status, 200, JSON.stringify(app.body));
    assert.equal(app.body.secrets[0].hint, 'nor***');
    assert.ok(!JSON.stringify(app.body).includes('northwind-secret'));
    const cc = await token(emu.origins.global, 'northwind.onmicrosoft.com', { grant_type: 'client_credentials', client_id: '1f3b5d7f-9b1d-4f3b-8d7f-1b3d5f7b9d1f', client_secret: 'northwind-secret', scope: 'https://graph.microsoft.com/.default' });
    assert.equal(cc.status, 200);

    const bad = await admin('PUT', '/apps', { clientId: 'not-a-guid', displayName: 'x', homeTenant: 'contoso' });
    assert.equal(bad.status, 400);
    assert.match(bad.type!, /^application\/problem\+json/);
    assert.deepEqual(bad.body, { type: 'urn:switchboard:emulator-microsoft:invalid_input', title: 'Invalid emulator admin request', status: 400, detail: 'app.clientId must be a GUID', code: 'invalid_input' });
    const unknownPermission = await admin('PUT', '/apps', { clientId: '1f3b5d7f-9b1d-4f3b-8d7f-1b3d5f7b9d1f', displayName: 'x', homeTenant: 'contoso', delegatedPermissions: ['Mail.Everything'] });
    assert.equal(unknownPermission.status, 400);
    assert.match(unknownPermission.body.detail, /'Mail.Everything' is not a known Microsoft Graph delegated permission/);
    const missing = await admin('DELETE', '/users/nobody@contoso.onmicrosoft.com');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
    assert.equal((await admin('GET', '/nothing-here')).status, 404);
  });

  test('a failed upsert leaves the previous record untouched', async () => {
    const before = emu.snapshot().apps.find((a) => a.clientId === MULTI.clientId);
    const res = await admin('PUT', '/apps', { ...emu.seed.apps[0], redirectUris: ['not a url'] });
    assert.equal(res.status, 400);
    assert.deepEqual(emu.snapshot().apps.find((a) => a.clientId === MULTI.clientId), before);
  });

  test('faults, consent, clock, settings and token minting over HTTP', async () => {
    assert.equal((await admin('POST', '/faults/token-failures', { count: 1, status: 503 })).status, 204);
    assert.equal((await appToken()).status, 503);

    const consent = await admin('POST', '/consent', { url: authorizeUrl('https://login.microsoftonline.com'), user: ADELE });
    assert.equal(consent.status, 200, JSON.stringify(consent.body));
    const code = codeFrom(consent.body.location);
    const tokens = await token(emu.origins.global, 'common', { grant_type: 'authorization_code', client_id: MULTI.clientId, client_secret: MULTI.secret, code, redirect_uri: REDIRECT });
    assert.equal(tokens.status, 200);

    assert.equal((await admin('POST', '/faults/mfa', { user: ADELE })).status, 204);
    const refreshBody = { grant_type: 'refresh_token', client_id: MULTI.clientId, client_secret: MULTI.secret, refresh_token: tokens.body.refresh_token };
    assert.equal(aadsts((await token(emu.origins.global, 'common', refreshBody)).body), 50076);
    assert.equal((await admin('POST', '/faults/mfa', { user: ADELE, required: false })).status, 204);
    assert.deepEqual((await admin('POST', '/faults/revoke-refresh-tokens', { user: ADELE })).body, { revoked: 1 });
    assert.equal(aadsts((await token(emu.origins.global, 'common', refreshBody)).body), 70008);

    const settings = await admin('PUT', '/settings/tokens', { accessTokenSeconds: 60 });
    assert.equal(settings.body.accessTokenSeconds, 60);
    const minted = await admin('POST', '/tokens', { clientId: SINGLE.clientId, tenant: 'contoso' });
    const mintedClaims = claims(minted.body.access_token);
    assert.equal(mintedClaims.exp! - mintedClaims.iat!, 60);
    const advanced = await admin('POST', '/clock/advance', { seconds: 61 });
    assert.equal(advanced.status, 200);
    assert.equal((await graph(emu.origins.global, `/v1.0/users/${ADELE}`, minted.body.access_token)).status, 401);

    assert.equal((await admin('POST', '/faults/consent-error', { error: 'interaction_required', code: 50076 })).status, 204);
    assert.equal((await admin('GET', '/faults')).body.consentErrors.length, 1);
    assert.equal((await admin('DELETE', '/faults')).status, 204);
    assert.equal((await admin('GET', '/faults')).body.consentErrors.length, 0);
  });

  test('request log and token stats over HTTP, with filters', async () => {
    await appToken();
    await token(emu.origins.usgov, CONTOSO, { grant_type: 'client_credentials', client_id: SINGLE.clientId, client_secret: SINGLE.secret, scope: 'https://graph.microsoft.us/.default' });
    const gov = await admin('GET', '/requests?cloud=usgov&path=/oauth2/v2.0/token');
    assert.equal(gov.body.length, 1);
    assert.equal(gov.body[0].host, 'login.microsoftonline.us');
    const stats = await admin('GET', '/tokens');
    assert.equal(stats.body.total, 2);
    assert.deepEqual(stats.body.byCloud, { global: 1, usgov: 1 });
    assert.equal((await admin('DELETE', '/requests')).status, 204);
    assert.equal((await admin('GET', '/tokens')).body.total, 0);
  });

  test('reset restores the seed', async () => {
    emu.removeUser(ADELE);
    assert.equal(emu.snapshot().users.some((u) => u.userPrincipalName === ADELE), false);
    assert.deepEqual((await admin('POST', '/reset')).body, { reset: true });
    assert.equal(emu.snapshot().users.some((u) => u.userPrincipalName === ADELE), true);
  });
});

describe('starting', () => {
  test('an invalid seed fails before any port is bound', async () => {
    await assert.rejects(
      startMicrosoftEmulator({ port: 0, seed: { tenants: [], users: [{ tenant: 'nowhere', userPrincipalName: 'a@b.c', displayName: 'A' }], apps: [] } }),
      /user.tenant: no tenant 'nowhere'/,
    );
  });

  test('a fixed base port puts the clouds on consecutive ports', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const base = 20000 + Math.floor(Math.random() * 20000);
      let fixed: MicrosoftEmulator;
      try {
        fixed = await startMicrosoftEmulator({ port: base });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw err;
      }
      try {
        assert.deepEqual(fixed.origins, {
          global: `http://127.0.0.1:${base}`,
          usgov: `http://127.0.0.1:${base + 1}`,
          dod: `http://127.0.0.1:${base + 2}`,
          china: `http://127.0.0.1:${base + 3}`,
        });
      } finally {
        await fixed.close();
      }
      return;
    }
    assert.fail('no free port range found');
  });
});
