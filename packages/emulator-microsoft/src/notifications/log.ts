/**
 * Every POST the emulator made to a notification or lifecycle URL, and every validation
 * request: what was sent, to which subscriptions, which attempt, and how the receiver answered.
 * Tests read it to see deliveries, retries and failures without a receiver of their own.
 */

export type NotificationKind = 'validation' | 'change' | 'lifecycle';

export interface NotificationAttempt {
  /** Order of the attempt (grows across the emulator's life). */
  seq: number;
  kind: NotificationKind;
  url: string;
  /** The subscriptions the POST carried notifications for (the one being created, for validation). */
  subscriptionIds: string[];
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** ISO instant on the emulator clock. */
  at: string;
  /** The receiver's status code, when it answered. */
  status?: number;
  /** Why the attempt failed without a status (timeout, connection refused). */
  error?: string;
  /** Whether the receiver accepted it (2xx; for validation: 200 echoing the token). */
  ok: boolean;
  durationMs: number;
  /** The JSON POSTed; for validation, the decoded validationToken sent in the query. */
  body: unknown;
  /** The start of the receiver's answer, for diagnosing a failed validation. */
  response?: string;
}

export interface NotificationLogFilter {
  subscriptionId?: string;
  kind?: NotificationKind;
}

const MAX_ENTRIES = 10_000;

export class NotificationLog {
  private entries: NotificationAttempt[] = [];
  private seq = 0;

  add(entry: Omit<NotificationAttempt, 'seq'>): NotificationAttempt {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return full;
  }

  list(filter: NotificationLogFilter = {}): NotificationAttempt[] {
    const id = filter.subscriptionId?.toLowerCase();
    return this.entries
      .filter((e) => (!id || e.subscriptionIds.includes(id)) && (!filter.kind || e.kind === filter.kind))
      .map((e) => structuredClone(e));
  }

  clear(): void {
    this.entries = [];
  }
}
