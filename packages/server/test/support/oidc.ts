import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, type JWK, decodeJwt, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import type { ProviderContext } from 'oidc-provider';

/**
 * A real, certified OpenID provider (oidc-provider) on 127.0.0.1 for the generic auth types:
 * authorization code with PKCE and rotating refresh tokens (with reuse detection), client
 * credentials with a secret or with private_key_jwt, an RFC 7523 jwt-bearer grant for
 * service accounts, revocation and introspection. Everything it was asked is recorded so
 * tests can assert on the protocol, not only on Switchboard's answers.
 */

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const secret = () => randomBytes(24).toString('base64url');

export interface KeyMaterial {
  /** PKCS#8 PEM, as a person pastes it into the connection form. */
  privateKeyPem: string;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateJwk: JWK;
}

export async function rsaKey(kid?: string): Promise<KeyMaterial> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const named = { alg: 'RS256', use: 'sig', ...(kid ? { kid } : {}) };
  return {
    privateKeyPem: await exportPKCS8(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), ...named },
    publicKey,
    privateJwk: { ...(await exportJWK(privateKey)), ...named },
  };
}

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  status: number;
  error: string | undefined;
  /** Present on authorization_code requests that carried a PKCE verifier. */
  codeVerifier: string | undefined;
}

export interface OidcServer {
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  introspectionUrl: string;
  revocationUrl: string;
  clients: {
    /** Confidential web app: authorization code + PKCE + rotating refresh tokens. */
    web: { id: string; secret: string };
    /** Client credentials with a client secret. */
    service: { id: string; secret: string; scope: string };
    /** Client credentials authenticated with private_key_jwt. */
    cert: { id: string; kid: string; key: KeyMaterial; scope: string };
    /** The resource server: introspects bearer tokens. */
    vendor: { id: string; secret: string };
    /** The client jwt-bearer requests identify as (Switchboard sends no client credential with that grant). */
    assertionClient: { id: string };
  };
  /** A service account for the jwt-bearer grant: its assertion must be signed with `key`. */
  serviceAccount: { issuer: string; subject: string; key: KeyMaterial };
  /** Query parameters of every authorization request, in order. */
  authorizationRequests: Record<string, string>[];
  tokenRequests: TokenRequest[];
  /** Decoded private_key_jwt client assertions that passed verification. */
  clientAssertions: { header: Record<string, unknown>; payload: Record<string, unknown> }[];
  /** Verified jwt-bearer grant assertions. */
  grantAssertions: Record<string, unknown>[];
  revocations: number;
  introspect(token: string): Promise<Record<string, unknown>>;
  /** A refresh grant sent directly, as an attacker replaying a stolen refresh token would. */
  refreshDirectly(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** oidc-provider announces its development defaults on the console; the tests configure what matters. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { warn, info } = console;
  const filter = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
    original(...args);
  };
  console.warn = filter(warn);
  console.info = filter(info);
  try {
    return await fn();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<OidcServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenUrl = `${issuer}/token`;

  const [signing, certKey, accountKey] = await Promise.all([rsaKey('op-signing'), rsaKey('cert-key-1'), rsaKey()]);

  const clients: OidcServer['clients'] = {
    web: { id: 'web-app', secret: secret() },
    service: { id: 'service-app', secret: secret(), scope: 'api:read' },
    cert: { id: 'cert-app', kid: 'cert-key-1', key: certKey, scope: 'api:read' },
    vendor: { id: 'vendor-api', secret: secret() },
    assertionClient: { id: 'switchboard' },
  };
  const serviceAccount = { issuer: 'robot@service-accounts.test', subject: 'robot', key: accountKey };

  const recorded = {
    authorizationRequests: [] as Record<string, string>[],
    tokenRequests: [] as TokenRequest[],
    clientAssertions: [] as OidcServer['clientAssertions'],
    grantAssertions: [] as Record<string, unknown>[],
    revocations: 0,
  };

  const { default: Provider, errors } = await quietly(() => import('oidc-provider'));
  const provider = await quietly(async () =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clients.web.id,
          client_secret: clients.web.secret,
          redirect_uris: [options.redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
          scope: 'openid api:read',
        },
        {
          client_id: clients.service.id,
          client_secret: clients.service.secret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_post',
          scope: clients.service.scope,
        },
        {
          client_id: clients.cert.id,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'RS256',
          jwks: { keys: [certKey.publicJwk] },
          scope: clients.cert.scope,
        },
        {
          client_id: clients.assertionClient.id,
          grant_types: [JWT_BEARER_GRANT],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'none',
        },
        {
          client_id: clients.vendor.id,
          client_secret: clients.vendor.secret,
          grant_types: [],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [signing.privateJwk] },
      cookies: { keys: [secret()] },
      scopes: ['openid', 'offline_access', 'api:read'],
      // Every authorization request must carry an S256 code challenge, confidential client or not.
      pkce: { required: () => true },
      // Refresh tokens for the web app without offline_access/prompt=consent, rotated on every use:
      // presenting a consumed one revokes the whole grant (reuse detection).
      issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: true,
      findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
      ttl: { AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, RefreshToken: 14 * 24 * 3600, Interaction: 600, Session: 3600, Grant: 14 * 24 * 3600 },
      features: {
        devInteractions: { enabled: true },
        clientCredentials: { enabled: true },
        introspection: {
          enabled: true,
          // The resource server may introspect any token; clients only their own.
          allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => client.clientId === clients.vendor.id || token.clientId === client.clientId,
        },
        revocation: {
          enabled: true,
          allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId,
        },
      },
      assertJwtClientAuthClaimsAndHeader: async (_ctx: unknown, claims: Record<string, unknown>, header: Record<string, unknown>) => {
        recorded.clientAssertions.push({ header, payload: claims });
      },
      renderError: async (ctx: ProviderContext, out: Record<string, string>) => {
        ctx.body = `<!doctype html><title>oops</title><p>${out.error ?? 'error'}: ${out.error_description ?? ''}</p>`;
      },
    }),
  );

  // RFC 7523 §2.1 / §3: the assertion is the credential. Signature with the service account's key,
  // iss = the account, sub present, aud = this server, exp in the future, jti used once.
  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx) => {
      const assertion = ctx.oidc.params.assertion;
      if (!assertion) throw new errors.InvalidRequest('missing required parameter assertion');
      let claims: Record<string, unknown>;
      try {
        claims = decodeJwt(assertion);
      } catch {
        throw new errors.InvalidGrant('the assertion is not a JWT');
      }
      if (claims.iss !== serviceAccount.issuer) throw new errors.InvalidGrant('unknown assertion issuer');
      try {
        await jwtVerify(assertion, serviceAccount.key.publicKey, {
          issuer: serviceAccount.issuer,
          audience: [tokenUrl, issuer],
          algorithms: ['RS256', 'PS256'],
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
          maxTokenAge: '1h',
        });
      } catch (error) {
        throw new errors.InvalidGrant(`assertion rejected: ${(error as Error).message}`);
      }
      if (claims.sub !== serviceAccount.subject) throw new errors.InvalidGrant('the service account may not act as this subject');
      if (!(await provider.ReplayDetection.unique(String(claims.iss), String(claims.jti), Number(claims.exp)))) {
        throw new errors.InvalidGrant('assertion already used');
      }
      recorded.grantAssertions.push(claims);
      const token = new provider.AccessToken({ accountId: String(claims.sub), client: ctx.oidc.client, gty: 'jwt-bearer', scope: typeof claims.scope === 'string' ? claims.scope : undefined });
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, ...(typeof claims.scope === 'string' && claims.scope ? { scope: claims.scope } : {}) };
    },
    ['assertion', 'scope'],
  );

  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/auth') recorded.authorizationRequests.push(Object.fromEntries(new URL(ctx.href).searchParams));
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const body = (ctx.body ?? {}) as { error?: string };
      recorded.tokenRequests.push({
        grantType: ctx.oidc?.params?.grant_type,
        clientId: ctx.oidc?.client?.clientId,
        status: ctx.status,
        error: body.error,
        codeVerifier: ctx.oidc?.params?.code_verifier,
      });
    }
    if (ctx.method === 'POST' && ctx.path === '/token/revocation' && ctx.status === 200) recorded.revocations++;
  });

  server.on('request', provider.callback());

  const basic = (id: string, pass: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(pass)}`).toString('base64')}`;

  return {
    issuer,
    authorizationUrl: `${issuer}/auth`,
    tokenUrl,
    introspectionUrl: `${issuer}/token/introspection`,
    revocationUrl: `${issuer}/token/revocation`,
    clients,
    serviceAccount,
    ...recorded,
    get revocations() {
      return recorded.revocations;
    },
    async introspect(token) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: basic(clients.vendor.id, clients.vendor.secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      assert.equal(res.status, 200, 'introspection answers');
      return (await res.json()) as Record<string, unknown>;
    },
    async refreshDirectly(refreshToken) {
      const res = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clients.web.id, client_secret: clients.web.secret }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---- the browser ----

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/**
 * Just enough of a browser for oidc-provider's development interaction pages: follows
 * redirects by hand, keeps cookies (by name and path), reads the login and consent forms and
 * posts them. Stops at the first redirect to `stopAt` (the client's redirect URI) and returns
 * that URL without requesting it.
 */
export class Browser {
  private readonly cookies: Cookie[] = [];
  /** Every URL this browser requested, in order. */
  readonly visited: string[] = [];

  constructor(private readonly stopAt: string) {}

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [k, v = ''] = attribute.split('=');
        if (k!.toLowerCase() === 'path') path = v;
        if (k!.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        if (k!.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const i = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (i >= 0) this.cookies.splice(i, 1);
      if (!expired) this.cookies.push({ name, value, path });
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    this.visited.push(target.href);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(target, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    });
    this.store(target, response);
    return response;
  }

  /**
   * Opens the authorization URL and acts as the person: signs in as `login`, then accepts the
   * consent (or cancels it with `deny`). Returns the redirect to the client's redirect URI.
   */
  async authorize(authorizationUrl: string, options: { login?: string; deny?: boolean } = {}): Promise<string> {
    let response = await this.request(authorizationUrl);
    let url = authorizationUrl;
    for (let step = 0; step < 12; step++) {
      if (response.status >= 300 && response.status < 400) {
        const location = new URL(response.headers.get('location')!, url).href;
        if (location.startsWith(this.stopAt)) return location;
        url = location;
        response = await this.request(url);
        continue;
      }
      const html = await response.text();
      assert.equal(response.status, 200, `unexpected page at ${url}: ${html.slice(0, 500)}`);
      const form = readForm(html, url);
      if (form.fields.prompt === 'login') {
        url = form.action;
        response = await this.request(url, { method: 'POST', form: { ...form.fields, login: options.login ?? 'alice', password: 'any password' } });
      } else if (form.fields.prompt === 'consent') {
        if (options.deny) {
          const abort = /<a href="([^"]+\/abort)"/.exec(html);
          assert.ok(abort, 'the consent page offers a way to cancel');
          url = new URL(unescapeHtml(abort[1]!), url).href;
          response = await this.request(url);
        } else {
          url = form.action;
          response = await this.request(url, { method: 'POST', form: form.fields });
        }
      } else {
        assert.fail(`unexpected form at ${url}: ${html.slice(0, 500)}`);
      }
    }
    assert.fail('the authorization did not come back to the redirect URI');
  }
}

function unescapeHtml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The page's POST form: its absolute action and its hidden fields. */
function readForm(html: string, base: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  assert.ok(form, `no form on the page: ${html.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    if (!/type="hidden"/i.test(tag)) continue;
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    const value = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (name) fields[name] = unescapeHtml(value);
  }
  return { action: new URL(unescapeHtml(form[1]!), base).href, fields };
}
