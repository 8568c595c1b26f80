/**
 * The three grants the token endpoint implements. Each validates the grant material, then asks
 * issueUserTokens / mintAppAccessToken for the response. Client authentication and tenant
 * checks have already happened in token.ts.
 */
import { createHash } from 'node:crypto';
import { loginCloudOf, type ListenerContext } from '../context.ts';
import { aadTimestamp, randomToken } from '../ids.ts';
import type { App, Tenant, User } from '../model.ts';
import type { Params } from '../params.ts';
import type { OidcScope } from '../permissions.ts';
import { formatGrantedScope, parseClientCredentialsScope, parseDelegatedScopes, requestedPermissions, type ScopeRequest } from '../scopes.ts';
import { mintAppAccessToken, mintDelegatedAccessToken, mintIdToken, type ClientAuthLevel } from '../tokens.ts';
import { Aad } from './errors.ts';
import { userFitsScope, type TenantScope } from './tenant.ts';

export interface GrantInput {
  l: ListenerContext;
  params: Params;
  app: App;
  scope: TenantScope;
  level: ClientAuthLevel;
}

export type TokenResponse = Record<string, string | number>;

export type Grant = (g: GrantInput) => Promise<TokenResponse>;

function union(a: readonly OidcScope[], b: readonly OidcScope[]): OidcScope[] {
  return [...new Set([...a, ...b])];
}

function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge;
}

/** `d.hh:mm:ss`, the duration format in Entra's inactivity messages. */
function entraDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 86400)}.${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

interface UserTokenRequest {
  user: User;
  tenant: Tenant;
  request: ScopeRequest;
  /** From checkConsent: everything the user consented to, which the token carries. */
  granted: string[];
  authTime: number;
  nonce?: string;
}

/**
 * What the token will carry, or AADSTS65001 when the request asks for more than was consented.
 * Synchronous on purpose: grants call it before consuming a code or rotating a refresh token, so
 * concurrent requests cannot both pass the single-use checks.
 */
function checkConsent(g: GrantInput, user: User, request: ScopeRequest): string[] {
  const consented = g.l.emu.state.consentedPermissions(g.app, user);
  if (!requestedPermissions(request, g.app).every((p) => consented.has(p))) throw Aad.consentRequired(g.app);
  return [...consented];
}

/** Access token (+ refresh token with offline_access, + id token with openid) for a signed-in user. */
async function issueUserTokens(g: GrantInput, r: UserTokenRequest): Promise<TokenResponse> {
  const { l, app } = g;
  const state = l.emu.state;
  const cloud = loginCloudOf(l);
  const now = state.now();
  const asked = requestedPermissions(r.request, app);
  const granted = r.granted;
  const mfa = r.user.mfaRequiredSince !== undefined && r.authTime > r.user.mfaRequiredSince;
  const accessToken = await mintDelegatedAccessToken({
    key: l.emu.key,
    cloud,
    app,
    user: r.user,
    tenant: r.tenant,
    resource: r.request.resource,
    // Entra puts the OIDC scopes in scp too, all but offline_access.
    scp: [...granted, ...r.request.oidc.filter((s) => s !== 'offline_access')],
    nowMs: now,
    lifetimeSeconds: state.settings.accessTokenSeconds,
    authTimeMs: r.authTime,
    mfa,
    appidacr: g.level,
  });
  const body: TokenResponse = {
    token_type: 'Bearer',
    scope: formatGrantedScope(r.request.resource, granted, r.request.oidc),
    expires_in: state.settings.accessTokenSeconds,
    ext_expires_in: state.settings.accessTokenSeconds,
    access_token: accessToken,
  };
  if (r.request.oidc.includes('offline_access')) {
    const token = randomToken(64);
    state.refreshTokens.set(token, {
      token,
      clientId: app.clientId,
      userId: r.user.id,
      tenantId: r.tenant.id,
      loginCloud: cloud.name,
      resource: r.request.resource,
      permissions: asked,
      oidc: r.request.oidc,
      authTime: r.authTime,
      issuedAt: now,
      expiresAt: now + state.settings.refreshTokenSeconds * 1000,
      revoked: false,
      rotated: false,
    });
    body.refresh_token = token;
  }
  if (r.request.oidc.includes('openid')) {
    body.id_token = await mintIdToken({
      key: l.emu.key,
      cloud,
      app,
      user: r.user,
      tenant: r.tenant,
      oidc: r.request.oidc,
      ...(r.nonce !== undefined ? { nonce: r.nonce } : {}),
      nowMs: now,
      authTimeMs: r.authTime,
    });
  }
  // MSAL asks for client_info=1 to learn the account's home ids without decoding the id token.
  if (g.params.client_info === '1') {
    body.client_info = Buffer.from(JSON.stringify({ uid: r.user.id, utid: r.tenant.id })).toString('base64url');
  }
  return body;
}

/** The scope parameter is optional at redemption; when present it selects the resource. */
function scopeOnRedemption(g: GrantInput, original: ScopeRequest): ScopeRequest {
  if (!g.params.scope) return original;
  const asked = parseDelegatedScopes(g.params.scope, loginCloudOf(g.l), g.scope.label);
  return { ...asked, oidc: union(original.oidc, asked.oidc) };
}

function directoryRecords(g: GrantInput, userId: string, tenantId: string): { user: User; tenant: Tenant } | undefined {
  const user = g.l.emu.state.users.get(userId);
  const tenant = g.l.emu.state.tenants.get(tenantId);
  return user && tenant ? { user, tenant } : undefined;
}

export const authorizationCodeGrant: Grant = async (g) => {
  const { params, app } = g;
  const state = g.l.emu.state;
  if (!params.code) throw Aad.missingParameter('code');
  if (!params.redirect_uri) throw Aad.missingParameter('redirect_uri');
  const rec = state.codes.get(params.code);
  if (!rec || rec.loginCloud !== loginCloudOf(g.l).name || rec.clientId !== app.clientId) throw Aad.codeInvalid();
  if (rec.redeemed) throw Aad.codeRedeemed();
  // Burned on the first attempt, successful or not: a leaked code must not allow retries.
  rec.redeemed = true;
  if (rec.expiresAt <= state.now()) throw Aad.grantExpiredOrRevoked();
  if (params.redirect_uri !== rec.redirectUri) {
    throw app.redirectUris.includes(params.redirect_uri)
      ? Aad.redirectDiffersFromAuthorize(params.redirect_uri, rec.redirectUri)
      : Aad.redirectNotRegistered(params.redirect_uri, app.clientId);
  }
  if (rec.codeChallenge && (!params.code_verifier || !pkceMatches(params.code_verifier, rec.codeChallenge, rec.codeChallengeMethod!))) {
    throw Aad.pkceMismatch();
  }
  const records = directoryRecords(g, rec.userId, rec.tenantId);
  if (!records || !userFitsScope(state, records.user, g.scope)) throw Aad.codeInvalid();
  const request = scopeOnRedemption(g, rec.scopes);
  return issueUserTokens(g, {
    ...records,
    request,
    granted: checkConsent(g, records.user, request),
    authTime: rec.authTime,
    ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}),
  });
};

export const refreshTokenGrant: Grant = async (g) => {
  const { params, app } = g;
  const state = g.l.emu.state;
  const now = state.now();
  if (!params.refresh_token) throw Aad.missingParameter('refresh_token');
  const rec = state.refreshTokens.get(params.refresh_token);
  if (!rec || rec.loginCloud !== loginCloudOf(g.l).name) throw Aad.requestMalformed();
  if (rec.clientId !== app.clientId) throw Aad.refreshNotForClient();
  if (rec.revoked) throw Aad.grantExpiredOrRevoked();
  // Entra keeps rotated tokens valid; the stricter setting models clients that must not reuse them.
  if (rec.rotated && (app.revokeRotatedRefreshTokens ?? state.settings.revokeRotatedRefreshTokens)) throw Aad.grantExpiredOrRevoked();
  if (rec.expiresAt <= now) throw Aad.refreshInactive(aadTimestamp(rec.issuedAt), entraDuration(now - rec.issuedAt));
  const records = directoryRecords(g, rec.userId, rec.tenantId);
  if (!records) throw Aad.grantExpiredOrRevoked();
  if (!userFitsScope(state, records.user, g.scope)) throw Aad.requestMalformed();
  const since = records.user.mfaRequiredSince;
  if (since !== undefined && rec.authTime <= since) throw Aad.mfaRequired();

  let request: ScopeRequest = { resource: rec.resource, permissions: rec.permissions, isDefault: false, oidc: rec.oidc };
  if (params.scope) {
    const asked = parseDelegatedScopes(params.scope, loginCloudOf(g.l), g.scope.label);
    // Refreshing always yields a new refresh token, whether or not offline_access is repeated.
    request = { ...asked, oidc: union(asked.oidc, ['offline_access']) };
  }
  const granted = checkConsent(g, records.user, request);
  // Marked before any await: of two concurrent refreshes with one token, only one is first.
  rec.rotated = true;
  return issueUserTokens(g, { ...records, request, granted, authTime: rec.authTime });
};

export const clientCredentialsGrant: Grant = async (g) => {
  const { l, app, scope } = g;
  const state = l.emu.state;
  if (scope.kind !== 'tenant') throw Aad.noTenantInformation();
  if (!state.isAppPresentIn(app, scope.tenant.id)) throw Aad.appNotFound(app.clientId, scope.label);
  const resource = parseClientCredentialsScope(g.params.scope, loginCloudOf(l), scope.label);
  const accessToken = await mintAppAccessToken({
    key: l.emu.key,
    cloud: loginCloudOf(l),
    app,
    tenant: scope.tenant,
    resource,
    roles: [...(app.applicationPermissions.get(scope.tenant.id) ?? [])],
    nowMs: state.now(),
    lifetimeSeconds: state.settings.accessTokenSeconds,
    appidacr: g.level,
  });
  return {
    token_type: 'Bearer',
    expires_in: state.settings.accessTokenSeconds,
    ext_expires_in: state.settings.accessTokenSeconds,
    access_token: accessToken,
  };
};

export const GRANTS: Readonly<Record<string, Grant>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};
