/**
 * Everything the four listeners share: the directory (tenants, users, apps, grants), session
 * records (consent transactions, codes, refresh tokens, used assertion ids), faults, settings,
 * the request log and the clock. One instance per emulator, so a token minted by the usgov
 * listener is validated by the dod listener against the same key and records.
 */
import type { ListenerName, LoginCloudName } from './clouds.ts';
import type {
  App,
  AuthCode,
  AuthTransaction,
  ConsentErrorFault,
  DelegatedGrant,
  GraphLatency,
  GraphThrottleFault,
  RefreshGrant,
  Tenant,
  TokenFailureFault,
  TokenSettings,
  User,
} from './model.ts';
import { GraphStore } from './data/store.ts';
import { RequestLog } from './request-log.ts';

const DEFAULT_TOKEN_SETTINGS: TokenSettings = {
  // Real lifetimes vary between 60 and 90 minutes; clients see expires_in 3599 in most samples.
  accessTokenSeconds: 3599,
  refreshTokenSeconds: 90 * 24 * 3600,
  codeSeconds: 600,
  revokeRotatedRefreshTokens: false,
};

export class EmulatorState {
  readonly tenants = new Map<string, Tenant>();
  readonly users = new Map<string, User>();
  /** Keyed by lower-case client id: Entra compares client ids case-insensitively. */
  readonly apps = new Map<string, App>();
  readonly grants = new Map<string, DelegatedGrant>();

  readonly transactions = new Map<string, AuthTransaction>();
  readonly codes = new Map<string, AuthCode>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Client-assertion `jti`s already accepted, with the assertion's expiry (ms). */
  readonly usedAssertionIds = new Map<string, number>();

  tokenFailures: TokenFailureFault[] = [];
  consentErrors: ConsentErrorFault[] = [];
  graphThrottling: GraphThrottleFault[] = [];
  graphLatency: GraphLatency[] = [];
  /** Mailboxes, calendars, drives and sites: the data Graph serves. */
  readonly data: GraphStore;
  settings: TokenSettings;
  readonly log = new RequestLog();

  private clockOffsetMs = 0;

  constructor(private readonly baseClock: () => number, settings: Partial<TokenSettings> = {}) {
    this.settings = { ...DEFAULT_TOKEN_SETTINGS, ...settings };
    this.data = new GraphStore(this);
  }

  /** Epoch ms. Injectable and advanceable so expiry tests never sleep. */
  now(): number {
    return this.baseClock() + this.clockOffsetMs;
  }

  advanceClock(seconds: number): number {
    this.clockOffsetMs += seconds * 1000;
    return this.now();
  }

  resetClock(): void {
    this.clockOffsetMs = 0;
  }

  // --- Directory lookups -------------------------------------------------------------------

  /** By id, short name or verified domain, case-insensitively. */
  findTenant(ref: string): Tenant | undefined {
    const wanted = ref.toLowerCase();
    for (const t of this.tenants.values()) {
      if (t.id.toLowerCase() === wanted || t.name.toLowerCase() === wanted) return t;
      if (t.domains.some((d) => d.toLowerCase() === wanted)) return t;
    }
    return undefined;
  }

  /** By object id or userPrincipalName, optionally within one tenant. */
  findUser(ref: string, tenantId?: string): User | undefined {
    const wanted = ref.toLowerCase();
    for (const u of this.users.values()) {
      if (tenantId && u.tenantId !== tenantId) continue;
      if (u.id.toLowerCase() === wanted || u.userPrincipalName.toLowerCase() === wanted) return u;
    }
    return undefined;
  }

  findApp(clientId: string): App | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  usersOfTenant(tenantId: string): User[] {
    return [...this.users.values()].filter((u) => u.tenantId === tenantId);
  }

  /** Tenants a given login host can see: those pinned to its cloud and the unpinned ones. */
  tenantsInCloud(cloud: LoginCloudName): Tenant[] {
    return [...this.tenants.values()].filter((t) => t.cloud === undefined || t.cloud === cloud);
  }

  /**
   * Whether the app has a service principal in the tenant: its home tenant, or any tenant where
   * an admin granted it something or a user consented to it.
   */
  isAppPresentIn(app: App, tenantId: string): boolean {
    if (app.homeTenantId === tenantId || app.applicationPermissions.has(tenantId)) return true;
    for (const g of this.grants.values()) if (g.clientId === app.clientId && g.tenantId === tenantId) return true;
    return false;
  }

  // --- Delegated consent -------------------------------------------------------------------

  private grantKey(clientId: string, tenantId: string, userId?: string): string {
    return `${clientId.toLowerCase()}|${tenantId}|${userId ?? '*'}`;
  }

  addDelegatedGrant(clientId: string, tenantId: string, userId: string | undefined, scopes: Iterable<string>): void {
    const key = this.grantKey(clientId, tenantId, userId);
    const grant = this.grants.get(key) ?? { clientId, tenantId, ...(userId ? { userId } : {}), scopes: new Set<string>() };
    for (const s of scopes) grant.scopes.add(s);
    this.grants.set(key, grant);
  }

  removeDelegatedGrant(clientId: string, tenantId: string, userId?: string): boolean {
    return this.grants.delete(this.grantKey(clientId, tenantId, userId));
  }

  /**
   * What the user has consented to for the app, plus what an admin consented to for the whole
   * tenant. Consent accumulates, so tokens carry every consented permission, as Entra's do.
   */
  consentedPermissions(app: App, user: User): Set<string> {
    const result = new Set<string>();
    for (const key of [this.grantKey(app.clientId, user.tenantId, user.id), this.grantKey(app.clientId, user.tenantId)]) {
      for (const s of this.grants.get(key)?.scopes ?? []) result.add(s);
    }
    return result;
  }

  // --- Faults --------------------------------------------------------------------------------

  /** The next matching token-endpoint failure, consumed. */
  takeTokenFailure(listener: ListenerName, grantType: string | undefined): TokenFailureFault | undefined {
    const fault = this.tokenFailures.find(
      (f) => f.remaining > 0 && (!f.cloud || f.cloud === listener) && (!f.grantType || f.grantType === grantType),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.tokenFailures = this.tokenFailures.filter((f) => f.remaining > 0);
    return fault;
  }

  takeConsentError(listener: ListenerName): ConsentErrorFault | undefined {
    const fault = this.consentErrors.find((f) => f.remaining > 0 && (!f.cloud || f.cloud === listener));
    if (!fault) return undefined;
    fault.remaining--;
    this.consentErrors = this.consentErrors.filter((f) => f.remaining > 0);
    return fault;
  }

  /** The next matching Graph throttling fault, consumed. */
  takeGraphThrottle(listener: ListenerName, method: string, path: string): GraphThrottleFault | undefined {
    const lower = path.toLowerCase();
    const fault = this.graphThrottling.find(
      (f) =>
        f.remaining > 0 &&
        (!f.cloud || f.cloud === listener) &&
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.path || lower.includes(f.path.toLowerCase())),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.graphThrottling = this.graphThrottling.filter((f) => f.remaining > 0);
    return fault;
  }

  /** Total injected latency for a Graph request. */
  graphDelayMs(listener: ListenerName, path: string): number {
    const lower = path.toLowerCase();
    return this.graphLatency
      .filter((l) => (!l.cloud || l.cloud === listener) && (!l.path || lower.includes(l.path.toLowerCase())))
      .reduce((sum, l) => sum + l.ms, 0);
  }

  clearFaults(): void {
    this.tokenFailures = [];
    this.consentErrors = [];
    this.graphThrottling = [];
    this.graphLatency = [];
  }

  /** Drops expired session records; called on each authorize/token request instead of a timer. */
  sweep(): void {
    const now = this.now();
    for (const [k, t] of this.transactions) if (t.expiresAt <= now) this.transactions.delete(k);
    // Redeemed and expired codes stay a while so reuse reports 54005 rather than "not found".
    for (const [k, c] of this.codes) if (c.expiresAt + 3600_000 <= now) this.codes.delete(k);
    for (const [k, exp] of this.usedAssertionIds) if (exp <= now) this.usedAssertionIds.delete(k);
  }

  /** Forgets everything: directory, sessions, faults, log, Graph data. The caller re-applies a seed. */
  clear(): void {
    this.tenants.clear();
    this.users.clear();
    this.apps.clear();
    this.grants.clear();
    this.transactions.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.usedAssertionIds.clear();
    this.clearFaults();
    this.log.clear();
    this.data.clear();
  }
}
