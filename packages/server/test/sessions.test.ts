import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword, verifyPassword } from '../src/access/passwords.ts';
import { ADELE, APP, type MicrosoftSetup, startWithEmulator } from './support/microsoft.ts';
import { STORE_KINDS } from './support/stores.ts';
import { type TestService, startTestService } from './support/service.ts';

const ADMIN_EMAIL = 'admin@switchboard.local';
const ADMIN_PASSWORD = 'correct horse battery staple';

/** The browser's side of a session: the cookie jar of one user, and the CSRF token it read. */
interface Browser {
  cookie: string;
  csrf: string;
}

function sessionCookie(res: LightMyRequestResponse) {
  const cookie = res.cookies.find((c) => c.name === 'sb_session' || c.name === '__Host-sb_session');
  assert.ok(cookie, `a session cookie is set: ${JSON.stringify(res.headers['set-cookie'])}`);
  return cookie;
}

async function signIn(s: TestService, email: string, password: string): Promise<Browser> {
  const res = await s.api('POST', '/api/v1/session', { key: null, body: { email, password } });
  assert.equal(res.statusCode, 201, res.body);
  const cookie = sessionCookie(res);
  return { cookie: `${cookie.name}=${cookie.value}`, csrf: res.json().csrfToken };
}

/** A request as the console makes it: the cookie, and the CSRF token unless told otherwise. */
function asBrowser(s: TestService, b: Browser, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, options: { body?: unknown; csrf?: string | null } = {}) {
  const csrf = options.csrf === undefined ? b.csrf : options.csrf;
  return s.api(method, url, { key: null, body: options.body, headers: { cookie: b.cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) } });
}

for (const kind of STORE_KINDS) {
  describe(`console sessions (${kind} store)`, () => {
    let s: TestService;
    before(async () => {
      s = await startTestService(kind, { SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD });
    });
    after(() => s.close());

    test('signing in sets an httpOnly, SameSite=Lax session cookie and says who is signed in', async () => {
      const res = await s.api('POST', '/api/v1/session', { key: null, body: { email: 'Admin@Switchboard.local', password: ADMIN_PASSWORD } });
      assert.equal(res.statusCode, 201, res.body);
      const cookie = sessionCookie(res);
      assert.equal(cookie.name, 'sb_session');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(!cookie.secure, 'no Secure flag on a plain-http PUBLIC_URL');
      assert.equal(cookie.maxAge, 168 * 3600);
      assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
      const body = res.json();
      assert.equal(body.user.email, ADMIN_EMAIL);
      assert.equal(body.user.isTenantAdmin, true);
      assert.equal(body.authenticatedWith, 'session');
      assert.ok(body.csrfToken && body.csrfToken !== cookie.value);

      const me = await s.api('GET', '/api/v1/session', { key: null, headers: { cookie: `sb_session=${cookie.value}` } });
      assert.equal(me.statusCode, 200, me.body);
      assert.equal(me.json().user.email, ADMIN_EMAIL);
      assert.equal(me.json().csrfToken, body.csrfToken);
    });

    test('the store holds a hash of the session token, never the token', async () => {
      const b = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const token = b.cookie.split('=')[1]!;
      const rows = await s.store.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
      assert.ok(rows.length > 0);
      assert.ok(rows.every((r) => r.token_hash !== token && !r.token_hash.includes(token)));
    });

    test('a wrong password and an unknown email get the same answer', async () => {
      const wrong = await s.api('POST', '/api/v1/session', { key: null, body: { email: ADMIN_EMAIL, password: 'not the password' }, headers: { 'x-forwarded-for': '1' } });
      const unknown = await s.api('POST', '/api/v1/session', { key: null, body: { email: 'nobody@example.com', password: 'not the password' } });
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401, res.body);
        assert.equal(res.json().code, 'INVALID_CREDENTIALS');
        assert.equal(res.json().detail, 'The email or password is not correct.');
        assert.equal(res.headers['set-cookie'], undefined);
      }
    });

    test('state-changing requests with the cookie need the CSRF token; API keys do not', async () => {
      const b = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const missing = await asBrowser(s, b, 'POST', '/api/v1/folders', { body: { name: `csrf-${kind}` }, csrf: null });
      assert.equal(missing.statusCode, 403, missing.body);
      assert.equal(missing.json().code, 'CSRF_TOKEN_INVALID');
      const wrong = await asBrowser(s, b, 'POST', '/api/v1/folders', { body: { name: `csrf-${kind}` }, csrf: 'x'.repeat(43) });
      assert.equal(wrong.json().code, 'CSRF_TOKEN_INVALID');
      const otherSession = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const crossed = await asBrowser(s, b, 'POST', '/api/v1/folders', { body: { name: `csrf-${kind}` }, csrf: otherSession.csrf });
      assert.equal(crossed.json().code, 'CSRF_TOKEN_INVALID', 'a token belongs to its own session');
      const reads = await asBrowser(s, b, 'GET', '/api/v1/folders', { csrf: null });
      assert.equal(reads.statusCode, 200, 'reads need no token');

      const ok = await asBrowser(s, b, 'POST', '/api/v1/folders', { body: { name: `csrf-${kind}` } });
      assert.equal(ok.statusCode, 201, ok.body);
      const withKey = await s.api('POST', '/api/v1/folders', { body: { name: `key-${kind}` } });
      assert.equal(withKey.statusCode, 201, withKey.body);
      const keySession = await s.api('GET', '/api/v1/session');
      assert.equal(keySession.json().authenticatedWith, 'api-key');
      assert.equal(keySession.json().csrfToken, null);
    });

    test('signing out revokes the session', async () => {
      const b = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const refused = await asBrowser(s, b, 'DELETE', '/api/v1/session', { csrf: null });
      assert.equal(refused.statusCode, 403, 'sign-out is state-changing too: a foreign page cannot sign people out');
      const out = await asBrowser(s, b, 'DELETE', '/api/v1/session');
      assert.equal(out.statusCode, 204, out.body);
      const cleared = out.cookies.find((c) => c.name === 'sb_session');
      assert.equal(cleared?.value, '');
      assert.equal(cleared?.maxAge, 0);
      const after = await asBrowser(s, b, 'GET', '/api/v1/session');
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().code, 'UNAUTHENTICATED');
    });

    test('sessions expire when idle and at their absolute end', async () => {
      const idle = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const old = await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
      const hashOf = async (b: Browser) => (await s.store.db.query<{ token_hash: string }>("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS token_hash", [b.cookie.split('=')[1]]))[0]!.token_hash;
      assert.equal((await asBrowser(s, idle, 'GET', '/api/v1/session')).statusCode, 200);
      await s.store.db.query("UPDATE sessions SET last_seen_at = now() - interval '481 minutes' WHERE token_hash = $1", [await hashOf(idle)]);
      await s.store.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [await hashOf(old)]);
      assert.equal((await asBrowser(s, idle, 'GET', '/api/v1/session')).statusCode, 401, 'idle for longer than SWITCHBOARD_SESSION_IDLE_MINUTES');
      assert.equal((await asBrowser(s, old, 'GET', '/api/v1/session')).statusCode, 401, 'past the absolute end');
    });

    test('invitation links let a new user choose a password, once; password changes sign out other sessions', async () => {
      const created = await s.api('POST', '/api/v1/users', { body: { email: `bob-${kind}@example.com`, displayName: 'Bob' } });
      assert.equal(created.statusCode, 201, created.body);
      const bobId = created.json().id;
      const invite = await s.api('POST', `/api/v1/users/${bobId}/invitation`);
      assert.equal(invite.statusCode, 201, invite.body);
      const url = new URL(invite.json().invitationUrl);
      assert.equal(url.origin + url.pathname, `${s.sb.config.publicUrl}/invitation`, 'links point at PUBLIC_URL');
      assert.equal(url.search, '', 'the token is in the fragment, which browsers never send to a server');
      const token = new URLSearchParams(url.hash.slice(1)).get('token')!;

      const short = await s.api('POST', '/api/v1/session/invitation', { key: null, body: { token, password: 'short' } });
      assert.equal(short.statusCode, 400);
      assert.equal(short.json().code, 'VALIDATION_FAILED');
      const redeemed = await s.api('POST', '/api/v1/session/invitation', { key: null, body: { token, password: 'bobs first password' } });
      assert.equal(redeemed.statusCode, 201, redeemed.body);
      assert.equal(redeemed.json().user.email, `bob-${kind}@example.com`);
      const again = await s.api('POST', '/api/v1/session/invitation', { key: null, body: { token, password: 'bobs other password' } });
      assert.equal(again.json().code, 'INVITATION_INVALID', 'a link works once');

      const bob = await signIn(s, `bob-${kind}@example.com`, 'bobs first password');
      const bobElsewhere = await signIn(s, `bob-${kind}@example.com`, 'bobs first password');
      const cannotInvite = await asBrowser(s, bob, 'POST', `/api/v1/users/${bobId}/invitation`);
      assert.equal(cannotInvite.statusCode, 403, 'only tenant administrators create sign-in links');

      const badCurrent = await asBrowser(s, bob, 'POST', '/api/v1/session/password', { body: { currentPassword: 'wrong wrong wrong', newPassword: 'bobs second password' } });
      assert.equal(badCurrent.statusCode, 400);
      const changed = await asBrowser(s, bob, 'POST', '/api/v1/session/password', { body: { currentPassword: 'bobs first password', newPassword: 'bobs second password' } });
      assert.equal(changed.statusCode, 204, changed.body);
      assert.equal((await asBrowser(s, bob, 'GET', '/api/v1/session')).statusCode, 200, 'the session that changed it stays');
      assert.equal((await asBrowser(s, bobElsewhere, 'GET', '/api/v1/session')).statusCode, 401, 'other sessions end');
      const oldPassword = await s.api('POST', '/api/v1/session', { key: null, body: { email: `bob-${kind}@example.com`, password: 'bobs first password' } });
      assert.equal(oldPassword.statusCode, 401);
      await signIn(s, `bob-${kind}@example.com`, 'bobs second password');
    });

    test('repeated failures for one email from one address are paused, even for the right password', async () => {
      const email = `carol-${kind}@example.com`;
      const created = await s.api('POST', '/api/v1/users', { body: { email } });
      const token = new URL((await s.api('POST', `/api/v1/users/${created.json().id}/invitation`)).json().invitationUrl).hash.split('=')[1]!;
      await s.api('POST', '/api/v1/session/invitation', { key: null, body: { token, password: 'carols real password' } });
      for (let i = 0; i < 5; i++) {
        const res = await s.api('POST', '/api/v1/session', { key: null, body: { email, password: `guess number ${i}` } });
        assert.equal(res.statusCode, 401);
      }
      const paused = await s.api('POST', '/api/v1/session', { key: null, body: { email, password: 'carols real password' } });
      assert.equal(paused.statusCode, 429, paused.body);
      assert.equal(paused.json().code, 'SIGN_IN_RATE_LIMITED');
      assert.ok(Number(paused.headers['retry-after']) > 0);
      await signIn(s, ADMIN_EMAIL, ADMIN_PASSWORD);
    });
  });
}

describe('passwords', () => {
  test('are stored as salted scrypt hashes that do not contain or reveal the password', async () => {
    const s = await startTestService('embedded', { SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD });
    try {
      const [row] = await s.store.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [ADMIN_EMAIL]);
      const stored = row!.password_hash;
      assert.match(stored, /^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      assert.ok(!stored.includes(ADMIN_PASSWORD) && !stored.includes(Buffer.from(ADMIN_PASSWORD).toString('base64url')));
      assert.notEqual(await hashPassword(ADMIN_PASSWORD), stored, 'a fresh salt every time');
      assert.equal(await verifyPassword(ADMIN_PASSWORD, stored), true);
      assert.equal(await verifyPassword(`${ADMIN_PASSWORD} `, stored), false);
      assert.equal(await verifyPassword(ADMIN_PASSWORD, 'scrypt$15$8$1$bad'), false, 'a malformed hash never matches');
    } finally {
      await s.close();
    }
  });

  test('the bootstrap administrator gets a generated password when none is configured', async () => {
    const s = await startTestService('embedded');
    try {
      const generated = s.sb.bootstrap?.generatedPassword;
      assert.ok(generated && generated.length >= 20);
      await signIn(s, ADMIN_EMAIL, generated);
    } finally {
      await s.close();
    }
  });

  test('cookies are Secure with the __Host- prefix when PUBLIC_URL is https', async () => {
    const s = await startTestService('embedded', { SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, PUBLIC_URL: 'https://switchboard.example' });
    try {
      const res = await s.api('POST', '/api/v1/session', { key: null, body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
      const cookie = sessionCookie(res);
      assert.equal(cookie.name, '__Host-sb_session');
      assert.equal(cookie.secure, true);
      const me = await s.api('GET', '/api/v1/session', { key: null, headers: { cookie: `__Host-sb_session=${cookie.value}` } });
      assert.equal(me.statusCode, 200);
    } finally {
      await s.close();
    }
  });
});

describe('the OAuth callback and the console session', () => {
  let setup: MicrosoftSetup;
  before(async () => {
    setup = await startWithEmulator('embedded');
  });
  after(() => setup.close());

  async function consented(): Promise<string> {
    const created = await setup.s.api('POST', '/api/v1/connections', {
      body: { folderId: setup.folderId, connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientId: APP.clientId, clientSecret: APP.secret, environment: 'office365' } },
    });
    assert.equal(created.statusCode, 202, created.body);
    const location = new URL(await setup.em.consent(created.json().authorizationUrl, { user: ADELE }));
    return location.pathname + location.search;
  }

  test('binds the consent to the signed-in user who started it', async () => {
    const s = setup.s;
    const admin = await s.api('POST', '/api/v1/users', { body: { email: 'dana@example.com' } });
    const token = new URL((await s.api('POST', `/api/v1/users/${admin.json().id}/invitation`)).json().invitationUrl).hash.split('=')[1]!;
    const dana = await s.api('POST', '/api/v1/session/invitation', { key: null, body: { token, password: 'danas long password' } });
    const danaCookie = sessionCookie(dana);

    // The administrator started it (API key); Dana's browser brings the callback back.
    const foreign = await s.api('GET', await consented(), { key: null, headers: { accept: 'application/json', cookie: `sb_session=${danaCookie.value}` } });
    assert.equal(foreign.statusCode, 400, foreign.body);
    assert.match(foreign.json().detail, /started by another user/);

    const adminSession = await signIn(s, ADMIN_EMAIL, s.sb.bootstrap!.generatedPassword!);
    const own = await s.api('GET', await consented(), { key: null, headers: { accept: 'application/json', cookie: adminSession.cookie } });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().status, 'Connected');
  });
});
