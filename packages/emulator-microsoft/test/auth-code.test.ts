import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ConsentError, type MicrosoftEmulator } from '../src/index.ts';
import {
  ADELE,
  CONTOSO,
  MULTI,
  REDIRECT,
  aadsts,
  authorizeUrl,
  claims,
  codeFrom,
  graph,
  pkce,
  signIn,
  start,
  token,
} from './helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

const ENVIRONMENTS = [
  { name: 'Office 365', login: 'global', scope: 'openid offline_access User.Read', graphListener: 'global', aud: 'https://graph.microsoft.com', iss: 'https://sts.windows.net/' },
  { name: 'US Government L4', login: 'usgov', scope: 'openid offline_access https://graph.microsoft.us/User.Read', graphListener: 'usgov', aud: 'https://graph.microsoft.us', iss: 'https://sts.windows.net/' },
  { name: 'US Government L5', login: 'usgov', scope: 'openid offline_access https://dod-graph.microsoft.us/User.Read', graphListener: 'dod', aud: 'https://dod-graph.microsoft.us', iss: 'https://sts.windows.net/' },
  { name: 'China', login: 'china', scope: 'openid offline_access User.Read', graphListener: 'china', aud: 'https://microsoftgraph.chinacloudapi.cn', iss: 'https://sts.chinacloudapi.cn/' },
] as const;

describe('authorization code + PKCE through the consent page, per environment', () => {
  for (const env of ENVIRONMENTS) {
    test(`${env.name}: tokens for its own Graph, accepted there and nowhere else`, async () => {
      const res = await signIn(emu, env.login, { scope: env.scope });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3599);
      assert.equal(res.body.ext_expires_in, 3599);
      assert.ok(res.body.refresh_token, 'offline_access yields a refresh token');
      assert.ok(res.body.id_token, 'openid yields an id token');
      assert.equal(res.body.scope, `${env.aud}/User.Read openid offline_access`);

      const at = claims(res.body.access_token);
      assert.equal(at.aud, env.aud);
      assert.equal(at.iss, `${env.iss}${CONTOSO}/`);
      assert.equal(at.tid, CONTOSO);
      assert.equal(at.upn, ADELE);
      assert.equal(at.preferred_username, ADELE);
      assert.equal(at.name, 'Adele Vance');
      assert.equal(at.scp, 'User.Read openid');
      assert.equal(at.appid, MULTI.clientId);
      assert.equal(at.azp, MULTI.clientId);
      assert.equal(at.ver, '1.0');
      assert.equal(at.idtyp, 'user');
      assert.equal(at.exp! - at.iat!, 3599);

      const me = await graph(emu.origins[env.graphListener], '/v1.0/me', res.body.access_token);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.userPrincipalName, ADELE);

      for (const other of ['global', 'usgov', 'dod', 'china'] as const) {
        if (other === env.graphListener) continue;
        const wrong = await graph(emu.origins[other], '/v1.0/me', res.body.access_token);
        assert.equal(wrong.status, 401, `${other} must reject a token for ${env.aud}`);
        assert.equal(wrong.body.error.code, 'InvalidAuthenticationToken');
      }

      const hosts = new Set(emu.requests({ cloud: env.login }).map((r) => r.host));
      assert.ok(hosts.has(env.login === 'global' ? 'login.microsoftonline.com' : env.login === 'usgov' ? 'login.microsoftonline.us' : 'login.chinacloudapi.cn'));
      const graphHits = emu.requests({ path: '/v1.0/me', cloud: env.graphListener });
      assert.equal(graphHits.length, 1);
      assert.equal(graphHits[0]!.status, 200);
    });
  }
});

describe('authorization code redemption', () => {
  async function consentCode(extra: Parameters<typeof authorizeUrl>[1] = {}) {
    const p = pkce();
    const location = await emu.consent(authorizeUrl(emu.origins.global, { challenge: p.challenge, method: 'S256', ...extra }), { user: ADELE });
    return { code: codeFrom(location), verifier: p.verifier, location };
  }
  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    token(emu.origins.global, 'common', {
      grant_type: 'authorization_code',
      client_id: MULTI.clientId,
      client_secret: MULTI.secret,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      ...extra,
    });

  test('state is echoed on the redirect', async () => {
    const { location } = await consentCode({ state: 'abc 123' });
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, REDIRECT);
    assert.equal(url.searchParams.get('state'), 'abc 123');
  });

  test('a code is single-use: the second redemption is AADSTS54005', async () => {
    const { code, verifier } = await consentCode();
    assert.equal((await redeem(code, verifier)).status, 200);
    const again = await redeem(code, verifier);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal(aadsts(again.body), 54005);
    assert.match(again.body.error_description, /^AADSTS54005: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.equal(again.body.error_uri, 'https://login.microsoftonline.com/error?code=54005');
    assert.ok(again.body.trace_id && again.body.correlation_id && again.body.timestamp);
  });

  test('concurrent redemptions of one code: exactly one succeeds', async () => {
    const { code, verifier } = await consentCode();
    const results = await Promise.all([redeem(code, verifier), redeem(code, verifier), redeem(code, verifier)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
    assert.ok(results.filter((r) => r.status === 400).every((r) => aadsts(r.body) === 54005));
  });

  test('PKCE verifier mismatch is AADSTS501481', async () => {
    const { code } = await consentCode();
    const res = await redeem(code, pkce().verifier);
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
    assert.equal(aadsts(res.body), 501481);
  });

  test('a missing verifier when a challenge was sent is AADSTS501481', async () => {
    const { code } = await consentCode();
    const res = await token(emu.origins.global, 'common', { grant_type: 'authorization_code', client_id: MULTI.clientId, client_secret: MULTI.secret, code, redirect_uri: REDIRECT });
    assert.equal(aadsts(res.body), 501481);
  });

  test('plain PKCE (challenge without method) works', async () => {
    const verifier = pkce().verifier;
    const location = await emu.consent(authorizeUrl(emu.origins.global, { challenge: verifier }), { user: ADELE });
    assert.equal((await redeem(codeFrom(location), verifier)).status, 200);
  });

  test('redirect_uri differing from the authorize one: 500112 when registered, 50011 when not', async () => {
    const a = await consentCode();
    const other = await redeem(a.code, a.verifier, { redirect_uri: 'http://localhost:8080/api/v1/oauth/callback' });
    assert.equal(other.status, 400);
    assert.equal(aadsts(other.body), 500112);
    const b = await consentCode();
    const unknown = await redeem(b.code, b.verifier, { redirect_uri: 'http://evil.example/cb' });
    assert.equal(aadsts(unknown.body), 50011);
    assert.equal(unknown.body.error, 'invalid_request');
  });

  test('an expired code (10 minutes) is AADSTS70008', async () => {
    const { code, verifier } = await consentCode();
    emu.advanceClock(601);
    const res = await redeem(code, verifier);
    assert.equal(aadsts(res.body), 70008);
    assert.equal(res.body.error, 'invalid_grant');
  });

  test('an unknown code is AADSTS70000', async () => {
    const res = await redeem('not-a-code', 'x');
    assert.equal(aadsts(res.body), 70000);
  });

  test('without offline_access there is no refresh token; without openid no id token', async () => {
    const res = await signIn(emu, 'global', { scope: 'User.Read' });
    assert.equal(res.status, 200);
    assert.equal(res.body.refresh_token, undefined);
    assert.equal(res.body.id_token, undefined);
    assert.equal(res.body.scope, 'https://graph.microsoft.com/User.Read');
  });

  test('consent accumulates: a later token carries earlier consented permissions', async () => {
    await signIn(emu, 'global', { scope: 'openid Mail.Read' });
    const res = await signIn(emu, 'global', { scope: 'openid User.Read' });
    assert.deepEqual(claims(res.body.access_token).scp.split(' ').sort(), ['Mail.Read', 'User.Read', 'openid']);
  });

  test('.default means the app’s configured permissions', async () => {
    const res = await signIn(emu, 'global', { scope: 'https://graph.microsoft.com/.default offline_access' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const scp = claims(res.body.access_token).scp.split(' ');
    assert.ok(scp.includes('Mail.Send') && scp.includes('Calendars.ReadWrite.Shared') && scp.includes('User.Read'));
  });

  test('id token: v2.0 claims, nonce echoed, email only with the email scope', async () => {
    const res = await signIn(emu, 'global', { scope: 'openid profile email', extra: { nonce: 'n-0S6_WzA2Mj' } });
    const id = claims(res.body.id_token);
    assert.equal(id.aud, MULTI.clientId);
    assert.equal(id.iss, `https://login.microsoftonline.com/${CONTOSO}/v2.0`);
    assert.equal(id.nonce, 'n-0S6_WzA2Mj');
    assert.equal(id.preferred_username, ADELE);
    assert.equal(id.email, ADELE);
    assert.equal(id.tid, CONTOSO);
  });

  test('client_info=1 returns the home account ids', async () => {
    const p = pkce();
    const location = await emu.consent(authorizeUrl(emu.origins.global, { challenge: p.challenge, method: 'S256' }), { user: ADELE });
    const res = await redeem(codeFrom(location), p.verifier, { client_info: '1' });
    assert.deepEqual(JSON.parse(Buffer.from(res.body.client_info, 'base64url').toString()), { uid: '87d349ed-44d7-43e1-9a83-5f2406dee5bd', utid: CONTOSO });
  });

  test('HTTP Basic client authentication is accepted', async () => {
    const { code, verifier } = await consentCode();
    const basic = Buffer.from(`${encodeURIComponent(MULTI.clientId)}:${encodeURIComponent(MULTI.secret)}`).toString('base64');
    const res = await token(
      emu.origins.global,
      'common',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      { authorization: `Basic ${basic}` },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('a wrong secret is 401 invalid_client AADSTS7000215', async () => {
    const { code, verifier } = await consentCode();
    const res = await redeem(code, verifier, { client_secret: 'wrong' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.equal(aadsts(res.body), 7000215);
  });

  test('no secret is 401 invalid_client AADSTS7000218', async () => {
    const { code, verifier } = await consentCode();
    const res = await token(emu.origins.global, 'common', { grant_type: 'authorization_code', client_id: MULTI.clientId, code, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(res.status, 401);
    assert.equal(aadsts(res.body), 7000218);
  });

  test('an expired secret is 401 invalid_client AADSTS7000222', async () => {
    emu.upsertApp({
      clientId: '3b0f6e51-9d54-4c3b-8b1a-0e6f2f1c7a10',
      displayName: 'Expired secret app',
      homeTenant: 'contoso',
      signInAudience: 'multi',
      redirectUris: [REDIRECT],
      secrets: [{ value: 'old-secret', expiresAt: new Date(emu.now() - 1000).toISOString() }],
    });
    const res = await token(emu.origins.global, CONTOSO, {
      grant_type: 'client_credentials',
      client_id: '3b0f6e51-9d54-4c3b-8b1a-0e6f2f1c7a10',
      client_secret: 'old-secret',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.equal(res.status, 401);
    assert.equal(aadsts(res.body), 7000222);
  });

  test('missing grant_type is AADSTS900144; unknown grant type is unsupported_grant_type', async () => {
    const missing = await token(emu.origins.global, 'common', { client_id: MULTI.clientId });
    assert.equal(aadsts(missing.body), 900144);
    assert.equal(missing.body.error, 'invalid_request');
    const json = await fetch(`${emu.origins.global}/common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(aadsts(await json.json()), 900144, 'JSON bodies are not read');
    const unknown = await token(emu.origins.global, 'common', { grant_type: 'password', client_id: MULTI.clientId });
    assert.equal(unknown.body.error, 'unsupported_grant_type');
    assert.equal(aadsts(unknown.body), 70003);
  });
});

describe('authorize endpoint', () => {
  test('unknown client: error page with AADSTS700016, no redirect', async () => {
    const res = await fetch(authorizeUrl(emu.origins.global, { clientId: '11111111-2222-3333-4444-555555555555' }), { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /AADSTS700016: Application with identifier &#39;11111111-2222-3333-4444-555555555555&#39; was not found/);
  });

  test('unregistered redirect URI: error page with AADSTS50011, no redirect', async () => {
    await assert.rejects(emu.consent(authorizeUrl(emu.origins.global, { redirectUri: 'https://evil.example/cb' })), (err: unknown) => {
      assert.ok(err instanceof ConsentError);
      assert.match(err.message, /^AADSTS50011: The redirect URI 'https:\/\/evil.example\/cb'/);
      return true;
    });
  });

  test('missing scope is redirected as invalid_request AADSTS900144', async () => {
    const url = new URL(authorizeUrl(emu.origins.global));
    url.searchParams.delete('scope');
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description')!, /^AADSTS900144: .*'scope'/);
    assert.equal(back.searchParams.get('state'), 'state-123');
  });

  test('a scope Graph does not publish is AADSTS650053', async () => {
    const location = await emu.consent(authorizeUrl(emu.origins.global, { scope: 'openid Mail.Everything' }));
    const back = new URL(location);
    assert.equal(back.searchParams.get('error'), 'invalid_client');
    assert.match(back.searchParams.get('error_description')!, /^AADSTS650053: .*'Mail.Everything'/);
  });

  test('.default mixed with another Graph permission is AADSTS70011', async () => {
    const location = await emu.consent(authorizeUrl(emu.origins.global, { scope: 'https://graph.microsoft.com/.default User.Read' }));
    assert.equal(new URL(location).searchParams.get('error'), 'invalid_scope');
  });

  test('response_type other than code is unsupported_response_type', async () => {
    const res = await fetch(authorizeUrl(emu.origins.global, { extra: { response_type: 'token' } }), { redirect: 'manual' });
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'unsupported_response_type');
  });

  test('cancel redirects with access_denied AADSTS65004 and the state', async () => {
    const location = await emu.consent(authorizeUrl(emu.origins.global), { action: 'cancel' });
    const back = new URL(location);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.match(back.searchParams.get('error_description')!, /^AADSTS65004: User declined to consent to access the app\./);
    assert.equal(back.searchParams.get('state'), 'state-123');
  });

  test('the consent page lists the app, permissions and accounts; login_hint preselects', async () => {
    const res = await fetch(authorizeUrl(emu.origins.global, { extra: { login_hint: 'MeganB@contoso.onmicrosoft.com' } }));
    const html = await res.text();
    assert.match(html, /<strong id="app-name">Switchboard \(multi-tenant\)<\/strong>/);
    assert.match(html, /<code>Mail\.Read<\/code>/);
    assert.match(html, /<code>offline_access<\/code>/);
    assert.match(html, /<label for="user-\d">Sign in as Adele Vance \(AdeleV@contoso.onmicrosoft.com\)<\/label>/);
    assert.match(html, /value="48d31887-5fad-4d73-a9f5-3c356e68a038" checked/);
    assert.match(html, /<button type="submit" name="action" value="accept">Accept<\/button>/);
    assert.match(html, /<button type="submit" name="action" value="cancel" formnovalidate>Cancel<\/button>/);
    assert.doesNotMatch(html, /client_id|redirect_uri|code_challenge/, 'the form carries a transaction id, not the parameters');
  });

  test('accepting without an account re-renders the page with a problem; the transaction survives', async () => {
    const page = await (await fetch(authorizeUrl(emu.origins.global))).text();
    const tx = /name="tx" value="([^"]+)"/.exec(page)![1]!;
    const bad = await fetch(`${emu.origins.global}/common/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx, action: 'accept' }),
      redirect: 'manual',
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /role="alert">Choose an account to continue\./);
    const good = await fetch(`${emu.origins.global}/common/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx, action: 'accept', user: '87d349ed-44d7-43e1-9a83-5f2406dee5bd' }),
      redirect: 'manual',
    });
    assert.equal(good.status, 302);
    const replay = await fetch(`${emu.origins.global}/common/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx, action: 'accept', user: '87d349ed-44d7-43e1-9a83-5f2406dee5bd' }),
      redirect: 'manual',
    });
    assert.equal(replay.status, 400, 'a transaction is used once');
    assert.match(await replay.text(), /AADSTS50089/);
  });

  test('response_mode=form_post answers with an auto-submitting form', async () => {
    const res = await fetch(authorizeUrl(emu.origins.global, { extra: { response_mode: 'form_post' } }));
    const tx = /name="tx" value="([^"]+)"/.exec(await res.text())![1]!;
    const post = await fetch(`${emu.origins.global}/common/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tx, action: 'accept', user: '87d349ed-44d7-43e1-9a83-5f2406dee5bd' }),
      redirect: 'manual',
    });
    assert.equal(post.status, 200);
    const html = await post.text();
    assert.match(html, new RegExp(`<form method="post" name="hiddenform" action="${REDIRECT.replace(/[.?]/g, '\\$&')}">`));
    assert.match(html, /<input type="hidden" name="code" value="[^"]+">/);
    assert.match(html, /<input type="hidden" name="state" value="state-123">/);
    const viaHelper = await emu.consent(authorizeUrl(emu.origins.global, { extra: { response_mode: 'form_post' } }), { user: ADELE });
    assert.ok(codeFrom(viaHelper));
  });

  test('response_mode=fragment puts the result in the fragment', async () => {
    const location = await emu.consent(authorizeUrl(emu.origins.global, { extra: { response_mode: 'fragment' } }), { user: ADELE });
    const fragment = new URLSearchParams(new URL(location).hash.slice(1));
    assert.ok(fragment.get('code'));
    assert.equal(fragment.get('state'), 'state-123');
  });

  test('prompt=none: login_required without a hint, consent_required before consent, a code after', async () => {
    const silent = (hint?: string) =>
      emu.consent(authorizeUrl(emu.origins.global, { scope: 'openid User.Read', extra: { prompt: 'none', ...(hint ? { login_hint: hint } : {}) } }));
    assert.equal(new URL(await silent()).searchParams.get('error'), 'login_required');
    assert.equal(new URL(await silent(ADELE)).searchParams.get('error'), 'consent_required');
    await signIn(emu, 'global', { scope: 'openid User.Read' });
    assert.ok(codeFrom(await silent(ADELE)));
  });

  test('a pkceRequired app without a challenge gets invalid_request AADSTS9002325', async () => {
    emu.upsertApp({ clientId: '5d1f1a4e-0c5b-4f7e-9a2d-6b8c9d0e1f2a', displayName: 'SPA', homeTenant: 'contoso', publicClient: true, pkceRequired: true, redirectUris: [REDIRECT] });
    const location = await emu.consent(authorizeUrl(emu.origins.global, { tenant: CONTOSO, clientId: '5d1f1a4e-0c5b-4f7e-9a2d-6b8c9d0e1f2a' }));
    assert.match(new URL(location).searchParams.get('error_description')!, /^AADSTS9002325/);
  });

  test('a public client redeems with PKCE and no secret; a secret from it is AADSTS700025', async () => {
    const clientId = '5d1f1a4e-0c5b-4f7e-9a2d-6b8c9d0e1f2a';
    emu.upsertApp({ clientId, displayName: 'Desktop', homeTenant: 'contoso', publicClient: true, redirectUris: [REDIRECT] });
    const p = pkce();
    const code = codeFrom(await emu.consent(authorizeUrl(emu.origins.global, { tenant: CONTOSO, clientId, challenge: p.challenge, method: 'S256' }), { user: ADELE }));
    const ok = await token(emu.origins.global, CONTOSO, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: p.verifier });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(claims(ok.body.access_token).appidacr, '0');
    const withSecret = await token(emu.origins.global, CONTOSO, { grant_type: 'authorization_code', client_id: clientId, client_secret: 'x', code, redirect_uri: REDIRECT });
    assert.equal(aadsts(withSecret.body), 700025);
  });
});
