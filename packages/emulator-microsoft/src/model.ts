/**
 * The emulator's directory and session records. These are internal shapes: inputs from seeds and
 * the admin API are normalised into them by directory.ts, so handlers never deal with optional
 * fields or references by name.
 */
import type { KeyObject } from 'node:crypto';
import type { ListenerName, LoginCloudName } from './clouds.ts';
import type { OidcScope } from './permissions.ts';
import type { ScopeRequest } from './scopes.ts';

export interface Tenant {
  id: string;
  /** Short name ("contoso"); admin references may use it, Microsoft endpoints do not accept it. */
  name: string;
  displayName: string;
  /** Verified domains, the first being the initial `*.onmicrosoft.com` domain. */
  domains: string[];
  /** `consumer` is the personal-account (MSA) tenant that /consumers stands for. */
  kind: 'organization' | 'consumer';
  /** The cloud the tenant lives in; undefined means reachable from every cloud (emulator convenience). */
  cloud?: LoginCloudName;
}

export interface User {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  /** Null for users without a mailbox: clients must fall back to userPrincipalName. */
  mail: string | null;
  jobTitle: string | null;
  mobilePhone: string | null;
  officeLocation: string | null;
  preferredLanguage: string | null;
  businessPhones: string[];
  department: string | null;
  companyName: string | null;
  accountEnabled: boolean;
  /**
   * When an MFA policy started applying to the user (epoch ms). Refresh tokens from sign-ins
   * at or before that instant fail with AADSTS50076; a later interactive sign-in satisfies it.
   */
  mfaRequiredSince?: number;
}

export interface AppSecret {
  id: string;
  value: string;
  displayName?: string;
  expiresAt?: number;
}

export interface AppCertificate {
  kid?: string;
  /** Base64url SHA-1 thumbprint of the certificate (the `x5t` header MSAL sends). */
  x5t?: string;
  x5tS256?: string;
  publicKeyPem: string;
  key: KeyObject;
  expiresAt?: number;
}

export type SignInAudience = 'single' | 'multi';

export interface App {
  clientId: string;
  displayName: string;
  homeTenantId: string;
  signInAudience: SignInAudience;
  /** Multi-tenant apps only: whether personal Microsoft accounts may sign in (/common, /consumers). */
  allowPersonalAccounts: boolean;
  /** Public clients (native, SPA) must not present a credential. */
  publicClient: boolean;
  secrets: AppSecret[];
  certificates: AppCertificate[];
  redirectUris: string[];
  pkceRequired: boolean;
  /** Statically configured delegated permissions: what `{graph}/.default` means for this app. */
  delegatedPermissions: string[];
  /** Admin-consented application permissions (app roles), per tenant id. */
  applicationPermissions: Map<string, Set<string>>;
  /** Overrides the global setting: reject refresh tokens that were already rotated. */
  revokeRotatedRefreshTokens?: boolean;
}

/** A delegated permission grant: one user's consent, or (userId undefined) admin consent for a tenant. */
export interface DelegatedGrant {
  clientId: string;
  tenantId: string;
  userId?: string;
  scopes: Set<string>;
}

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** An authorization request parked while the consent page is shown; the page carries only its id. */
export interface AuthTransaction {
  id: string;
  expiresAt: number;
  listener: ListenerName;
  loginCloud: LoginCloudName;
  tenantSegment: string;
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  nonce?: string;
  scopes: ScopeRequest;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  loginHint?: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  userId: string;
  tenantId: string;
  loginCloud: LoginCloudName;
  redirectUri: string;
  scopes: ScopeRequest;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
  /** When the user signed in interactively; refresh tokens inherit it (MFA checks compare to it). */
  authTime: number;
}

export interface RefreshGrant {
  token: string;
  clientId: string;
  userId: string;
  tenantId: string;
  loginCloud: LoginCloudName;
  /** The resource and permissions of the request that created the chain: the default on refresh. */
  resource: string;
  permissions: string[];
  oidc: OidcScope[];
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  /** Set once the token has been used: Microsoft keeps it valid, a stricter setting does not. */
  rotated: boolean;
}

export interface TokenFailureFault {
  remaining: number;
  /** `error` answers with a Microsoft-shaped JSON body; `reset` destroys the connection. */
  mode: 'error' | 'reset';
  status: number;
  error: string;
  code: number;
  message: string;
  retryAfterSeconds?: number;
  cloud?: ListenerName;
  grantType?: string;
}

export interface ConsentErrorFault {
  remaining: number;
  error: string;
  code?: number;
  message?: string;
  suberror?: string;
  cloud?: ListenerName;
}

/** The next `remaining` Graph requests (matching the filters) answer 429 or 503 with Retry-After. */
export interface GraphThrottleFault {
  remaining: number;
  status: 429 | 503;
  retryAfterSeconds: number;
  /** Substring of the request path (e.g. `/messages`), case-insensitive. */
  path?: string;
  method?: string;
  cloud?: ListenerName;
}

/** Extra latency before Graph requests (matching the filters) are handled. */
export interface GraphLatency {
  ms: number;
  path?: string;
  cloud?: ListenerName;
}

export interface TokenSettings {
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  codeSeconds: number;
  revokeRotatedRefreshTokens: boolean;
}
