/**
 * Programmatic control of a running emulator, for tests: the directory, token settings, faults,
 * the request log and the clock. The HTTP admin API (admin-routes.ts) is a thin JSON mapping of
 * these same methods, so both paths validate and behave identically.
 */
import { LOGIN_CLOUDS, LISTENER_NAMES, type ListenerName, type LoginCloudName } from './clouds.ts';
import type { EmulatorContext } from './context.ts';
import {
  applySeed,
  readConsent,
  removeApp,
  removeTenant,
  removeUser,
  requireApp,
  setApplicationPermissions,
  requireTenant,
  requireUser,
  upsertApp,
  upsertTenant,
  upsertUser,
  type AppInput,
  type DelegatedConsentInput,
  type EmulatorSeed,
  type TenantInput,
  type UserInput,
} from './directory.ts';
import { Aad } from './identity/errors.ts';
import {
  InputError,
  object,
  oneOf,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  stringArray,
} from './input.ts';
import type { App, Tenant, TokenSettings, User } from './model.ts';
import { canonicalDelegated } from './permissions.ts';
import type { RequestLogEntry, RequestLogFilter, TokenStats } from './request-log.ts';
import { mintAppAccessToken, mintDelegatedAccessToken } from './tokens.ts';
import { CalendarAdmin } from './admin-data/calendar-admin.ts';
import { ContactsAdmin } from './admin-data/contacts-admin.ts';
import { applyDataSeed } from './admin-data/data-seed.ts';
import { FilesAdmin } from './admin-data/files-admin.ts';
import { MailAdmin } from './admin-data/mail-admin.ts';
import { AdminScope } from './admin-data/scope.ts';
import { SitesAdmin } from './admin-data/sites-admin.ts';
import { SubscriptionsAdmin } from './admin-data/subscriptions-admin.ts';
import { readChangeQuery, readLatencyRules, readThrottleFault, type ChangeQuery, type GraphLatencyInput, type GraphThrottleInput } from './admin-data/graph-faults.ts';
import type { ChangeEntry } from './data/change-log.ts';

export interface UserView extends Omit<User, 'mfaRequiredSince'> {
  mfaRequired: boolean;
}

/** Apps as the admin API shows them: secret values are never echoed, only a hint, as in the portal. */
export interface AppView {
  clientId: string;
  displayName: string;
  homeTenantId: string;
  signInAudience: App['signInAudience'];
  allowPersonalAccounts: boolean;
  publicClient: boolean;
  pkceRequired: boolean;
  redirectUris: string[];
  delegatedPermissions: string[];
  applicationPermissions: Record<string, string[]>;
  secrets: { id: string; displayName?: string; hint: string; expiresAt?: string }[];
  certificates: { kid?: string; x5t?: string; expiresAt?: string }[];
  revokeRotatedRefreshTokens?: boolean;
}

export interface DirectorySnapshot {
  tenants: Tenant[];
  users: UserView[];
  apps: AppView[];
  delegatedGrants: { clientId: string; tenantId: string; userId?: string; scopes: string[] }[];
}

export interface TokenFailureInput {
  /** How many token requests fail (default 1). */
  count?: number;
  /** `error` (default): a Microsoft-shaped JSON error; `reset`: the connection is destroyed. */
  mode?: 'error' | 'reset';
  /** Default 503. */
  status?: number;
  /** Default `temporarily_unavailable` / AADSTS90033. */
  error?: string;
  code?: number;
  message?: string;
  retryAfterSeconds?: number;
  /** Only requests on this listener / with this grant type. */
  cloud?: ListenerName;
  grantType?: string;
}

export interface ConsentErrorInput {
  /** The `error` the authorize step redirects with, e.g. `interaction_required`. */
  error: string;
  code?: number;
  message?: string;
  suberror?: string;
  /** How many authorize requests fail (default 1). */
  times?: number;
  cloud?: ListenerName;
}

export interface IssueTokenInput {
  clientId: string;
  /** Delegated token for this user; omit for an app-only token. */
  user?: string;
  /** Required for app-only tokens. */
  tenant?: string;
  /** Login cloud whose issuer is used (default global). */
  cloud?: LoginCloudName;
  /** `aud`; default the cloud's primary Graph root. */
  audience?: string;
  /** Delegated scopes (default: what the user consented to). */
  scopes?: string[];
  /** App roles (default: the admin-granted ones). */
  roles?: string[];
  /** Lifetime; negative values mint an already expired token. Default: the access-token setting. */
  expiresInSeconds?: number;
}

export class EmulatorAdmin {
  private readonly scope: AdminScope;
  /** Mailboxes: messages, folders, mailbox settings, and the log of sent mail. */
  readonly mail: MailAdmin;
  /** Calendars and events. */
  readonly calendar: CalendarAdmin;
  /** Outlook contacts. */
  readonly contacts: ContactsAdmin;
  /** OneDrive and document-library files, folders and Excel workbooks. */
  readonly files: FilesAdmin;
  /** SharePoint sites, lists and list items. */
  readonly sites: SitesAdmin;
  /** Change-notification subscriptions, lifecycle events, notification faults and the notification log. */
  readonly subscriptions: SubscriptionsAdmin;

  constructor(
    protected readonly ctx: EmulatorContext,
    private readonly initialSeed: EmulatorSeed,
    private readonly initialSettings: TokenSettings,
  ) {
    this.scope = new AdminScope(ctx);
    this.mail = new MailAdmin(this.scope);
    this.calendar = new CalendarAdmin(this.scope);
    this.contacts = new ContactsAdmin(this.scope);
    this.files = new FilesAdmin(this.scope);
    this.sites = new SitesAdmin(this.scope);
    this.subscriptions = new SubscriptionsAdmin(this.scope);
  }

  /** Applies a seed's Graph data (also used at start, after the directory). */
  applyData(seed: EmulatorSeed): void {
    applyDataSeed(this, seed.data);
  }

  /** The live state, for assertions the methods below do not cover. */
  get state() {
    return this.ctx.state;
  }

  now(): number {
    return this.ctx.state.now();
  }

  /** Moves the emulator's clock forward (codes, tokens, secrets and assertions all follow it). */
  advanceClock(seconds: number): number {
    if (!Number.isFinite(seconds)) throw new InputError('seconds must be a number');
    return this.ctx.state.advanceClock(seconds);
  }

  // --- Directory -----------------------------------------------------------------------------

  snapshot(): DirectorySnapshot {
    const s = this.ctx.state;
    return {
      tenants: [...s.tenants.values()].map((t) => ({ ...t, domains: [...t.domains] })),
      users: [...s.users.values()].map(userView),
      apps: [...s.apps.values()].map(appView),
      delegatedGrants: [...s.grants.values()].map((g) => ({ ...g, scopes: [...g.scopes] })),
    };
  }

  upsertTenant(input: TenantInput): Tenant {
    return { ...upsertTenant(this.ctx.state, input) };
  }

  removeTenant(ref: string): void {
    removeTenant(this.ctx.state, ref);
  }

  upsertUser(input: UserInput): UserView {
    return userView(upsertUser(this.ctx.state, input));
  }

  removeUser(ref: string): void {
    removeUser(this.ctx.state, ref);
  }

  upsertApp(input: AppInput): AppView {
    return appView(upsertApp(this.ctx.state, input));
  }

  removeApp(clientId: string): void {
    removeApp(this.ctx.state, clientId);
  }

  /** Replaces the admin-consented application permissions of an app in a tenant ([] revokes them). */
  setApplicationPermissions(clientId: string, tenant: string, permissions: string[]): AppView {
    return appView(setApplicationPermissions(this.ctx.state, clientId, tenant, permissions));
  }

  /** Adds a user's consent, or tenant-wide admin consent when no user is given. */
  grantDelegatedConsent(clientId: string, consent: DelegatedConsentInput): void {
    const app = requireApp(this.ctx.state, clientId);
    const c = readConsent(this.ctx.state, consent, undefined, 'consent');
    this.ctx.state.addDelegatedGrant(app.clientId, c.tenantId, c.userId, c.scopes);
  }

  /** Removes a user's consent (or the admin consent of a tenant). Their refresh tokens then get AADSTS65001. */
  revokeDelegatedConsent(clientId: string, who: { user?: string; tenant?: string }): void {
    const app = requireApp(this.ctx.state, clientId);
    const o = object(who, 'consent');
    const userRef = optionalString(o, 'user', 'consent');
    const tenantRef = optionalString(o, 'tenant', 'consent');
    const user = userRef ? requireUser(this.ctx.state, userRef) : undefined;
    const tenantId = user?.tenantId ?? (tenantRef ? requireTenant(this.ctx.state, tenantRef).id : undefined);
    if (!tenantId) throw new InputError('consent needs a user or a tenant');
    this.ctx.state.removeDelegatedGrant(app.clientId, tenantId, user?.id);
  }

  // --- Token settings --------------------------------------------------------------------------

  getTokenSettings(): TokenSettings {
    return { ...this.ctx.state.settings };
  }

  setTokenSettings(input: Partial<TokenSettings>): TokenSettings {
    const o = object(input, 'settings');
    const next = { ...this.ctx.state.settings };
    for (const key of ['accessTokenSeconds', 'refreshTokenSeconds', 'codeSeconds'] as const) {
      const v = optionalNumber(o, key, 'settings', 1);
      if (v !== undefined) next[key] = Math.floor(v);
    }
    const strict = optionalBoolean(o, 'revokeRotatedRefreshTokens', 'settings');
    if (strict !== undefined) next.revokeRotatedRefreshTokens = strict;
    this.ctx.state.settings = next;
    return { ...next };
  }

  // --- Faults ------------------------------------------------------------------------------------

  /** Revokes refresh tokens of a user and/or app (all when no filter). Next use: AADSTS70008. */
  revokeRefreshTokens(filter: { user?: string; clientId?: string } = {}): number {
    const o = object(filter, 'filter');
    const userRef = optionalString(o, 'user', 'filter');
    const clientRef = optionalString(o, 'clientId', 'filter');
    const userId = userRef ? requireUser(this.ctx.state, userRef).id : undefined;
    const clientId = clientRef ? requireApp(this.ctx.state, clientRef).clientId : undefined;
    let count = 0;
    for (const rt of this.ctx.state.refreshTokens.values()) {
      if ((userId && rt.userId !== userId) || (clientId && rt.clientId !== clientId) || rt.revoked) continue;
      rt.revoked = true;
      count++;
    }
    return count;
  }

  failTokenRequests(input: TokenFailureInput = {}): void {
    const o = object(input, 'fault');
    const outage = Aad.temporarilyUnavailable();
    const fault = {
      remaining: Math.floor(optionalNumber(o, 'count', 'fault', 1) ?? 1),
      mode: oneOf(o, 'mode', 'fault', ['error', 'reset'] as const) ?? 'error',
      status: Math.floor(optionalNumber(o, 'status', 'fault', 400) ?? 503),
      error: optionalString(o, 'error', 'fault') ?? outage.error,
      code: Math.floor(optionalNumber(o, 'code', 'fault', 0) ?? outage.code),
      message: optionalString(o, 'message', 'fault') ?? outage.detail,
    };
    const retryAfterSeconds = optionalNumber(o, 'retryAfterSeconds', 'fault', 0);
    const cloud = oneOf(o, 'cloud', 'fault', LISTENER_NAMES);
    const grantType = optionalString(o, 'grantType', 'fault');
    this.ctx.state.tokenFailures.push({
      ...fault,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(cloud ? { cloud } : {}),
      ...(grantType ? { grantType } : {}),
    });
  }

  /** The next authorize request(s) redirect back with this error instead of showing the consent page. */
  injectConsentError(input: ConsentErrorInput): void {
    const o = object(input, 'fault');
    const code = optionalNumber(o, 'code', 'fault', 0);
    const message = optionalString(o, 'message', 'fault') ?? (code === 50076 ? Aad.mfaRequired().detail : undefined);
    const suberror = optionalString(o, 'suberror', 'fault');
    const cloud = oneOf(o, 'cloud', 'fault', LISTENER_NAMES);
    this.ctx.state.consentErrors.push({
      remaining: Math.floor(optionalNumber(o, 'times', 'fault', 1) ?? 1),
      error: requiredString(o, 'error', 'fault'),
      ...(code !== undefined ? { code: Math.floor(code) } : {}),
      ...(message !== undefined ? { message } : {}),
      ...(suberror !== undefined ? { suberror } : {}),
      ...(cloud ? { cloud } : {}),
    });
  }

  /**
   * Puts a user under an MFA policy from now on (or lifts it). Refresh tokens from earlier
   * sign-ins then fail with AADSTS50076 until the user signs in interactively again.
   */
  requireMfa(user: string, required = true): void {
    const u = requireUser(this.ctx.state, user);
    if (required) u.mfaRequiredSince = this.ctx.state.now();
    else delete u.mfaRequiredSince;
  }

  /**
   * The next Graph requests (matching the filters) answer 429 TooManyRequests or 503 with a
   * Retry-After header and Graph's throttling body. Requests inside a $batch count one by one.
   */
  failGraphRequests(input: GraphThrottleInput = {}): void {
    this.ctx.state.graphThrottling.push(readThrottleFault(input));
  }

  /** Adds latency to Graph requests (matching the filters); `[]` removes it. Replaces earlier rules. */
  setGraphLatency(rules: GraphLatencyInput | GraphLatencyInput[]): void {
    this.ctx.state.graphLatency = readLatencyRules(rules);
  }

  graphLatency(): GraphLatencyInput[] {
    return this.ctx.state.graphLatency.map((l) => ({ ...l }));
  }

  faults() {
    const s = this.ctx.state;
    return {
      tokenFailures: s.tokenFailures.map((f) => ({ ...f })),
      consentErrors: s.consentErrors.map((f) => ({ ...f })),
      graphThrottling: s.graphThrottling.map((f) => ({ ...f })),
      graphLatency: s.graphLatency.map((l) => ({ ...l })),
    };
  }

  // --- Graph data changes ------------------------------------------------------------------------

  /**
   * The change log of Graph data (created / updated / deleted, in order), the basis for change
   * notifications and delta queries. `latestChange` is the sequence to pass as `since` later.
   */
  changes(query: ChangeQuery = {}): ChangeEntry[] {
    const { since, filter } = readChangeQuery(query, (ref) => this.scope.user(ref).id);
    return this.ctx.state.data.changes.since(since, filter);
  }

  get latestChange(): number {
    return this.ctx.state.data.changes.latest;
  }

  /**
   * Every `$deltatoken` and `$skiptoken` issued so far stops working: the next call with one
   * answers 410 `syncStateNotFound`, and the client must sync again from scratch. Returns the
   * new sync-state generation.
   */
  invalidateDeltaTokens(): number {
    return this.ctx.state.data.sync.invalidate();
  }

  clearFaults(): void {
    this.ctx.state.clearFaults();
  }

  // --- Observation -----------------------------------------------------------------------------

  requests(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.ctx.state.log.list(filter);
  }

  clearRequests(): void {
    this.ctx.state.log.clear();
  }

  tokenStats(filter: RequestLogFilter = {}): TokenStats {
    return this.ctx.state.log.tokenStats(filter);
  }

  // --- Shortcuts ---------------------------------------------------------------------------------

  /**
   * Mints an access token directly, without a flow (for Graph tests that need odd tokens:
   * expired, other audience, missing permissions). It is signed like any other token.
   */
  async issueAccessToken(input: IssueTokenInput): Promise<string> {
    const s = this.ctx.state;
    const o = object(input, 'token');
    const app = requireApp(s, requiredString(o, 'clientId', 'token'));
    const cloud = LOGIN_CLOUDS[oneOf(o, 'cloud', 'token', ['global', 'usgov', 'china'] as const) ?? 'global'];
    const resource = optionalString(o, 'audience', 'token') ?? cloud.graphRoots[0]!;
    const lifetimeSeconds = Math.floor(typeof o.expiresInSeconds === 'number' ? o.expiresInSeconds : s.settings.accessTokenSeconds);
    const userRef = optionalString(o, 'user', 'token');
    if (userRef) {
      const user = requireUser(s, userRef, 'token.user');
      const tenant = requireTenant(s, user.tenantId);
      const asked = stringArray(o, 'scopes', 'token');
      const scp = asked ? asked.map((n) => canonicalDelegated(n) ?? n) : [...s.consentedPermissions(app, user)];
      return mintDelegatedAccessToken({ key: this.ctx.key, cloud, app, user, tenant, resource, scp, nowMs: s.now(), lifetimeSeconds, authTimeMs: s.now(), mfa: false, appidacr: '1' });
    }
    const tenant = requireTenant(s, requiredString(o, 'tenant', 'token'), 'token.tenant');
    const asked = stringArray(o, 'roles', 'token');
    const roles = asked ?? [...(app.applicationPermissions.get(tenant.id) ?? [])];
    return mintAppAccessToken({ key: this.ctx.key, cloud, app, tenant, resource, roles, nowMs: s.now(), lifetimeSeconds, appidacr: '1' });
  }

  /**
   * Back to the starting seed and settings: directory, Graph data, subscriptions (with pending
   * deliveries and the notification log), sessions, faults, log and clock offset. Delta tokens
   * issued before are invalid afterwards.
   */
  reset(): void {
    const s = this.ctx.state;
    // Deliveries in progress are for subscriptions that are about to disappear.
    this.ctx.notifications.reset();
    s.clear();
    s.settings = { ...this.initialSettings };
    s.resetClock();
    const seed = structuredClone(this.initialSeed);
    applySeed(s, seed);
    this.applyData(seed);
  }
}

function userView(u: User): UserView {
  const { mfaRequiredSince, ...rest } = u;
  return { ...rest, businessPhones: [...u.businessPhones], mfaRequired: mfaRequiredSince !== undefined };
}

function appView(a: App): AppView {
  const iso = (ms: number | undefined) => (ms === undefined ? {} : { expiresAt: new Date(ms).toISOString() });
  return {
    clientId: a.clientId,
    displayName: a.displayName,
    homeTenantId: a.homeTenantId,
    signInAudience: a.signInAudience,
    allowPersonalAccounts: a.allowPersonalAccounts,
    publicClient: a.publicClient,
    pkceRequired: a.pkceRequired,
    redirectUris: [...a.redirectUris],
    delegatedPermissions: [...a.delegatedPermissions],
    applicationPermissions: Object.fromEntries([...a.applicationPermissions].map(([t, set]) => [t, [...set]])),
    secrets: a.secrets.map((s) => ({ id: s.id, ...(s.displayName ? { displayName: s.displayName } : {}), hint: `${s.value.slice(0, 3)}***`, ...iso(s.expiresAt) })),
    certificates: a.certificates.map((c) => ({ ...(c.kid ? { kid: c.kid } : {}), ...(c.x5t ? { x5t: c.x5t } : {}), ...iso(c.expiresAt) })),
    ...(a.revokeRotatedRefreshTokens !== undefined ? { revokeRotatedRefreshTokens: a.revokeRotatedRefreshTokens } : {}),
  };
}
