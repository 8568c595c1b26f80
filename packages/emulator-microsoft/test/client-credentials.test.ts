import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { MicrosoftEmulator } from '../src/index.ts';
import { ADELE, CONTOSO, FABRIKAM, MULTI, SINGLE, aadsts, claims, graph, start, token } from './helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

const cc = (listener: 'global' | 'usgov' | 'china', tenant: string, scope: string | undefined, app: { clientId: string; secret: string } = SINGLE) =>
  token(emu.origins[listener], tenant, {
    grant_type: 'client_credentials',
    client_id: app.clientId,
    client_secret: app.secret,
    ...(scope !== undefined ? { scope } : {}),
  });

const ENVIRONMENTS = [
  { name: 'Office 365', login: 'global', root: 'https://graph.microsoft.com', graphListener: 'global', iss: `https://sts.windows.net/${CONTOSO}/` },
  { name: 'US Government L4', login: 'usgov', root: 'https://graph.microsoft.us', graphListener: 'usgov', iss: `https://sts.windows.net/${CONTOSO}/` },
  { name: 'US Government L5', login: 'usgov', root: 'https://dod-graph.microsoft.us', graphListener: 'dod', iss: `https://sts.windows.net/${CONTOSO}/` },
  { name: 'China', login: 'china', root: 'https://microsoftgraph.chinacloudapi.cn', graphListener: 'china', iss: `https://sts.chinacloudapi.cn/${CONTOSO}/` },
] as const;

describe('client credentials per environment', () => {
  for (const env of ENVIRONMENTS) {
    test(`${env.name}: {graph}/.default gives an app token with the granted roles`, async () => {
      const res = await cc(env.login, CONTOSO, `${env.root}/.default`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
      const at = claims(res.body.access_token);
      assert.equal(at.aud, env.root);
      assert.equal(at.iss, env.iss);
      assert.equal(at.idtyp, 'app');
      assert.equal(at.tid, CONTOSO);
      assert.equal(at.appid, SINGLE.clientId);
      assert.equal(at.appidacr, '1');
      assert.equal(at.scp, undefined);
      assert.deepEqual([...at.roles].sort(), ['Calendars.ReadWrite', 'Mail.ReadWrite', 'Mail.Send', 'User.Read.All']);

      const user = await graph(emu.origins[env.graphListener], `/v1.0/users/${ADELE}`, res.body.access_token);
      assert.equal(user.status, 200, JSON.stringify(user.body));
      assert.equal(user.body.displayName, 'Adele Vance');
      const me = await graph(emu.origins[env.graphListener], '/v1.0/me', res.body.access_token);
      assert.equal(me.status, 400);
      assert.equal(me.body.error.code, 'BadRequest');
      assert.equal(me.body.error.message, '/me request is only valid with delegated authentication flow.');
    });

    test(`${env.name}: another cloud's .default is AADSTS500011 invalid_resource`, async () => {
      const wrong = env.login === 'global' ? 'https://graph.microsoft.us/.default' : 'https://graph.microsoft.com/.default';
      const res = await cc(env.login, CONTOSO, wrong);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_resource');
      assert.equal(aadsts(res.body), 500011);
    });
  }

  test('the Graph app id form of the resource works too', async () => {
    const res = await cc('global', 'contoso.onmicrosoft.com', '00000003-0000-0000-c000-000000000000/.default');
    assert.equal(res.status, 200);
    assert.equal(claims(res.body.access_token).aud, 'https://graph.microsoft.com');
  });
});

describe('client credentials errors', () => {
  test('a permission instead of /.default is AADSTS1002012 invalid_scope', async () => {
    const res = await cc('global', CONTOSO, 'https://graph.microsoft.com/Mail.Read');
    assert.equal(res.body.error, 'invalid_scope');
    assert.equal(aadsts(res.body), 1002012);
  });

  test('several scopes is AADSTS70011; no scope is AADSTS900144', async () => {
    const many = await cc('global', CONTOSO, 'https://graph.microsoft.com/.default offline_access');
    assert.equal(aadsts(many.body), 70011);
    assert.equal(many.body.error, 'invalid_scope');
    const none = await cc('global', CONTOSO, undefined);
    assert.equal(aadsts(none.body), 900144);
  });

  test('/common and /consumers: AADSTS9001023; /organizations: AADSTS50059', async () => {
    for (const tenant of ['common', 'consumers']) assert.equal(aadsts((await cc('global', tenant, 'https://graph.microsoft.com/.default', MULTI)).body), 9001023);
    assert.equal(aadsts((await cc('global', 'organizations', 'https://graph.microsoft.com/.default', MULTI)).body), 50059);
  });

  test('a tenant where the app has no service principal: AADSTS700016', async () => {
    const res = await cc('global', FABRIKAM, 'https://graph.microsoft.com/.default', MULTI);
    assert.equal(res.body.error, 'unauthorized_client');
    assert.equal(aadsts(res.body), 700016);
  });

  test('no credential is AADSTS7000216; a wrong secret is 401 AADSTS7000215', async () => {
    const none = await token(emu.origins.global, CONTOSO, { grant_type: 'client_credentials', client_id: SINGLE.clientId, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(none.status, 401);
    assert.equal(aadsts(none.body), 7000216);
    const wrong = await cc('global', CONTOSO, 'https://graph.microsoft.com/.default', { clientId: SINGLE.clientId, secret: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(aadsts(wrong.body), 7000215);
  });

  test('revoking the admin grant leaves a token without roles, which Graph refuses', async () => {
    emu.setApplicationPermissions(SINGLE.clientId, 'contoso', []);
    const res = await cc('global', CONTOSO, 'https://graph.microsoft.com/.default');
    assert.equal(res.status, 200);
    assert.equal(claims(res.body.access_token).roles, undefined);
    const user = await graph(emu.origins.global, `/v1.0/users/${ADELE}`, res.body.access_token);
    assert.equal(user.status, 403);
    assert.equal(user.body.error.code, 'Authorization_RequestDenied');
    assert.equal(user.body.error.message, 'Insufficient privileges to complete the operation.');
  });

  test('a Mail.* role alone is enough to look a user up', async () => {
    emu.setApplicationPermissions(SINGLE.clientId, 'contoso', ['Mail.Send']);
    const res = await cc('global', CONTOSO, 'https://graph.microsoft.com/.default');
    assert.equal((await graph(emu.origins.global, `/v1.0/users/${ADELE}`, res.body.access_token)).status, 200);
    assert.equal((await graph(emu.origins.global, '/v1.0/users', res.body.access_token)).status, 403, 'listing needs a User.* role');
  });
});
