import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { MicrosoftEmulator } from '../src/index.ts';
import { CONTOSO, aadsts, graph, signIn, start } from './helpers.ts';

const CLOUDS = [
  { listener: 'global', host: 'login.microsoftonline.com', issuerHost: 'login.microsoftonline.com', graph: 'graph.microsoft.com', instance: 'microsoftonline.com' },
  { listener: 'usgov', host: 'login.microsoftonline.us', issuerHost: 'login.microsoftonline.us', graph: 'graph.microsoft.us', instance: 'microsoftonline.us' },
  { listener: 'china', host: 'login.chinacloudapi.cn', issuerHost: 'login.partner.microsoftonline.cn', graph: 'microsoftgraph.chinacloudapi.cn', instance: 'partner.microsoftonline.cn' },
] as const;

describe('listeners and host map', () => {
  let emu: MicrosoftEmulator;
  before(async () => (emu = await start()));
  after(() => emu.close());

  test('four listeners on distinct ports and a host map covering the seven vendor hosts', () => {
    const origins = Object.values(emu.origins);
    assert.equal(new Set(origins).size, 4);
    for (const o of origins) assert.match(o, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(emu.hostMapEntries, {
      'login.microsoftonline.com': emu.origins.global,
      'graph.microsoft.com': emu.origins.global,
      'login.microsoftonline.us': emu.origins.usgov,
      'graph.microsoft.us': emu.origins.usgov,
      'dod-graph.microsoft.us': emu.origins.dod,
      'login.chinacloudapi.cn': emu.origins.china,
      'microsoftgraph.chinacloudapi.cn': emu.origins.china,
    });
    assert.equal(emu.hostMap.split(',').length, 7);
    assert.ok(emu.hostMap.includes(`dod-graph.microsoft.us=${emu.origins.dod}`));
  });

  test('the DoD listener serves Graph only: authority paths get a Graph error', async () => {
    const res = await graph(emu.origins.dod, '/common/v2.0/.well-known/openid-configuration');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'BadRequest');
  });
});

describe('OpenID discovery per cloud', () => {
  let emu: MicrosoftEmulator;
  before(async () => (emu = await start()));
  after(() => emu.close());

  for (const c of CLOUDS) {
    test(`${c.listener}: /common document names the cloud's issuer and local endpoints`, async () => {
      const origin = emu.origins[c.listener];
      const res = await graph(origin, '/common/v2.0/.well-known/openid-configuration');
      assert.equal(res.status, 200);
      assert.equal(res.body.issuer, `https://${c.issuerHost}/{tenantid}/v2.0`);
      assert.equal(res.body.authorization_endpoint, `${origin}/common/oauth2/v2.0/authorize`);
      assert.equal(res.body.token_endpoint, `${origin}/common/oauth2/v2.0/token`);
      assert.equal(res.body.jwks_uri, `${origin}/common/discovery/v2.0/keys`);
      assert.equal(res.body.cloud_instance_name, c.instance);
      assert.equal(res.body.msgraph_host, c.graph);
      assert.deepEqual(res.body.token_endpoint_auth_methods_supported, ['client_secret_post', 'private_key_jwt', 'client_secret_basic']);
    });

    test(`${c.listener}: a domain resolves to the tenant id in issuer and endpoints`, async () => {
      const origin = emu.origins[c.listener];
      const res = await graph(origin, '/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration');
      assert.equal(res.status, 200);
      assert.equal(res.body.issuer, `https://${c.issuerHost}/${CONTOSO}/v2.0`);
      assert.equal(res.body.token_endpoint, `${origin}/${CONTOSO}/oauth2/v2.0/token`);
    });

    test(`${c.listener}: JWKS verifies id tokens issued by that cloud`, async () => {
      const origin = emu.origins[c.listener];
      const keys = await graph(origin, '/common/discovery/v2.0/keys');
      assert.equal(keys.status, 200);
      assert.equal(keys.body.keys[0].kty, 'RSA');
      assert.equal(keys.body.keys[0].use, 'sig');
      const tokens = await signIn(emu, c.listener);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const { payload } = await jwtVerify(tokens.body.id_token, createLocalJWKSet(keys.body), {
        issuer: `https://${c.issuerHost}/${CONTOSO}/v2.0`,
      });
      assert.equal(payload.ver, '2.0');
    });
  }

  test('consumers issuer uses the consumer tenant id', async () => {
    const res = await graph(emu.origins.global, '/consumers/v2.0/.well-known/openid-configuration');
    assert.equal(res.body.issuer, 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0');
  });

  test('unknown tenant: 400 invalid_tenant AADSTS90002', async () => {
    const res = await graph(emu.origins.global, '/00000000-1111-2222-3333-444444444444/v2.0/.well-known/openid-configuration');
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_tenant');
    assert.equal(aadsts(res.body), 90002);
  });

  test('MSAL instance discovery answers with the cloud aliases', async () => {
    const res = await graph(emu.origins.usgov, '/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.us/common/oauth2/v2.0/authorize');
    assert.equal(res.status, 200);
    assert.equal(res.body.tenant_discovery_endpoint, `${emu.origins.usgov}/common/v2.0/.well-known/openid-configuration`);
    assert.deepEqual(res.body.metadata[0].aliases, ['login.microsoftonline.us', 'login.usgovcloudapi.net']);
  });
});

describe('advertiseRealHosts', () => {
  let emu: MicrosoftEmulator;
  before(async () => (emu = await start({ advertiseRealHosts: true })));
  after(() => emu.close());

  test('endpoints name the vendor hosts of each cloud', async () => {
    const gov = await graph(emu.origins.usgov, '/organizations/v2.0/.well-known/openid-configuration');
    assert.equal(gov.body.token_endpoint, 'https://login.microsoftonline.us/organizations/oauth2/v2.0/token');
    assert.equal(gov.body.userinfo_endpoint, 'https://graph.microsoft.us/oidc/userinfo');
    const cn = await graph(emu.origins.china, '/common/v2.0/.well-known/openid-configuration');
    assert.equal(cn.body.authorization_endpoint, 'https://login.chinacloudapi.cn/common/oauth2/v2.0/authorize');
  });
});
