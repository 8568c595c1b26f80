import type { ConnectionAccess } from '../connections/service.ts';
import type { LimitSettings } from './connection-limiter.ts';
import { DEFAULT_RETRY_STATUSES, type RetrySettings } from './retry-policy.ts';

/**
 * Everything about a connection a vendor call needs, worked out once per access (and cached
 * with it): where its credentials may go, what they are, and how hard and how often to try.
 */
export interface CallProfile {
  access: ConnectionAccess;
  /** The connection's base URL; undefined for connectors without one (then nothing gets credentials). */
  base: URL | undefined;
  /** `base.origin`: the only origin credentials are attached to. */
  baseOrigin: string | undefined;
  /** The base URL is internal (loopback/private address, or listed): private destinations are allowed. */
  internal: boolean;
  credentialHeaders: Record<string, string>;
  credentialQuery: Array<[string, string]>;
  /** The connector's `http.headers`, rendered for this connection (e.g. an API version header). */
  connectorHeaders: Record<string, string>;
  /** Statuses meaning "the access token expired" (connector's expiredTokenStatus, default 401). */
  expiredStatuses: number[];
  retry: RetrySettings;
  limits: LimitSettings | undefined;
  vendorName: string;
  /** When the cached profile must be rebuilt at the latest (the access token's expiry, with a margin). */
  validUntil: number;
}

export interface ProfileDefaults {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxTotalWaitMs: number;
}

/** A token this close to expiry is not served from the cache: the token manager renews it instead. */
const EXPIRY_MARGIN_MS = 30_000;

export function buildProfile(access: ConnectionAccess, defaults: ProfileDefaults, isInternal: (base: URL) => boolean): CallProfile {
  const { ctx, connector, credentials, tokens } = access;
  const baseText = ctx.baseUrl();
  const base = baseText ? new URL(baseText) : undefined;
  const auth = ctx.auth;
  const declared = 'oauth2' in auth ? auth.oauth2.expiredTokenStatus : 'jwtBearer' in auth ? auth.jwtBearer.expiredTokenStatus : undefined;
  const connectorHeaders: Record<string, string> = {};
  for (const [name, template] of Object.entries(connector.http.headers ?? {})) connectorHeaders[name.toLowerCase()] = ctx.renderText(template);
  const credentialHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(credentials.headers)) credentialHeaders[name.toLowerCase()] = value;
  const retry = connector.http.retry;
  const expiresAt = tokens?.expiresAt ? Date.parse(tokens.expiresAt) - EXPIRY_MARGIN_MS : Number.POSITIVE_INFINITY;
  return {
    access,
    base,
    baseOrigin: base?.origin,
    internal: base ? isInternal(base) : false,
    credentialHeaders,
    credentialQuery: Object.entries(credentials.query),
    connectorHeaders,
    expiredStatuses: declared ?? [401],
    retry: {
      // 429 and 503 always mean "not done, come back"; a connector can add statuses, not remove those.
      statuses: [...new Set([...DEFAULT_RETRY_STATUSES, ...(retry?.statuses ?? [])])],
      maxAttempts: Math.max(1, retry?.maxAttempts ?? defaults.maxAttempts),
      baseDelayMs: defaults.baseDelayMs,
      maxDelayMs: defaults.maxDelayMs,
      maxTotalWaitMs: defaults.maxTotalWaitMs,
    },
    limits: connector.http.rateLimit,
    vendorName: connector.displayName,
    validUntil: Number.isNaN(expiresAt) ? Number.POSITIVE_INFINITY : expiresAt,
  };
}
