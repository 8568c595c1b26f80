/**
 * Change-notification subscriptions for tests: see every subscription (any app, any tenant)
 * with its delivery counts, and cause what a real subscriber must cope with — lifecycle
 * notifications (reauthorizationRequired, subscriptionRemoved, missed), lost notifications,
 * and expiry. The notification log shows every POST made to subscribers.
 */
import type { DeliveryCounters } from '../data/subscriptions/model.ts';
import type { StoredSubscription } from '../data/subscriptions/model.ts';
import { subscriptionJson } from '../graph/subscriptions/serialize.ts';
import { InputError, NotFoundError } from '../input.ts';
import type { LifecycleEvent } from '../notifications/change-notification.ts';
import type { NotificationAttempt, NotificationLogFilter } from '../notifications/log.ts';
import type { AdminScope } from './scope.ts';

const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

/** A subscription as Graph shows it, plus what only the emulator knows. */
export interface SubscriptionView {
  id: string;
  resource: string;
  applicationId: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  creatorId: string;
  includeResourceData: boolean;
  latestSupportedTlsVersion: string;
  tenantId: string;
  createdBy: 'delegated' | 'app';
  /** What the resource resolved to: item kind, mailbox owner, folder or calendar id. */
  target: { kind: string; userId: string; container?: string };
  /** Change notifications still to be lost (see `drop`). */
  dropNext: number;
  notifications: DeliveryCounters;
}

export interface LifecycleSent {
  url: string;
  body: { value: Record<string, unknown>[] };
}

export class SubscriptionsAdmin {
  constructor(private readonly scope: AdminScope) {}

  private find(id: string): StoredSubscription {
    if (typeof id !== 'string' || id === '') throw new InputError('subscription id must be a non-empty string');
    const s = this.scope.store.subscriptions.get(id);
    if (!s) throw new NotFoundError(`no active subscription '${id}'`);
    return s;
  }

  private view(s: StoredSubscription): SubscriptionView {
    const graph = subscriptionJson(s) as Omit<SubscriptionView, 'tenantId' | 'createdBy' | 'target' | 'dropNext' | 'notifications'>;
    const t = s.target;
    return {
      ...graph,
      tenantId: s.tenantId,
      createdBy: s.createdBy,
      target: { kind: t.kind, userId: t.userId, ...(t.container ? { container: t.container } : {}) },
      dropNext: s.dropNext,
      notifications: { ...s.counters },
    };
  }

  /** Every active subscription, oldest first. */
  list(): SubscriptionView[] {
    return this.scope.store.subscriptions.list().map((s) => this.view(s));
  }

  get(id: string): SubscriptionView {
    return this.view(this.find(id));
  }

  /**
   * POSTs a lifecycle notification to the subscription's lifecycleNotificationUrl, as Graph
   * would. `subscriptionRemoved` deletes the subscription first, as Graph has by then.
   */
  lifecycle(id: string, event: LifecycleEvent): LifecycleSent {
    if (!LIFECYCLE_EVENTS.includes(event)) throw new InputError(`lifecycleEvent must be one of ${LIFECYCLE_EVENTS.join(', ')}`);
    const s = this.find(id);
    if (!s.lifecycleNotificationUrl) throw new InputError(`subscription '${s.id}' has no lifecycleNotificationUrl`);
    if (event === 'subscriptionRemoved') this.scope.store.subscriptions.remove(s.id);
    return this.scope.ctx.notifications.lifecycle(s, event);
  }

  /** The next `count` change notifications of the subscription are lost, as if Graph missed them. */
  drop(id: string, count = 1): SubscriptionView {
    if (!Number.isInteger(count) || count < 0) throw new InputError('count must be an integer >= 0');
    const s = this.find(id);
    s.dropNext = count;
    return this.view(s);
  }

  /** Expires the subscription now (Graph then deletes it: 404, no more notifications). */
  expire(id: string): void {
    this.find(id).expiresAt = this.scope.now();
  }

  /** The log of validation requests and notification POSTs (every attempt). */
  notifications(filter: NotificationLogFilter = {}): NotificationAttempt[] {
    return this.scope.ctx.notifications.log.list(filter);
  }

  clearNotifications(): void {
    this.scope.ctx.notifications.log.clear();
  }

  /** Sends batched notifications now, without waiting for the batch window, and waits for the POSTs. */
  flush(): Promise<void> {
    return this.scope.ctx.notifications.flush();
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry. */
  whenIdle(): Promise<void> {
    return this.scope.ctx.notifications.whenIdle();
  }
}
