/**
 * Change notifications, end to end: listens to the change log once, turns each entry into a
 * notification for every active subscription it matches, and hands those to the dispatcher.
 * Also runs validation handshakes for new subscriptions and sends lifecycle notifications on
 * request (the admin API's way of reproducing reauthorizationRequired, subscriptionRemoved and
 * missed). The records themselves live in the Graph store, next to the data they watch.
 */
import type { ChangeEntry } from '../data/change-log.ts';
import type { StoredSubscription } from '../data/subscriptions/model.ts';
import { etag } from '../graph/mail/serialize.ts';
import type { EmulatorState } from '../state.ts';
import { changeNotification, lifecycleNotification, matches, type LifecycleEvent } from './change-notification.ts';
import { Dispatcher, type DeliveryHooks, type Outgoing } from './dispatcher.ts';
import { NotificationLog } from './log.ts';
import type { NotificationOptions } from './options.ts';
import { validateEndpoint } from './validation.ts';

const WATCHED = new Set<ChangeEntry['resource']>(['message', 'event', 'contact']);

export class ChangeNotifications {
  readonly log = new NotificationLog();
  private readonly dispatcher: Dispatcher;
  private readonly stopListening: () => void;
  private readonly closing = new AbortController();

  constructor(
    private readonly state: EmulatorState,
    readonly options: NotificationOptions,
  ) {
    this.dispatcher = new Dispatcher(options, this.log, this.hooks(), () => state.now());
    this.stopListening = state.data.changes.subscribe((e) => this.onChange(e));
  }

  private hooks(): DeliveryHooks {
    const each = (ids: Iterable<string>, bump: (s: StoredSubscription) => void) => {
      for (const id of ids) {
        const s = this.state.data.subscriptions.get(id);
        if (s) bump(s);
      }
    };
    return {
      active: (id) => this.state.data.subscriptions.get(id) !== undefined,
      delivered: (items) => each(items.map((i) => i.subscriptionId), (s) => s.counters.sent++),
      failedAttempt: (ids) => each(ids, (s) => s.counters.failed++),
      abandoned: (items) => each(items.map((i) => i.subscriptionId), (s) => s.counters.abandoned++),
    };
  }

  /** Runs inside the data change itself, so it only queues work and never throws. */
  private onChange(e: ChangeEntry): void {
    if (!WATCHED.has(e.resource)) return;
    try {
      for (const s of this.state.data.subscriptions.list()) {
        if (!matches(s, e)) continue;
        if (s.dropNext > 0) {
          s.dropNext--;
          s.counters.dropped++;
          continue;
        }
        this.dispatcher.enqueue(s.notificationUrl, { subscriptionId: s.id, payload: changeNotification(s, e, this.etagOf(e)) });
      }
    } catch {
      // A notification is never worth failing the change that raised it.
    }
  }

  /** The item's current etag, when it still exists. */
  private etagOf(e: ChangeEntry): string | undefined {
    if (e.changeType === 'deleted' || !e.userId) return undefined;
    const user = this.state.users.get(e.userId);
    if (!user) return undefined;
    const data = this.state.data;
    const item =
      e.resource === 'message' ? data.mailbox(user).message(e.id) : e.resource === 'event' ? data.calendar(user).event(e.id) : data.contacts(user).contact(e.id);
    return item ? etag(item.id, item.version) : undefined;
  }

  /** The validation handshake for a subscription being created (true = the endpoint passed). */
  validate(url: string, subscriptionId: string): Promise<boolean> {
    return validateEndpoint(url, subscriptionId, { timeoutMs: this.options.validationTimeoutMs, log: this.log, now: () => this.state.now(), closing: this.closing.signal });
  }

  /** POSTs a lifecycle notification to the subscription's lifecycleNotificationUrl (which the caller checked). */
  lifecycle(s: StoredSubscription, event: LifecycleEvent): { url: string; body: { value: Record<string, unknown>[] } } {
    const url = s.lifecycleNotificationUrl!;
    const item: Outgoing = { subscriptionId: s.id, payload: lifecycleNotification(s, event) };
    this.dispatcher.send('lifecycle', url, [item]);
    return { url, body: { value: [item.payload] } };
  }

  /** Sends queued batches now and waits for POSTs in flight. */
  flush(): Promise<void> {
    return this.dispatcher.flush();
  }

  /** Waits until nothing is queued, in flight, or scheduled for a retry. */
  whenIdle(): Promise<void> {
    return this.dispatcher.whenIdle();
  }

  /** Emulator reset: pending deliveries and the log go (the subscriptions go with the Graph data). */
  reset(): void {
    this.dispatcher.clear();
    this.log.clear();
  }

  async close(): Promise<void> {
    this.stopListening();
    this.closing.abort();
    await this.dispatcher.close();
  }
}
