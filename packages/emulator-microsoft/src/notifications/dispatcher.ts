/**
 * Delivery of notifications to subscribers, in process. Change notifications for one URL raised
 * within the batch window travel in one POST (several subscriptions may share it, as Graph
 * does), at most 100 per POST. A POST not answered 2xx within the timeout is retried after each
 * delay of the retry schedule in turn, then given up. Timers are unref'd so a forgotten emulator
 * never holds a process open, and `clear` / `close` cancel everything, in-flight POSTs included.
 */
import { postWithDeadline } from './http.ts';
import type { NotificationKind, NotificationLog } from './log.ts';
import type { NotificationOptions } from './options.ts';

/** Graph's cap on notifications in one POST. */
const MAX_PER_POST = 100;

export interface Outgoing {
  subscriptionId: string;
  payload: Record<string, unknown>;
}

export interface DeliveryHooks {
  /** Whether the subscription still exists (it may be deleted or expired while a POST waits). */
  active(subscriptionId: string): boolean;
  delivered(items: Outgoing[]): void;
  failedAttempt(subscriptionIds: string[]): void;
  abandoned(items: Outgoing[]): void;
}

export class Dispatcher {
  private readonly queues = new Map<string, { items: Outgoing[]; timer: NodeJS.Timeout }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private controller = new AbortController();

  constructor(
    private readonly options: NotificationOptions,
    private readonly log: NotificationLog,
    private readonly hooks: DeliveryHooks,
    private readonly now: () => number,
  ) {}

  /** Queues a change notification; the batch for its URL leaves when the window closes. */
  enqueue(url: string, item: Outgoing): void {
    let queue = this.queues.get(url);
    if (!queue) {
      queue = { items: [], timer: this.later(this.options.notificationBatchMs, () => this.flushUrl(url)) };
      this.queues.set(url, queue);
    }
    queue.items.push(item);
  }

  /** Sends at once, without batching (lifecycle notifications), with the same retries. */
  send(kind: NotificationKind, url: string, items: Outgoing[]): void {
    this.track(this.deliver(kind, url, items, 1));
  }

  /** Sends every queued batch now and waits for the POSTs in flight (retries stay scheduled). */
  async flush(): Promise<void> {
    for (const [url, queue] of [...this.queues]) {
      clearTimeout(queue.timer);
      this.timers.delete(queue.timer);
      this.flushUrl(url);
    }
    await Promise.allSettled([...this.running]);
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything queued or scheduled and aborts POSTs in flight (emulator reset). */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queues.clear();
    this.controller.abort();
    this.controller = new AbortController();
    this.checkIdle();
  }

  async close(): Promise<void> {
    this.clear();
    await Promise.allSettled([...this.running]);
  }

  private flushUrl(url: string): void {
    const queue = this.queues.get(url);
    if (!queue) return;
    this.queues.delete(url);
    for (let i = 0; i < queue.items.length; i += MAX_PER_POST) this.track(this.deliver('change', url, queue.items.slice(i, i + MAX_PER_POST), 1));
  }

  private async deliver(kind: NotificationKind, url: string, items: Outgoing[], attempt: number): Promise<void> {
    // Graph stops notifying for a subscription that is gone, retries included.
    const live = kind === 'change' ? items.filter((i) => this.hooks.active(i.subscriptionId)) : items;
    if (live.length === 0) return;
    const signal = this.controller.signal;
    const body = { value: live.map((i) => i.payload) };
    const ids = [...new Set(live.map((i) => i.subscriptionId))];
    const at = new Date(this.now()).toISOString();
    const outcome = await postWithDeadline(url, JSON.stringify(body), 'application/json; charset=utf-8', this.options.notificationTimeoutMs, signal);
    // Cancelled by a reset or close: nothing to record, nothing to retry.
    if (signal.aborted) return;
    const ok = 'status' in outcome && outcome.status >= 200 && outcome.status < 300;
    this.log.add({
      kind,
      url,
      subscriptionIds: ids,
      attempt,
      at,
      ...('status' in outcome ? { status: outcome.status } : { error: outcome.error }),
      ok,
      durationMs: outcome.durationMs,
      body,
    });
    if (ok) {
      if (kind === 'change') this.hooks.delivered(live);
      return;
    }
    if (kind === 'change') this.hooks.failedAttempt(ids);
    const delay = this.options.notificationRetryDelaysMs[attempt - 1];
    if (delay === undefined) {
      if (kind === 'change') this.hooks.abandoned(live);
      return;
    }
    this.later(delay, () => this.track(this.deliver(kind, url, live, attempt + 1)));
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
      this.checkIdle();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    const done = () => {
      this.running.delete(p);
      this.checkIdle();
    };
    p.then(done, done);
  }

  private idle(): boolean {
    return this.queues.size === 0 && this.timers.size === 0 && this.running.size === 0;
  }

  private checkIdle(): void {
    if (!this.idle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
