/**
 * JWT minting. Graph access tokens are v1.0 tokens (that is what Graph receives even from the
 * v2.0 endpoint): `iss` is the STS issuer, `aud` the Graph root, `scp` or `roles` the grants.
 * ID tokens are v2.0 with the client as audience.
 */
import { SignJWT, type JWTPayload } from 'jose';
import type { LoginCloud } from './clouds.ts';
import { guidFromHash, pairwiseSubject, randomToken } from './ids.ts';
import type { SigningKey } from './keys.ts';
import type { App, Tenant, User } from './model.ts';
import type { OidcScope } from './permissions.ts';

/** How the client proved itself: `appidacr` 0 = public client, 1 = secret, 2 = certificate. */
export type ClientAuthLevel = '0' | '1' | '2';

async function sign(key: SigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid }).sign(key.privateKey);
}

function times(nowMs: number, lifetimeSeconds: number) {
  const iat = Math.floor(nowMs / 1000);
  return { iat, nbf: iat, exp: iat + lifetimeSeconds };
}

/** The object id of the app's service principal in a tenant: stable, and distinct per tenant. */
function servicePrincipalId(app: App, tenantId: string): string {
  return guidFromHash('service-principal', app.clientId, tenantId);
}

export interface DelegatedTokenInput {
  key: SigningKey;
  cloud: LoginCloud;
  app: App;
  user: User;
  tenant: Tenant;
  resource: string;
  scp: string[];
  nowMs: number;
  lifetimeSeconds: number;
  authTimeMs: number;
  mfa: boolean;
  appidacr: ClientAuthLevel;
}

export function mintDelegatedAccessToken(i: DelegatedTokenInput): Promise<string> {
  const personal = i.tenant.kind === 'consumer';
  const claims: JWTPayload = {
    aud: i.resource,
    iss: `${i.cloud.stsIssuerBase}/${i.tenant.id}/`,
    ...times(i.nowMs, i.lifetimeSeconds),
    acct: personal ? 1 : 0,
    acr: '1',
    amr: i.mfa ? ['pwd', 'mfa'] : ['pwd'],
    app_displayname: i.app.displayName,
    appid: i.app.clientId,
    appidacr: i.appidacr,
    azp: i.app.clientId,
    family_name: i.user.surname ?? undefined,
    given_name: i.user.givenName ?? undefined,
    idtyp: 'user',
    ...(personal ? { idp: 'live.com' } : {}),
    ipaddr: '127.0.0.1',
    name: i.user.displayName,
    oid: i.user.id,
    scp: i.scp.join(' '),
    sub: pairwiseSubject(i.user.id, i.app.clientId),
    tid: i.tenant.id,
    // Personal accounts have no UPN; Entra prefixes their unique_name with the identity provider.
    unique_name: personal ? `live.com#${i.user.userPrincipalName}` : i.user.userPrincipalName,
    ...(personal ? {} : { upn: i.user.userPrincipalName }),
    preferred_username: i.user.userPrincipalName,
    uti: randomToken(16),
    ver: '1.0',
    auth_time: Math.floor(i.authTimeMs / 1000),
  };
  return sign(i.key, claims);
}

export interface AppTokenInput {
  key: SigningKey;
  cloud: LoginCloud;
  app: App;
  tenant: Tenant;
  resource: string;
  roles: string[];
  nowMs: number;
  lifetimeSeconds: number;
  appidacr: ClientAuthLevel;
}

export function mintAppAccessToken(i: AppTokenInput): Promise<string> {
  const iss = `${i.cloud.stsIssuerBase}/${i.tenant.id}/`;
  const sp = servicePrincipalId(i.app, i.tenant.id);
  const claims: JWTPayload = {
    aud: i.resource,
    iss,
    ...times(i.nowMs, i.lifetimeSeconds),
    app_displayname: i.app.displayName,
    appid: i.app.clientId,
    appidacr: i.appidacr,
    azp: i.app.clientId,
    idp: iss,
    idtyp: 'app',
    oid: sp,
    // Entra omits `roles` entirely when nothing was granted; Graph then answers 403.
    ...(i.roles.length > 0 ? { roles: [...i.roles] } : {}),
    sub: sp,
    tid: i.tenant.id,
    uti: randomToken(16),
    ver: '1.0',
  };
  return sign(i.key, claims);
}

export interface IdTokenInput {
  key: SigningKey;
  cloud: LoginCloud;
  app: App;
  user: User;
  tenant: Tenant;
  oidc: readonly OidcScope[];
  nonce?: string;
  nowMs: number;
  authTimeMs: number;
}

export function mintIdToken(i: IdTokenInput): Promise<string> {
  const profile = i.oidc.includes('profile');
  const claims: JWTPayload = {
    ver: '2.0',
    iss: `https://${i.cloud.issuerHost}/${i.tenant.id}/v2.0`,
    sub: pairwiseSubject(i.user.id, i.app.clientId),
    aud: i.app.clientId,
    ...times(i.nowMs, 3600),
    auth_time: Math.floor(i.authTimeMs / 1000),
    ...(i.nonce !== undefined ? { nonce: i.nonce } : {}),
    ...(profile ? { name: i.user.displayName, preferred_username: i.user.userPrincipalName } : {}),
    ...(i.oidc.includes('email') && i.user.mail ? { email: i.user.mail } : {}),
    oid: i.user.id,
    tid: i.tenant.id,
    uti: randomToken(16),
  };
  return sign(i.key, claims);
}
