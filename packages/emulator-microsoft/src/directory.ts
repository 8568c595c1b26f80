/**
 * Seeds and admin changes → directory records. Everything that may come from a test or from
 * /_emulator JSON passes through here, is validated as a whole, and only then replaces the
 * previous record, so a bad request never leaves a half-registered app behind.
 */
import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import type { LoginCloudName } from './clouds.ts';
import { guidFromHash, isGuid, newGuid } from './ids.ts';
import {
  InputError,
  NotFoundError,
  nullableString,
  object,
  oneOf,
  optionalBoolean,
  optionalInstant,
  optionalString,
  requiredString,
  stringArray,
  type Json,
} from './input.ts';
import type { App, AppCertificate, AppSecret, Tenant, User } from './model.ts';
import { canonicalApplication, canonicalDelegated, isOidcScope } from './permissions.ts';
import type { EmulatorState } from './state.ts';
import type { DataSeed } from './admin-data/data-seed.ts';

export interface TenantInput {
  id: string;
  name: string;
  displayName?: string;
  /** Defaults to `{name}.onmicrosoft.com`. */
  domains?: string[];
  kind?: 'organization' | 'consumer';
  /** Pin the tenant to one cloud; omitted = reachable from every cloud. */
  cloud?: LoginCloudName;
}

export interface UserInput {
  /** Defaults to a GUID derived from the userPrincipalName, so seeds give stable ids. */
  id?: string;
  /** Tenant id, short name or domain. */
  tenant: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  /** Defaults to the userPrincipalName; pass null for a user without a mailbox. */
  mail?: string | null;
  jobTitle?: string | null;
  mobilePhone?: string | null;
  officeLocation?: string | null;
  preferredLanguage?: string | null;
  businessPhones?: string[];
  department?: string | null;
  companyName?: string | null;
  accountEnabled?: boolean;
  /** An MFA policy applies: refresh tokens from sign-ins before now fail with AADSTS50076. */
  mfaRequired?: boolean;
}

export interface SecretInput {
  value: string;
  id?: string;
  displayName?: string;
  expiresAt?: string | number | Date;
}

export interface CertificateInput {
  /** A PEM public key (SPKI) or X.509 certificate. */
  publicKeyPem: string;
  /** Required for a bare public key; certificates get `x5t` computed. */
  kid?: string;
  x5t?: string;
  expiresAt?: string | number | Date;
}

export interface DelegatedConsentInput {
  /** The consenting user; omit for tenant-wide admin consent. */
  user?: string;
  /** Required for admin consent; defaults to the user's tenant. */
  tenant?: string;
  scopes: string[];
}

export interface AppInput {
  clientId: string;
  displayName: string;
  /** Tenant id, short name or domain of the tenant the app is registered in. */
  homeTenant: string;
  signInAudience?: 'single' | 'multi';
  allowPersonalAccounts?: boolean;
  publicClient?: boolean;
  secrets?: SecretInput[];
  certificates?: CertificateInput[];
  redirectUris?: string[];
  pkceRequired?: boolean;
  /** What `{graph}/.default` means for delegated requests. Defaults to ["User.Read"]. */
  delegatedPermissions?: string[];
  /** Admin-consented application permissions, keyed by tenant reference. */
  applicationPermissions?: Record<string, string[]>;
  delegatedConsents?: DelegatedConsentInput[];
  revokeRotatedRefreshTokens?: boolean;
}

export interface EmulatorSeed {
  tenants: TenantInput[];
  users: UserInput[];
  apps: AppInput[];
  /** Mail, calendar, files and sites data, applied after the directory (see admin-data/data-seed.ts). */
  data?: DataSeed;
}

// --- Tenants ------------------------------------------------------------------------------------

export function upsertTenant(state: EmulatorState, input: TenantInput | unknown): Tenant {
  const o = object(input, 'tenant');
  const id = requiredString(o, 'id', 'tenant');
  if (!isGuid(id)) throw new InputError('tenant.id must be a GUID');
  const name = requiredString(o, 'name', 'tenant');
  if (isGuid(name) || name.includes('.')) throw new InputError('tenant.name must be a short name such as "contoso"');
  const domains = stringArray(o, 'domains', 'tenant') ?? [`${name}.onmicrosoft.com`];
  if (domains.some((d) => !d.includes('.'))) throw new InputError('tenant.domains must be DNS names');
  const tenant: Tenant = {
    id: id.toLowerCase(),
    name,
    displayName: optionalString(o, 'displayName', 'tenant') ?? name,
    domains,
    kind: oneOf(o, 'kind', 'tenant', ['organization', 'consumer'] as const) ?? 'organization',
  };
  const cloud = oneOf(o, 'cloud', 'tenant', ['global', 'usgov', 'china'] as const);
  if (cloud) tenant.cloud = cloud;
  for (const other of state.tenants.values()) {
    if (other.id === tenant.id) continue;
    const clash = [tenant.name, ...tenant.domains].find((ref) => state.findTenant(ref) === other);
    if (clash) throw new InputError(`tenant name or domain '${clash}' already belongs to tenant ${other.id}`, 409, 'conflict');
  }
  state.tenants.set(tenant.id, tenant);
  return tenant;
}

export function requireTenant(state: EmulatorState, ref: string, path = 'tenant'): Tenant {
  const tenant = state.findTenant(ref);
  if (!tenant) throw new NotFoundError(`${path}: no tenant '${ref}'`);
  return tenant;
}

/** Removes the tenant with its users, the apps registered in it, and every grant that names it. */
export function removeTenant(state: EmulatorState, ref: string): void {
  const tenant = requireTenant(state, ref);
  state.tenants.delete(tenant.id);
  for (const u of state.usersOfTenant(tenant.id)) {
    state.users.delete(u.id);
    state.data.removeUserData(u.id);
  }
  state.data.removeTenantData(tenant.id);
  for (const [key, app] of state.apps) {
    if (app.homeTenantId === tenant.id) state.apps.delete(key);
    else app.applicationPermissions.delete(tenant.id);
  }
  for (const [key, g] of state.grants) if (g.tenantId === tenant.id) state.grants.delete(key);
}

// --- Users --------------------------------------------------------------------------------------

export function upsertUser(state: EmulatorState, input: UserInput | unknown): User {
  const o = object(input, 'user');
  const tenant = requireTenant(state, requiredString(o, 'tenant', 'user'), 'user.tenant');
  const upn = requiredString(o, 'userPrincipalName', 'user');
  if (!upn.includes('@')) throw new InputError('user.userPrincipalName must look like name@domain');
  const existing = state.findUser(upn);
  const id = (optionalString(o, 'id', 'user') ?? existing?.id ?? guidFromHash('user', upn.toLowerCase())).toLowerCase();
  if (!isGuid(id)) throw new InputError('user.id must be a GUID');
  if (existing && existing.id !== id) {
    throw new InputError(`userPrincipalName '${upn}' already belongs to user ${existing.id}`, 409, 'conflict');
  }
  const pick = (key: string, fallback: string | null) => {
    const v = nullableString(o, key, 'user');
    return v === undefined ? fallback : v;
  };
  const user: User = {
    id,
    tenantId: tenant.id,
    userPrincipalName: upn,
    displayName: requiredString(o, 'displayName', 'user'),
    givenName: pick('givenName', null),
    surname: pick('surname', null),
    mail: pick('mail', upn),
    jobTitle: pick('jobTitle', null),
    mobilePhone: pick('mobilePhone', null),
    officeLocation: pick('officeLocation', null),
    preferredLanguage: pick('preferredLanguage', 'en-US'),
    businessPhones: stringArray(o, 'businessPhones', 'user') ?? [],
    department: pick('department', null),
    companyName: pick('companyName', null),
    accountEnabled: optionalBoolean(o, 'accountEnabled', 'user') ?? true,
  };
  const mfa = optionalBoolean(o, 'mfaRequired', 'user');
  const since = mfa === undefined ? existing?.mfaRequiredSince : mfa ? state.now() : undefined;
  if (since !== undefined) user.mfaRequiredSince = since;
  state.users.set(user.id, user);
  return user;
}

export function requireUser(state: EmulatorState, ref: string, path = 'user'): User {
  const user = state.findUser(ref);
  if (!user) throw new NotFoundError(`${path}: no user '${ref}'`);
  return user;
}

export function removeUser(state: EmulatorState, ref: string): void {
  const user = requireUser(state, ref);
  state.users.delete(user.id);
  state.data.removeUserData(user.id);
  for (const [key, g] of state.grants) if (g.userId === user.id) state.grants.delete(key);
}

// --- Apps ---------------------------------------------------------------------------------------

function readSecret(value: unknown, path: string): AppSecret {
  const o = object(value, path);
  const secret: AppSecret = { id: optionalString(o, 'id', path) ?? newGuid(), value: requiredString(o, 'value', path) };
  const displayName = optionalString(o, 'displayName', path);
  if (displayName !== undefined) secret.displayName = displayName;
  const expiresAt = optionalInstant(o, 'expiresAt', path);
  if (expiresAt !== undefined) secret.expiresAt = expiresAt;
  return secret;
}

/** Public key and thumbprints of a PEM SPKI key or X.509 certificate. */
function readPublicKey(pem: string, path: string): Pick<AppCertificate, 'key' | 'x5t' | 'x5tS256'> {
  try {
    if (!pem.includes('BEGIN CERTIFICATE')) return { key: createPublicKey(pem) };
    const x509 = new X509Certificate(pem);
    // x5t is the base64url SHA-1 of the DER certificate: what MSAL puts in the assertion header.
    return {
      key: x509.publicKey,
      x5t: createHash('sha1').update(x509.raw).digest('base64url'),
      x5tS256: createHash('sha256').update(x509.raw).digest('base64url'),
    };
  } catch {
    throw new InputError(`${path}.publicKeyPem is not a PEM public key or certificate`);
  }
}

function readCertificate(value: unknown, path: string): AppCertificate {
  const o = object(value, path);
  const pem = requiredString(o, 'publicKeyPem', path);
  const cert: AppCertificate = { publicKeyPem: pem, ...readPublicKey(pem, path) };
  if (cert.key.asymmetricKeyType !== 'rsa' && cert.key.asymmetricKeyType !== 'rsa-pss') {
    throw new InputError(`${path}.publicKeyPem must be an RSA key (client assertions are RS256 or PS256)`);
  }
  const kid = optionalString(o, 'kid', path);
  if (kid !== undefined) cert.kid = kid;
  const x5t = optionalString(o, 'x5t', path);
  if (x5t !== undefined) cert.x5t = x5t;
  if (!cert.kid && !cert.x5t) throw new InputError(`${path} needs a kid or x5t to be matched against the assertion header`);
  const expiresAt = optionalInstant(o, 'expiresAt', path);
  if (expiresAt !== undefined) cert.expiresAt = expiresAt;
  return cert;
}

function canonicalList(names: unknown[], canon: (n: string) => string | undefined, path: string, kind: string): string[] {
  return names.map((n) => {
    const name = typeof n === 'string' ? canon(n) : undefined;
    if (!name) throw new InputError(`${path}: '${String(n)}' is not a known Microsoft Graph ${kind} permission`);
    return name;
  });
}

export function upsertApp(state: EmulatorState, input: AppInput | unknown): App {
  const o = object(input, 'app');
  const clientId = requiredString(o, 'clientId', 'app').toLowerCase();
  if (!isGuid(clientId)) throw new InputError('app.clientId must be a GUID');
  const home = requireTenant(state, requiredString(o, 'homeTenant', 'app'), 'app.homeTenant');
  const signInAudience = oneOf(o, 'signInAudience', 'app', ['single', 'multi'] as const) ?? 'single';
  const redirectUris = stringArray(o, 'redirectUris', 'app') ?? [];
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) throw new InputError(`app.redirectUris: '${uri}' is not an absolute URL`);
  }
  const secretsIn = o.secrets === undefined ? [] : o.secrets;
  const certsIn = o.certificates === undefined ? [] : o.certificates;
  if (!Array.isArray(secretsIn)) throw new InputError('app.secrets must be an array');
  if (!Array.isArray(certsIn)) throw new InputError('app.certificates must be an array');

  const appPermissions = new Map<string, Set<string>>();
  if (o.applicationPermissions !== undefined) {
    const byTenant = object(o.applicationPermissions, 'app.applicationPermissions');
    for (const [ref, names] of Object.entries(byTenant)) {
      const path = `app.applicationPermissions.${ref}`;
      if (!Array.isArray(names)) throw new InputError(`${path} must be an array of strings`);
      const tenant = requireTenant(state, ref, path);
      appPermissions.set(tenant.id, new Set(canonicalList(names, canonicalApplication, path, 'application')));
    }
  }
  const consents = readConsents(state, o.delegatedConsents, home.id);

  const app: App = {
    clientId,
    displayName: requiredString(o, 'displayName', 'app'),
    homeTenantId: home.id,
    signInAudience,
    allowPersonalAccounts: signInAudience === 'multi' && (optionalBoolean(o, 'allowPersonalAccounts', 'app') ?? true),
    publicClient: optionalBoolean(o, 'publicClient', 'app') ?? false,
    secrets: secretsIn.map((s, i) => readSecret(s, `app.secrets[${i}]`)),
    certificates: certsIn.map((c, i) => readCertificate(c, `app.certificates[${i}]`)),
    redirectUris,
    pkceRequired: optionalBoolean(o, 'pkceRequired', 'app') ?? false,
    delegatedPermissions: canonicalList(
      stringArray(o, 'delegatedPermissions', 'app') ?? ['User.Read'],
      canonicalDelegated,
      'app.delegatedPermissions',
      'delegated',
    ),
    applicationPermissions: appPermissions,
  };
  const revokeRotated = optionalBoolean(o, 'revokeRotatedRefreshTokens', 'app');
  if (revokeRotated !== undefined) app.revokeRotatedRefreshTokens = revokeRotated;
  if (app.publicClient && (app.secrets.length > 0 || app.certificates.length > 0)) {
    throw new InputError('app: a public client cannot have secrets or certificates');
  }
  state.apps.set(clientId, app);
  for (const c of consents) state.addDelegatedGrant(clientId, c.tenantId, c.userId, c.scopes);
  return app;
}

interface ResolvedConsent {
  tenantId: string;
  userId?: string;
  scopes: string[];
}

/** Delegated consents name Graph permissions (and may include OIDC scopes, which are always granted). */
function readConsents(state: EmulatorState, value: unknown, defaultTenantId: string): ResolvedConsent[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError('delegatedConsents must be an array');
  return value.map((entry, i) => readConsent(state, entry, defaultTenantId, `delegatedConsents[${i}]`));
}

export function readConsent(state: EmulatorState, entry: unknown, defaultTenantId: string | undefined, path: string): ResolvedConsent {
  const c: Json = object(entry, path);
  const scopes = stringArray(c, 'scopes', path);
  if (!scopes) throw new InputError(`${path}.scopes is required`);
  const userRef = optionalString(c, 'user', path);
  const tenantRef = optionalString(c, 'tenant', path);
  const user = userRef ? requireUser(state, userRef, `${path}.user`) : undefined;
  const tenantId = tenantRef ? requireTenant(state, tenantRef, `${path}.tenant`).id : (user?.tenantId ?? defaultTenantId);
  if (!tenantId) throw new InputError(`${path} needs a user or a tenant`);
  if (user && user.tenantId !== tenantId) throw new InputError(`${path}: user ${user.userPrincipalName} is not in that tenant`);
  const permissions = canonicalList(scopes.filter((s) => !isOidcScope(s)), canonicalDelegated, `${path}.scopes`, 'delegated');
  return { tenantId, ...(user ? { userId: user.id } : {}), scopes: permissions };
}

export function requireApp(state: EmulatorState, clientId: string): App {
  const app = state.findApp(clientId);
  if (!app) throw new NotFoundError(`no app with client id '${clientId}'`);
  return app;
}

/** Replaces an app's admin-granted application permissions in a tenant; an empty list revokes them. */
export function setApplicationPermissions(state: EmulatorState, clientId: string, tenantRef: string, permissions: unknown): App {
  const app = requireApp(state, clientId);
  const tenant = requireTenant(state, tenantRef);
  if (!Array.isArray(permissions)) throw new InputError('permissions must be an array of strings');
  const names = canonicalList(permissions, canonicalApplication, 'permissions', 'application');
  if (names.length === 0) app.applicationPermissions.delete(tenant.id);
  else app.applicationPermissions.set(tenant.id, new Set(names));
  return app;
}

export function removeApp(state: EmulatorState, clientId: string): void {
  const app = requireApp(state, clientId);
  state.apps.delete(app.clientId);
  for (const [key, g] of state.grants) if (g.clientId === app.clientId) state.grants.delete(key);
}

/** Applies a whole seed: tenants first, then users, then apps (which reference both). */
export function applySeed(state: EmulatorState, seed: EmulatorSeed): void {
  const o = object(seed, 'seed');
  for (const key of ['tenants', 'users', 'apps'] as const) {
    if (o[key] !== undefined && !Array.isArray(o[key])) throw new InputError(`seed.${key} must be an array`);
  }
  for (const t of seed.tenants ?? []) upsertTenant(state, t);
  for (const u of seed.users ?? []) upsertUser(state, u);
  for (const a of seed.apps ?? []) upsertApp(state, a);
}
