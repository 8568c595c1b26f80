import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { MicrosoftEmulator } from '../src/index.ts';
import { ADELE, MULTI, aadsts, authorizeUrl, claims, graph, signIn, start, token } from './helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

const refresh = (rt: string, extra: Record<string, string> = {}, listener: 'global' | 'usgov' | 'china' = 'global') =>
  token(emu.origins[listener], 'common', { grant_type: 'refresh_token', client_id: MULTI.clientId, client_secret: MULTI.secret, refresh_token: rt, ...extra });

async function firstRefreshToken(listener: 'global' | 'usgov' | 'china' = 'global', scope?: string): Promise<string> {
  const res = await signIn(emu, listener, scope ? { scope } : {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.refresh_token;
}

describe('refresh tokens', () => {
  test('every use rotates; by default the previous token stays valid, as in Entra', async () => {
    const rt1 = await firstRefreshToken();
    const r2 = await refresh(rt1);
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    assert.ok(r2.body.refresh_token && r2.body.refresh_token !== rt1);
    assert.ok(r2.body.access_token && r2.body.id_token);
    const r3 = await refresh(r2.body.refresh_token);
    assert.notEqual(r3.body.refresh_token, r2.body.refresh_token);
    assert.equal((await refresh(rt1)).status, 200, 'the rotated token still works');
  });

  test('revokeRotatedRefreshTokens makes reuse fail with AADSTS70008 (global setting and per app)', async () => {
    emu.setTokenSettings({ revokeRotatedRefreshTokens: true });
    const rt1 = await firstRefreshToken();
    assert.equal((await refresh(rt1)).status, 200);
    const reuse = await refresh(rt1);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(aadsts(reuse.body), 70008);

    emu.reset();
    const app = emu.snapshot().apps.find((a) => a.clientId === MULTI.clientId)!;
    assert.equal(app.secrets[0]!.hint, 'Swb***', 'snapshots never echo secret values');
    emu.upsertApp({ ...emu.seed.apps[0]!, revokeRotatedRefreshTokens: true });
    const rt = await firstRefreshToken();
    await refresh(rt);
    assert.equal(aadsts((await refresh(rt)).body), 70008);
  });

  test('with strict rotation, two concurrent refreshes with one token: exactly one succeeds', async () => {
    emu.setTokenSettings({ revokeRotatedRefreshTokens: true });
    const rt = await firstRefreshToken();
    const results = await Promise.all([refresh(rt), refresh(rt), refresh(rt)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
    assert.ok(results.filter((r) => r.status === 400).every((r) => aadsts(r.body) === 70008));
  });

  test('revoking a user’s refresh tokens: next refresh is AADSTS70008', async () => {
    const rt = await firstRefreshToken();
    assert.equal(emu.revokeRefreshTokens({ user: ADELE }), 1);
    const res = await refresh(rt);
    assert.equal(res.body.error, 'invalid_grant');
    assert.equal(aadsts(res.body), 70008);
  });

  test('an MFA requirement after sign-in: AADSTS50076 basic_action until the user signs in again', async () => {
    const rt = await firstRefreshToken();
    emu.requireMfa(ADELE);
    const res = await refresh(rt);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
    assert.equal(res.body.suberror, 'basic_action');
    assert.equal(aadsts(res.body), 50076);
    assert.match(res.body.error_description, /^AADSTS50076: Due to a configuration change made by your administrator/);
    assert.ok(JSON.parse(res.body.claims).access_token.capolids.essential);
    emu.advanceClock(1);
    const fresh = await firstRefreshToken();
    const ok = await refresh(fresh);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(claims(ok.body.access_token).amr, ['pwd', 'mfa']);
  });

  test('the scope parameter may narrow, not widen: a permission never consented is AADSTS65001', async () => {
    const rt = await firstRefreshToken('global', 'openid offline_access User.Read Mail.Read');
    const narrow = await refresh(rt, { scope: 'https://graph.microsoft.com/User.Read offline_access' });
    assert.equal(narrow.status, 200, JSON.stringify(narrow.body));
    const wide = await refresh(rt, { scope: 'https://graph.microsoft.com/Mail.Send offline_access' });
    assert.equal(wide.status, 400);
    assert.equal(wide.body.error, 'invalid_grant');
    assert.equal(wide.body.suberror, 'consent_required');
    assert.equal(aadsts(wide.body), 65001);
  });

  test('revoked consent makes the next refresh AADSTS65001', async () => {
    const rt = await firstRefreshToken();
    emu.revokeDelegatedConsent(MULTI.clientId, { user: ADELE });
    assert.equal(aadsts((await refresh(rt)).body), 65001);
  });

  test('an inactive refresh token expires: AADSTS700082', async () => {
    emu.setTokenSettings({ refreshTokenSeconds: 3600 });
    const rt = await firstRefreshToken();
    emu.advanceClock(3601);
    const res = await refresh(rt);
    assert.equal(res.body.error, 'invalid_grant');
    assert.equal(aadsts(res.body), 700082);
    assert.match(res.body.error_description, /was inactive for 0\.01:00:01\./);
  });

  test('a refresh token is bound to its cloud and its client', async () => {
    const rt = await firstRefreshToken();
    assert.equal(aadsts((await refresh(rt, {}, 'usgov')).body), 9002313);
    const other = await token(emu.origins.global, 'contoso.onmicrosoft.com', {
      grant_type: 'refresh_token',
      client_id: 'e8be4d84-e14d-4590-8b64-b8264c93a455',
      client_secret: 'Swb8Q~singleTenantEmulatorSecret.0001',
      refresh_token: rt,
    });
    assert.equal(aadsts(other.body), 70000);
  });

  test('in US Government one refresh token serves both L4 and L5 Graph', async () => {
    const rt = await firstRefreshToken('usgov', 'openid offline_access https://graph.microsoft.us/User.Read');
    const l5 = await refresh(rt, { scope: 'https://dod-graph.microsoft.us/User.Read offline_access' }, 'usgov');
    assert.equal(l5.status, 200, JSON.stringify(l5.body));
    assert.equal(claims(l5.body.access_token).aud, 'https://dod-graph.microsoft.us');
    assert.equal((await graph(emu.origins.dod, '/v1.0/me', l5.body.access_token)).status, 200);
    assert.equal((await graph(emu.origins.usgov, '/v1.0/me', l5.body.access_token)).status, 401);
  });

  test('access-token lifetime follows the settings', async () => {
    emu.setTokenSettings({ accessTokenSeconds: 120 });
    const res = await signIn(emu, 'global');
    assert.equal(res.body.expires_in, 120);
    const at = claims(res.body.access_token);
    assert.equal(at.exp! - at.iat!, 120);
  });
});

describe('consent-time faults', () => {
  test('an injected MFA error redirects with interaction_required AADSTS50076, once', async () => {
    emu.injectConsentError({ error: 'interaction_required', code: 50076, suberror: 'basic_action' });
    const location = new URL(await emu.consent(authorizeUrl(emu.origins.global)));
    assert.equal(location.searchParams.get('error'), 'interaction_required');
    assert.match(location.searchParams.get('error_description')!, /^AADSTS50076: Due to a configuration change/);
    assert.equal(location.searchParams.get('suberror'), 'basic_action');
    assert.equal(location.searchParams.get('state'), 'state-123');
    assert.ok(new URL(await emu.consent(authorizeUrl(emu.origins.global), { user: ADELE })).searchParams.get('code'));
  });

  test('a fault limited to one cloud leaves the others alone', async () => {
    emu.injectConsentError({ error: 'access_denied', code: 65004, cloud: 'china', times: 2 });
    assert.ok(new URL(await emu.consent(authorizeUrl(emu.origins.global), { user: ADELE })).searchParams.get('code'));
    assert.equal(new URL(await emu.consent(authorizeUrl(emu.origins.china))).searchParams.get('error'), 'access_denied');
    assert.equal(emu.faults().consentErrors[0]!.remaining, 1);
  });
});
