import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SignJWT, generateKeyPair } from 'jose';
import type { MicrosoftEmulator } from '../src/index.ts';
import { ADELE, CONTOSO, MULTI, SINGLE, graph, signIn, start } from './helpers.ts';

let emu: MicrosoftEmulator;
let delegated: string;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  const res = await signIn(emu, 'global', { scope: 'openid profile email offline_access User.Read' });
  delegated = res.body.access_token;
});

const WWW_AUTHENTICATE = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

function assertGraphError(res: { status: number; body: any; headers: Headers }, status: number, code: string, message: string) {
  assert.equal(res.status, status);
  assert.equal(res.body.error.code, code);
  assert.equal(res.body.error.message, message);
  const inner = res.body.error.innerError;
  assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.match(inner['request-id'], /^[0-9a-f-]{36}$/);
  assert.equal(inner['request-id'], res.headers.get('request-id'));
  assert.equal(inner['client-request-id'], res.headers.get('client-request-id'));
}

describe('GET /v1.0/me', () => {
  test('returns the signed-in user in Graph’s default shape', async () => {
    const res = await graph(emu.origins.global, '/v1.0/me', delegated);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json;odata\.metadata=minimal/);
    assert.deepEqual(res.body, {
      '@odata.context': `${emu.origins.global}/v1.0/$metadata#users/$entity`,
      businessPhones: ['+1 425 555 0109'],
      displayName: 'Adele Vance',
      givenName: 'Adele',
      jobTitle: 'Retail Manager',
      mail: 'AdeleV@contoso.onmicrosoft.com',
      mobilePhone: '+1 425 555 0109',
      officeLocation: '18/2111',
      preferredLanguage: 'en-US',
      surname: 'Vance',
      userPrincipalName: ADELE,
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
    });
  });

  test('a user without a mailbox has mail: null', async () => {
    const res = await signIn(emu, 'global', { user: 'LeeG@contoso.onmicrosoft.com' });
    const me = await graph(emu.origins.global, '/v1.0/me', res.body.access_token);
    assert.equal(me.status, 200);
    assert.equal(me.body.mail, null);
    assert.equal(me.body.userPrincipalName, 'LeeG@contoso.onmicrosoft.com');
  });

  test('$select narrows the properties and shows in @odata.context; unknown properties are 400', async () => {
    const res = await graph(emu.origins.global, '/v1.0/me?$select=displayName,mail,accountEnabled', delegated);
    assert.deepEqual(res.body, {
      '@odata.context': `${emu.origins.global}/v1.0/$metadata#users(displayName,mail,accountEnabled)/$entity`,
      displayName: 'Adele Vance',
      mail: ADELE,
      accountEnabled: true,
    });
    const bad = await graph(emu.origins.global, '/v1.0/me?$select=shoeSize', delegated);
    assertGraphError(bad, 400, 'BadRequest', "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  });

  test('an app-only token is refused with 400', async () => {
    const app = await emu.issueAccessToken({ clientId: SINGLE.clientId, tenant: 'contoso' });
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', app), 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  });

  test('a delegated token without a user permission is 403 Authorization_RequestDenied', async () => {
    const mailOnly = await emu.issueAccessToken({ clientId: MULTI.clientId, user: ADELE, scopes: ['Mail.Read'] });
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', mailOnly), 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  });
});

describe('token validation', () => {
  test('an expired token: 401 InvalidAuthenticationToken with www-authenticate', async () => {
    emu.advanceClock(3600);
    const res = await graph(emu.origins.global, '/v1.0/me', delegated);
    assertGraphError(res, 401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    assert.equal(res.headers.get('www-authenticate'), WWW_AUTHENTICATE);
  });

  test('an already-expired minted token is refused the same way', async () => {
    const expired = await emu.issueAccessToken({ clientId: MULTI.clientId, user: ADELE, expiresInSeconds: -10 });
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', expired), 401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
  });

  test('a token for another Graph root: 401 invalid audience; the DoD challenge names the US Gov authority', async () => {
    const l5 = await emu.issueAccessToken({ clientId: MULTI.clientId, user: ADELE, cloud: 'usgov', audience: 'https://dod-graph.microsoft.us' });
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', l5), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const l4 = await emu.issueAccessToken({ clientId: MULTI.clientId, user: ADELE, cloud: 'usgov', audience: 'https://graph.microsoft.us' });
    const res = await graph(emu.origins.dod, '/v1.0/me', l4);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /authorization_uri="https:\/\/login\.microsoftonline\.us\/common\/oauth2\/authorize"/);
  });

  test('missing, malformed, and foreign-signed tokens are 401', async () => {
    assertGraphError(await graph(emu.origins.global, '/v1.0/me'), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', 'abc'), 401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ aud: 'https://graph.microsoft.com', tid: CONTOSO, scp: 'User.Read' })
      .setProtectedHeader({ alg: 'RS256' })
      .setExpirationTime('1h')
      .sign(privateKey);
    assertGraphError(await graph(emu.origins.global, '/v1.0/me', forged), 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  });
});

describe('users and other routes', () => {
  test('/users/{upn} and /users/{id}: own profile with User.Read, others need more', async () => {
    assert.equal((await graph(emu.origins.global, `/v1.0/users/${ADELE}`, delegated)).status, 200);
    assert.equal((await graph(emu.origins.global, '/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd', delegated)).status, 200);
    const megan = await graph(emu.origins.global, '/v1.0/users/MeganB@contoso.onmicrosoft.com', delegated);
    assert.equal(megan.status, 403);
    const wide = await emu.issueAccessToken({ clientId: MULTI.clientId, user: ADELE, scopes: ['User.ReadBasic.All'] });
    const ok = await graph(emu.origins.global, '/v1.0/users/MeganB@contoso.onmicrosoft.com', wide);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.displayName, 'Megan Bowen');
  });

  test('a user of another tenant is not found', async () => {
    const app = await emu.issueAccessToken({ clientId: SINGLE.clientId, tenant: 'contoso' });
    const res = await graph(emu.origins.global, '/v1.0/users/DiegoS@fabrikam.onmicrosoft.com', app);
    assertGraphError(res, 404, 'Request_ResourceNotFound', "Resource 'DiegoS@fabrikam.onmicrosoft.com' does not exist or one of its queried reference-property objects are not present.");
  });

  test('/users lists the tenant for an app with User.Read.All', async () => {
    const app = await emu.issueAccessToken({ clientId: SINGLE.clientId, tenant: 'contoso' });
    const res = await graph(emu.origins.global, '/v1.0/users?$select=userPrincipalName', app);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${emu.origins.global}/v1.0/$metadata#users(userPrincipalName)`);
    assert.deepEqual(res.body.value.map((u: { userPrincipalName: string }) => u.userPrincipalName).sort(), ['AdeleV@contoso.onmicrosoft.com', 'LeeG@contoso.onmicrosoft.com', 'MeganB@contoso.onmicrosoft.com']);
  });

  test('/organization describes the token’s tenant', async () => {
    const res = await graph(emu.origins.global, '/v1.0/organization', delegated);
    assert.equal(res.status, 200);
    assert.equal(res.body.value[0].id, CONTOSO);
    assert.equal(res.body.value[0].verifiedDomains[0].name, 'contoso.onmicrosoft.com');
  });

  test('/oidc/userinfo answers for a token with openid', async () => {
    const res = await graph(emu.origins.global, '/oidc/userinfo', delegated);
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'Adele Vance');
    assert.equal(res.body.email, ADELE);
  });

  test('unknown segments and versions answer like Graph', async () => {
    assertGraphError(await graph(emu.origins.global, '/v1.0/me/shoes', delegated), 400, 'BadRequest', "Resource not found for the segment 'shoes'.");
    assertGraphError(await graph(emu.origins.global, '/v1.0/widgets', delegated), 400, 'BadRequest', "Resource not found for the segment 'widgets'.");
    assertGraphError(await graph(emu.origins.dod, '/v2.0/me', delegated), 400, 'BadRequest', 'Invalid version: v2.0');
    assert.equal((await graph(emu.origins.global, '/v1.0/widgets')).status, 401, 'authentication comes first');
  });

  test('client-request-id is echoed, request-id is fresh', async () => {
    const sent = '7d2c4e6a-8b0c-4d2e-9f4a-6b8c0d2e4f6a';
    const res = await graph(emu.origins.global, '/v1.0/me', delegated, { 'client-request-id': sent });
    assert.equal(res.headers.get('client-request-id'), sent);
    assert.match(res.headers.get('request-id')!, /^[0-9a-f-]{36}$/);
    assert.notEqual(res.headers.get('request-id'), sent);
  });
});
