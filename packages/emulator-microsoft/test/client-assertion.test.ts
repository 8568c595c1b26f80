import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import type { MicrosoftEmulator } from '../src/index.ts';
import { ADELE, CONTOSO, REDIRECT, aadsts, authorizeUrl, claims, codeFrom, graph, pkce, start, token } from './helpers.ts';

const CLIENT_ID = '2c4e6a8c-0e2a-4c6e-8a0c-2e4a6c8e0a2e';
let emu: MicrosoftEmulator;
let rsKey: CryptoKey;
let psKey: CryptoKey;
let otherKey: CryptoKey;
let rsPub: string;
let psPub: string;

before(async () => {
  emu = await start();
  const rs = await generateKeyPair('RS256');
  const ps = await generateKeyPair('PS256');
  rsKey = rs.privateKey;
  psKey = ps.privateKey;
  rsPub = await exportSPKI(rs.publicKey);
  psPub = await exportSPKI(ps.publicKey);
  otherKey = (await generateKeyPair('RS256')).privateKey;
});
after(() => emu.close());

beforeEach(() => {
  emu.reset();
  emu.upsertApp({
    clientId: CLIENT_ID,
    displayName: 'Certificate app',
    homeTenant: 'contoso',
    signInAudience: 'multi',
    redirectUris: [REDIRECT],
    certificates: [
      { kid: 'rs-key', publicKeyPem: rsPub },
      { kid: 'ps-key', publicKeyPem: psPub },
    ],
    applicationPermissions: { contoso: ['User.Read.All'] },
  });
});

interface AssertionOptions {
  key?: CryptoKey;
  alg?: 'RS256' | 'PS256';
  kid?: string;
  aud?: string;
  iss?: string;
  jti?: string;
  expiresIn?: number;
}

function assertion(o: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(emu.now() / 1000);
  return new SignJWT({ jti: o.jti ?? randomUUID() })
    .setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? 'rs-key', typ: 'JWT' })
    .setIssuer(o.iss ?? CLIENT_ID)
    .setSubject(CLIENT_ID)
    .setAudience(o.aud ?? `https://login.microsoftonline.com/${CONTOSO}/oauth2/v2.0/token`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (o.expiresIn ?? 600))
    .sign(o.key ?? rsKey);
}

const withAssertion = async (jwt: string, tenant: string = CONTOSO) =>
  token(emu.origins.global, tenant, {
    grant_type: 'client_credentials',
    client_id: CLIENT_ID,
    scope: 'https://graph.microsoft.com/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
  });

describe('private_key_jwt client authentication', () => {
  test('an RS256 assertion for the real token endpoint URL is accepted', async () => {
    const res = await withAssertion(await assertion());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const at = claims(res.body.access_token);
    assert.equal(at.appidacr, '2');
    assert.deepEqual(at.roles, ['User.Read.All']);
    assert.equal((await graph(emu.origins.global, `/v1.0/users/${ADELE}`, res.body.access_token)).status, 200);
  });

  test('PS256, and an audience naming the local origin or the tenant domain, are accepted', async () => {
    assert.equal((await withAssertion(await assertion({ alg: 'PS256', key: psKey, kid: 'ps-key' }))).status, 200);
    assert.equal((await withAssertion(await assertion({ aud: `${emu.origins.global}/${CONTOSO}/oauth2/v2.0/token` }))).status, 200);
    const byDomain = await withAssertion(await assertion({ aud: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token' }), 'contoso.onmicrosoft.com');
    assert.equal(byDomain.status, 200, JSON.stringify(byDomain.body));
  });

  test('works for code redemption too', async () => {
    const p = pkce();
    const location = await emu.consent(authorizeUrl(emu.origins.global, { clientId: CLIENT_ID, challenge: p.challenge, method: 'S256', scope: 'openid User.Read' }), { user: ADELE });
    const res = await token(emu.origins.global, 'common', {
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: codeFrom(location),
      redirect_uri: REDIRECT,
      code_verifier: p.verifier,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion({ aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('a jti is single-use', async () => {
    const jwt = await assertion();
    assert.equal((await withAssertion(jwt)).status, 200);
    const replay = await withAssertion(jwt);
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error, 'invalid_client');
    assert.equal(aadsts(replay.body), 50027);
  });

  test('an unregistered key id is AADSTS700027 (key not found)', async () => {
    const res = await withAssertion(await assertion({ kid: 'unknown' }));
    assert.equal(res.status, 401);
    assert.equal(aadsts(res.body), 700027);
    assert.match(res.body.error_description, /The key was not found/);
  });

  test('a signature by another key is AADSTS700027 (verification failed)', async () => {
    const res = await withAssertion(await assertion({ key: otherKey }));
    assert.equal(aadsts(res.body), 700027);
    assert.match(res.body.error_description, /Key was found, but use of the key to verify the signature failed/);
  });

  test('an expired assertion is AADSTS700024', async () => {
    const jwt = await assertion({ expiresIn: 60 });
    emu.advanceClock(60 + 301);
    const res = await withAssertion(jwt);
    assert.equal(aadsts(res.body), 700024);
  });

  test('iss must be the client id (AADSTS700021); aud must be the token endpoint (AADSTS50013)', async () => {
    assert.equal(aadsts((await withAssertion(await assertion({ iss: 'someone-else' }))).body), 700021);
    const wrongAud = await withAssertion(await assertion({ aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize' }));
    assert.equal(aadsts(wrongAud.body), 50013);
    const otherCloud = await withAssertion(await assertion({ aud: `https://login.microsoftonline.us/${CONTOSO}/oauth2/v2.0/token` }));
    assert.equal(aadsts(otherCloud.body), 50013);
  });

  test('an X.509 certificate is matched by the x5t thumbprint MSAL sends', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=emulator-test'], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not available');
      return;
    }
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const key = createPrivateKey(readFileSync(join(dir, 'key.pem')));
    rmSync(dir, { recursive: true, force: true });
    const x5t = createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64url');
    emu.upsertApp({ clientId: CLIENT_ID, displayName: 'Cert app', homeTenant: 'contoso', certificates: [{ publicKeyPem: certPem }], applicationPermissions: { contoso: ['User.Read.All'] } });
    assert.equal(emu.snapshot().apps.find((a) => a.clientId === CLIENT_ID)!.certificates[0]!.x5t, x5t);
    const now = Math.floor(emu.now() / 1000);
    const jwt = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', x5t, typ: 'JWT' })
      .setIssuer(CLIENT_ID)
      .setSubject(CLIENT_ID)
      .setAudience(`https://login.microsoftonline.com/${CONTOSO}/oauth2/v2.0/token`)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key);
    const res = await withAssertion(jwt);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('registration rejects what cannot verify an assertion', () => {
    const app = { clientId: CLIENT_ID, displayName: 'x', homeTenant: 'contoso' };
    assert.throws(() => emu.upsertApp({ ...app, certificates: [{ publicKeyPem: 'not a pem' }] }), /publicKeyPem is not a PEM public key or certificate/);
    assert.throws(() => emu.upsertApp({ ...app, certificates: [{ publicKeyPem: rsPub }] }), /needs a kid or x5t/);
  });
});
