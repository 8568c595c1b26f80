import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ConsentError, DEFAULT_SEED_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { CONTOSO, FABRIKAM, MULTI, SINGLE, aadsts, authorizeUrl, claims, signIn, start, token } from './helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

async function pageError(url: string): Promise<string> {
  try {
    await emu.consent(url);
  } catch (err) {
    if (err instanceof ConsentError) return err.message;
    throw err;
  }
  throw new Error('expected an error page');
}

async function accountsOn(url: string): Promise<string[]> {
  const html = await (await fetch(url)).text();
  return [...html.matchAll(/Sign in as [^(]+\(([^)]+)\)/g)].map((m) => m[1]!);
}

describe('tenant segment rules', () => {
  test('single-tenant app on /common or /organizations: AADSTS50194 (page at authorize, JSON at token)', async () => {
    for (const tenant of ['common', 'organizations']) {
      assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant, clientId: SINGLE.clientId })), /^AADSTS50194: Application 'e8be4d84/);
      const res = await token(emu.origins.global, tenant, { grant_type: 'authorization_code', client_id: SINGLE.clientId, client_secret: SINGLE.secret, code: 'x', redirect_uri: 'x' });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(aadsts(res.body), 50194);
    }
  });

  test('single-tenant app in its own tenant works, by GUID and by domain', async () => {
    for (const tenant of [CONTOSO, 'contoso.onmicrosoft.com']) {
      const res = await signIn(emu, 'global', { tenant, clientId: SINGLE.clientId, secret: SINGLE.secret });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  test('single-tenant app in another tenant: AADSTS700016', async () => {
    assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant: FABRIKAM, clientId: SINGLE.clientId })), /^AADSTS700016: /);
  });

  test('unknown tenant GUID or domain: AADSTS90002 invalid_tenant', async () => {
    assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant: '2f1a0c3e-8d4b-4e6f-9a7c-5b3d1e0f2a4c' })), /^AADSTS90002: Tenant '2f1a0c3e/);
    const res = await token(emu.origins.global, 'nowhere.onmicrosoft.com', { grant_type: 'client_credentials', client_id: MULTI.clientId, client_secret: MULTI.secret, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_tenant');
    assert.equal(aadsts(res.body), 90002);
  });

  test('a bare tenant name is not a tenant identifier: AADSTS900023', async () => {
    assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant: 'contoso' })), /^AADSTS900023: /);
  });

  test('/common offers work and personal accounts; /organizations only work accounts; /consumers only personal ones', async () => {
    const common = await accountsOn(authorizeUrl(emu.origins.global));
    assert.ok(common.includes('AdeleV@contoso.onmicrosoft.com') && common.includes('DiegoS@fabrikam.onmicrosoft.com') && common.includes('pat.kim@outlook.com'));
    const orgs = await accountsOn(authorizeUrl(emu.origins.global, { tenant: 'organizations' }));
    assert.ok(orgs.includes('DiegoS@fabrikam.onmicrosoft.com'));
    assert.ok(!orgs.includes('pat.kim@outlook.com'));
    assert.deepEqual(await accountsOn(authorizeUrl(emu.origins.global, { tenant: 'consumers' })), ['pat.kim@outlook.com']);
    assert.deepEqual(await accountsOn(authorizeUrl(emu.origins.global, { tenant: 'fabrikam.onmicrosoft.com' })), ['DiegoS@fabrikam.onmicrosoft.com']);
  });

  test('a personal account signs in through /consumers and gets an MSA-shaped token', async () => {
    const res = await signIn(emu, 'global', { tenant: 'consumers', user: 'pat.kim@outlook.com' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const at = claims(res.body.access_token);
    assert.equal(at.tid, DEFAULT_SEED_IDS.tenants.consumers);
    assert.equal(at.upn, undefined);
    assert.equal(at.unique_name, 'live.com#pat.kim@outlook.com');
  });

  test('an Entra-only app cannot use /consumers: AADSTS9002332', async () => {
    emu.upsertApp({ clientId: '7a9c2e4f-1b3d-4f5a-8c6e-0d2f4a6b8c0e', displayName: 'Work only', homeTenant: 'contoso', signInAudience: 'multi', allowPersonalAccounts: false, redirectUris: ['http://127.0.0.1:8080/api/v1/oauth/callback'] });
    assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant: 'consumers', clientId: '7a9c2e4f-1b3d-4f5a-8c6e-0d2f4a6b8c0e' })), /^AADSTS9002332: /);
  });

  test('personal accounts exist only in the worldwide cloud', async () => {
    assert.match(await pageError(authorizeUrl(emu.origins.usgov, { tenant: 'consumers' })), /^AADSTS90002: /);
    assert.ok(!(await accountsOn(authorizeUrl(emu.origins.usgov))).includes('pat.kim@outlook.com'));
  });

  test('a tenant pinned to one cloud is not found in another', async () => {
    emu.upsertTenant({ id: '6e8a0c2e-4f6a-4b8c-9d0e-2f4a6c8e0a2c', name: 'agency', domains: ['agency.onmicrosoft.us'], cloud: 'usgov' });
    assert.match(await pageError(authorizeUrl(emu.origins.global, { tenant: 'agency.onmicrosoft.us' })), /^AADSTS90002: /);
    const res = await fetch(authorizeUrl(emu.origins.usgov, { tenant: 'agency.onmicrosoft.us' }));
    assert.equal(res.status, 200);
  });

  test('a multi-tenant app signs in a user from another tenant, which creates its presence there', async () => {
    const res = await signIn(emu, 'global', { tenant: 'organizations', user: 'DiegoS@fabrikam.onmicrosoft.com' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(claims(res.body.access_token).tid, FABRIKAM);
    // Now the app exists in fabrikam, so client credentials find it (without roles: nothing granted).
    const cc = await token(emu.origins.global, FABRIKAM, { grant_type: 'client_credentials', client_id: MULTI.clientId, client_secret: MULTI.secret, scope: 'https://graph.microsoft.com/.default' });
    assert.equal(cc.status, 200, JSON.stringify(cc.body));
    assert.equal(claims(cc.body.access_token).roles, undefined);
  });
});
