import type { ConnectionRow } from '../connections/repository.ts';

interface Entry<T> {
  value: Promise<T>;
  /** The row version the value was built from: a reconnect or a status change makes it stale. */
  version: string;
  expiresAt: number;
}

/** The version of a connection row as far as its credentials go. */
function versionOf(row: Pick<ConnectionRow, 'updated_at' | 'status'>): string {
  const at = row.updated_at instanceof Date ? row.updated_at.getTime() : String(row.updated_at);
  return `${row.status}:${at}`;
}

/**
 * Per-connection memo of what a vendor call needs (decrypted credentials, rendered base URL):
 * reading them costs store queries and decryption, which a busy connection would otherwise pay
 * on every call. Kept a few seconds, never past `validUntil` of the value (the access token's
 * expiry), dropped when the row changes (reconnect, disable) and when the vendor rejects the
 * token. Concurrent callers share one load (single flight); a failed load is not kept.
 */
export class AccessCache<T extends { validUntil: number }> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(row: Pick<ConnectionRow, 'id' | 'updated_at' | 'status'>, load: () => Promise<T>): Promise<T> {
    const version = versionOf(row);
    const now = this.now();
    const hit = this.entries.get(row.id);
    if (hit && hit.version === version && hit.expiresAt > now) return hit.value;
    return this.put(row.id, version, load);
  }

  /** Replaces the entry with a fresh load (after a token renewal). */
  refresh(row: Pick<ConnectionRow, 'id' | 'updated_at' | 'status'>, load: () => Promise<T>): Promise<T> {
    return this.put(row.id, versionOf(row), load);
  }

  invalidate(connectionId: string): void {
    this.entries.delete(connectionId);
  }

  private put(id: string, version: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const entry: Entry<T> = { value: load(), version, expiresAt: this.now() + this.ttlMs };
    this.entries.set(id, entry);
    entry.value.then(
      (v) => {
        if (this.entries.get(id) === entry) entry.expiresAt = Math.min(entry.expiresAt, v.validUntil);
      },
      () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    );
    // Bound the map: expired entries of idle connections go when the map grows.
    if (this.entries.size > 10_000) {
      const now = this.now();
      for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    }
    return entry.value;
  }
}
