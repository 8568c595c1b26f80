/** Shared test helpers: starting an emulator, building authorize URLs, calling the token endpoint and Graph. */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import {
  DEFAULT_REDIRECT_URIS,
  DEFAULT_SEED_IDS,
  startMicrosoftEmulator,
  type MicrosoftEmulator,
  type StartMicrosoftEmulatorOptions,
} from '../src/index.ts';

export const MULTI = DEFAULT_SEED_IDS.apps.multiTenant;
export const SINGLE = DEFAULT_SEED_IDS.apps.singleTenant;
export const REDIRECT = DEFAULT_REDIRECT_URIS[0]!;
export const CONTOSO = DEFAULT_SEED_IDS.tenants.contoso;
export const FABRIKAM = DEFAULT_SEED_IDS.tenants.fabrikam;
export const ADELE = 'AdeleV@contoso.onmicrosoft.com';
export const CONNECTOR_SCOPE = 'openid profile email offline_access User.Read Mail.Read';

export type LoginListener = 'global' | 'usgov' | 'china';

export function start(options: StartMicrosoftEmulatorOptions = {}): Promise<MicrosoftEmulator> {
  return startMicrosoftEmulator({ port: 0, ...options });
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  tenant?: string;
  clientId?: string;
  scope?: string;
  redirectUri?: string;
  state?: string;
  challenge?: string;
  method?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(origin: string, p: AuthorizeParams = {}): string {
  const url = new URL(`${origin}/${p.tenant ?? 'common'}/oauth2/v2.0/authorize`);
  url.searchParams.set('client_id', p.clientId ?? MULTI.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', p.redirectUri ?? REDIRECT);
  url.searchParams.set('scope', p.scope ?? CONNECTOR_SCOPE);
  url.searchParams.set('state', p.state ?? 'state-123');
  if (p.challenge) url.searchParams.set('code_challenge', p.challenge);
  if (p.method) url.searchParams.set('code_challenge_method', p.method);
  for (const [k, v] of Object.entries(p.extra ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

export interface HttpResult {
  status: number;
  // Test code reads arbitrary JSON fields.
  body: any;
  headers: Headers;
}

export async function token(origin: string, tenant: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResult> {
  const res = await fetch(`${origin}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

export async function graph(origin: string, path: string, accessToken?: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  const res = await fetch(`${origin}${path}`, {
    headers: { ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export function codeFrom(location: string): string {
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export function claims(jwt: string): JWTPayload & Record<string, any> {
  return decodeJwt(jwt);
}

export interface SignInOptions extends AuthorizeParams {
  user?: string;
  secret?: string;
}

/** The whole interactive flow: consent page, then code redemption with PKCE and a client secret. */
export async function signIn(emu: MicrosoftEmulator, cloud: LoginListener, o: SignInOptions = {}): Promise<HttpResult> {
  const { verifier, challenge } = pkce();
  const origin = emu.origins[cloud];
  const location = await emu.consent(authorizeUrl(origin, { ...o, challenge, method: 'S256' }), { user: o.user ?? ADELE });
  return token(origin, o.tenant ?? 'common', {
    grant_type: 'authorization_code',
    client_id: o.clientId ?? MULTI.clientId,
    client_secret: o.secret ?? MULTI.secret,
    code: codeFrom(location),
    redirect_uri: o.redirectUri ?? REDIRECT,
    code_verifier: verifier,
  });
}

/** The AADSTS code of a token-endpoint error body. */
export function aadsts(body: any): number | undefined {
  return Array.isArray(body?.error_codes) ? body.error_codes[0] : undefined;
}
