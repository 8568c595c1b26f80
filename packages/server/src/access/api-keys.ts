import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../store/database.ts';
import type { Principal } from './principal.ts';

/** `sb_` makes keys recognisable to secret scanners; 32 random bytes make them unguessable. */
const KEY_PREFIX = 'sb_';
const SHOWN_PREFIX_LENGTH = 10;
/** last_used_at is advisory; writing it at most once a minute per key keeps it off the hot path. */
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * A resolved key is reused for this long, because a store lookup per request is the largest
 * cost of a proxied call. Revocation in this process takes effect at once; in another instance
 * within this window. Keys with an expiry are never cached, so they stop at their exact time.
 */
const AUTHENTICATION_CACHE_MS = 5_000;
const AUTHENTICATION_CACHE_MAX = 10_000;

export interface ApiKeyView {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export class ApiKeys {
  private readonly lastWritten = new Map<string, number>();
  private readonly resolved = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly db: Database) {}

  /** Stores the hash of a new key and returns the key itself, which is never stored or shown again. */
  async create(
    tx: Queryable,
    input: { tenantId: string; userId: string; name: string; expiresAt?: Date | undefined; key?: string },
  ): Promise<{ key: string; apiKey: ApiKeyView }> {
    const key = input.key ?? generateApiKey();
    const [row] = await tx.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, tenant_id, user_id, name, prefix, key_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [randomUUID(), input.tenantId, input.userId, input.name, key.slice(0, SHOWN_PREFIX_LENGTH), hashApiKey(key), input.expiresAt ?? null],
    );
    return { key, apiKey: toView(row!) };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    const rows = await this.db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE user_id = $1 ORDER BY created_at, id', [userId]);
    return rows.map(toView);
  }

  /** Revocation is a soft delete so audits can still tell which key did what. */
  async revoke(userId: string, keyId: string): Promise<ApiKeyView | undefined> {
    const [row] = await this.db.query<ApiKeyRow>(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *',
      [keyId, userId],
    );
    this.forget(keyId);
    return row ? toView(row) : undefined;
  }

  /** Resolves an API key to its principal, or undefined for unknown, revoked and expired keys. */
  async authenticate(key: string): Promise<Principal | undefined> {
    if (key.length > 512) return undefined;
    const hash = hashApiKey(key);
    const cached = this.resolved.get(hash);
    if (cached && cached.until > Date.now()) {
      this.touch(cached.principal.apiKeyId!);
      return cached.principal;
    }
    const [row] = await this.db.query<{ id: string; user_id: string; tenant_id: string; email: string; is_tenant_admin: boolean; expires_at: Date | null }>(
      `SELECT k.id, k.user_id, k.tenant_id, u.email, u.is_tenant_admin, k.expires_at
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [hash],
    );
    if (!row) {
      this.resolved.delete(hash);
      return undefined;
    }
    this.touch(row.id);
    const principal: Principal = { userId: row.user_id, tenantId: row.tenant_id, email: row.email, isTenantAdmin: row.is_tenant_admin, apiKeyId: row.id };
    if (row.expires_at === null) {
      if (this.resolved.size >= AUTHENTICATION_CACHE_MAX) this.resolved.clear();
      this.resolved.set(hash, { principal, until: Date.now() + AUTHENTICATION_CACHE_MS });
    }
    return principal;
  }

  /** Drops cached resolutions of a key (revocation), so this instance refuses it at once. */
  private forget(keyId: string): void {
    for (const [hash, entry] of this.resolved) if (entry.principal.apiKeyId === keyId) this.resolved.delete(hash);
  }

  private touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.lastWritten.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastWritten.set(keyId, now);
    // Fire and forget: a failed bookkeeping write must not fail the caller's request.
    this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => this.lastWritten.delete(keyId));
  }
}
