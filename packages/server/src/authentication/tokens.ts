import type { Database } from '../store/database.ts';
import type { Vault } from '../vault/vault.ts';
import type { Authenticator } from './authenticator.ts';
import type { ConnectionContext } from './context.ts';
import { AuthProviderError } from './errors.ts';
import type { TokenSet } from './oauth2.ts';

/** The secret part of a connection, stored as one encrypted document in the vault. */
export interface ConnectionSecrets {
  /** Values of the connection's secret fields (client secret, API key, password, private key ...). */
  fields: Record<string, unknown>;
  tokens?: TokenSet;
}

export const CONNECTION_SCOPE = 'connection';

export interface RenewalHooks {
  /** Builds the template context for the connection from its stored values. */
  context(connectionId: string, secrets: ConnectionSecrets): Promise<ConnectionContext>;
  /** Records a successful renewal (expiry, time) on the connection row. */
  renewed(connectionId: string, tokens: TokenSet): Promise<void>;
  /** A permanent failure: the connection must be disabled with an actionable reason. */
  failed(connectionId: string, error: AuthProviderError): Promise<never>;
}

export interface TokenManagerOptions {
  /** Renew this long before expiry unless the connector sets refreshMarginSeconds. */
  defaultMarginSeconds?: number;
  /** Attempts for transient failures (network, 5xx) before giving up for this call. */
  attempts?: number;
  baseDelayMs?: number;
}

export class TransientRenewalError extends Error {
  override name = 'TransientRenewalError';
}

/**
 * Keeps access tokens fresh without ever refreshing one twice. Three layers: a promise per
 * connection inside the process (single flight), a lock shared by every process on the
 * store, and, after taking the lock, a re-read of the vault version: if another process
 * renewed meanwhile we use its token. A rotated refresh token is persisted with
 * compare-and-swap the moment it arrives.
 */
export class TokenManager {
  private readonly inflight = new Map<string, Promise<TokenSet>>();
  private readonly margin: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly db: Database,
    private readonly vault: Vault,
    private readonly authenticator: Authenticator,
    private readonly hooks: RenewalHooks,
    options: TokenManagerOptions = {},
  ) {
    this.margin = options.defaultMarginSeconds ?? 300;
    this.attempts = options.attempts ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 250;
  }

  /**
   * A usable token. `rejected` is an access token the vendor just refused (401, or the
   * connector's declared expired-token status): it forces a renewal unless someone
   * already replaced it.
   */
  async token(connectionId: string, options: { rejected?: string; force?: boolean } = {}): Promise<TokenSet | undefined> {
    const stored = await this.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, connectionId);
    if (!stored) throw new Error(`Connection ${connectionId} has no stored credentials`);
    const ctx = await this.hooks.context(connectionId, stored.value);
    const tokens = stored.value.tokens;
    const margin = marginOf(ctx) ?? this.margin;
    const due =
      options.force ||
      (options.rejected !== undefined && tokens?.accessToken === options.rejected) ||
      (tokens !== undefined && tokens.expiresAt !== undefined && Date.parse(tokens.expiresAt) - margin * 1000 <= Date.now());
    if (!due || !tokens) return tokens;
    return this.renew(connectionId, stored.version);
  }

  /** Renews unless the stored credential changed after `seenVersion` (then someone else renewed it). */
  renew(connectionId: string, seenVersion: number): Promise<TokenSet> {
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const job = this.db
      .withLock(`token:${connectionId}`, () => this.renewLocked(connectionId, seenVersion))
      .finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, job);
    return job;
  }

  private async renewLocked(connectionId: string, seenVersion: number): Promise<TokenSet> {
    const current = await this.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, connectionId);
    if (!current) throw new Error(`Connection ${connectionId} has no stored credentials`);
    if (current.version !== seenVersion && current.value.tokens) return current.value.tokens;
    const ctx = await this.hooks.context(connectionId, current.value);
    let fresh: TokenSet;
    try {
      fresh = await this.withRetries(() => this.authenticator.renew(ctx, current.value.tokens));
    } catch (error) {
      if (error instanceof AuthProviderError && error.permanent) {
        // invalid_grant right after someone else rotated the refresh token is a race, not a revocation.
        const again = await this.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, connectionId);
        if (again && again.version !== current.version && again.value.tokens) return again.value.tokens;
        return this.hooks.failed(connectionId, error);
      }
      throw new TransientRenewalError(`Token renewal failed temporarily: ${(error as Error).message}`);
    }
    const written = await this.vault.compareAndSet(CONNECTION_SCOPE, connectionId, current.version, { ...current.value, tokens: fresh });
    if (written === undefined) {
      // Only a writer outside the lock (a reconnect) can get here; its credentials win.
      const now = await this.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, connectionId);
      if (now?.value.tokens) return now.value.tokens;
    }
    await this.hooks.renewed(connectionId, fresh);
    return fresh;
  }

  private async withRetries<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const permanent = error instanceof AuthProviderError ? error.permanent : !isNetworkError(error);
        if (permanent || attempt >= this.attempts) throw error;
        // Full jitter: spreads retries of many connections after a vendor outage.
        await new Promise((r) => setTimeout(r, Math.random() * this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}

function marginOf(ctx: ConnectionContext): number | undefined {
  const auth = ctx.auth;
  if ('oauth2' in auth) return auth.oauth2.refreshMarginSeconds;
  if ('jwtBearer' in auth) return auth.jwtBearer.refreshMarginSeconds;
  return undefined;
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error as { name?: string }).name === 'TimeoutError';
}
