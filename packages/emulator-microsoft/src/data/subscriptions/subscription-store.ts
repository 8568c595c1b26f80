/**
 * Every active subscription, across apps and tenants. Expiry is lazy, as the contract of the
 * emulator allows: a subscription whose expirationDateTime has passed on the emulator clock is
 * removed the next time anything looks (Graph deletes it too; no timer is needed for that).
 */
import type { StoredSubscription } from './model.ts';

export class SubscriptionStore {
  private readonly records = new Map<string, StoredSubscription>();

  constructor(private readonly now: () => number) {}

  private prune(): void {
    const now = this.now();
    for (const [id, s] of this.records) if (s.expiresAt <= now) this.records.delete(id);
  }

  add(s: StoredSubscription): StoredSubscription {
    this.records.set(s.id, s);
    return s;
  }

  /** An active subscription by id (ids are GUIDs; compared case-insensitively as Graph does). */
  get(id: string): StoredSubscription | undefined {
    this.prune();
    return this.records.get(id.toLowerCase());
  }

  /** Active subscriptions, oldest first. */
  list(): StoredSubscription[] {
    this.prune();
    return [...this.records.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  remove(id: string): boolean {
    return this.records.delete(id.toLowerCase());
  }

  clear(): void {
    this.records.clear();
  }
}
