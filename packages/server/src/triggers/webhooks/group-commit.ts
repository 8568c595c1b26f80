import type { Database } from '../../store/database.ts';
import type { TriggerRow } from '../model.ts';
import { type NewEvent, eventId, storeEventRows } from '../outbox.ts';

interface Waiting {
  batches: Array<{ trigger: Pick<TriggerRow, 'id' | 'tenant_id' | 'target'>; events: NewEvent[] }>;
  now: Date;
  resolve: (ids: string[][]) => void;
  reject: (error: unknown) => void;
}

const MAX_EVENTS_PER_COMMIT = 1000;

/**
 * Group commit for the webhook ingress: deliveries arriving together are stored in one
 * transaction and one INSERT, and each is acknowledged only once that transaction committed.
 * Under load a commit carries as many deliveries as arrived while the previous one ran, so the
 * store does a few large writes instead of one small transaction per webhook; alone, a
 * delivery waits for nothing.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private writers = 0;
  /**
   * Commits in flight at once. PostgreSQL spends most of a commit waiting for its log flush,
   * which concurrent commits share, so a few writers overlap those waits; the embedded store
   * runs one statement at a time, so one writer is all it can use.
   */
  private readonly parallel: number;

  constructor(private readonly db: Database) {
    this.parallel = db.kind === 'postgres' ? 4 : 1;
  }

  /** Stores the events; resolves, per batch, with the ids stored now (not already known). */
  store(batches: Waiting['batches'], now: Date): Promise<string[][]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batches, now, resolve, reject });
      if (this.writers < this.parallel) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const group: Waiting[] = [];
        let events = 0;
        while (this.queue.length > 0 && (group.length === 0 || events + count(this.queue[0]!) <= MAX_EVENTS_PER_COMMIT)) {
          const next = this.queue.shift()!;
          events += count(next);
          group.push(next);
        }
        await this.commit(group);
      }
    } finally {
      this.writers--;
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    try {
      const rows = group.flatMap((w) => w.batches.flatMap((b) => b.events.map((event) => ({ trigger: b.trigger, event, now: w.now }))));
      const stored = new Set(await this.db.transaction((tx) => storeEventRows(tx, rows)));
      for (const w of group) w.resolve(w.batches.map((b) => b.events.map((e) => eventId(b.trigger.id, e.dedupeKey)).filter((id) => stored.has(id))));
    } catch (error) {
      for (const w of group) w.reject(error);
    }
  }
}

function count(w: Waiting): number {
  return w.batches.reduce((n, b) => n + b.events.length, 0);
}
