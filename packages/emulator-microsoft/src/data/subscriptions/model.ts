/**
 * Graph change-notification subscriptions as the emulator keeps them. The resource path is kept
 * as the client wrote it (Graph echoes it), next to what it resolved to when the subscription
 * was created: which kind of item, whose mailbox, and which folder or calendar, so matching a
 * change-log entry never has to parse a path again.
 */
import type { ChangeType } from '../change-log.ts';

export type SubscribedKind = 'message' | 'event' | 'contact';

export interface SubscriptionTarget {
  kind: SubscribedKind;
  tenantId: string;
  userId: string;
  /** Folder id (mailFolders/{id}/messages) or calendar id (calendars/{id}/events); absent = the whole mailbox. */
  container?: string;
  /** Containers a mailbox-wide subscription ignores (the hidden Recoverable Items folder a DELETE moves mail to). */
  excluded: string[];
}

export interface DeliveryCounters {
  /** Change notifications delivered (the receiver answered 2xx). */
  sent: number;
  /** Delivery attempts (POSTs) that failed: no 2xx within the timeout. */
  failed: number;
  /** Notifications given up on after the last retry. */
  abandoned: number;
  /** Notifications lost on purpose through the `drop` fault. */
  dropped: number;
}

export interface StoredSubscription {
  id: string;
  /** As the client sent it. */
  resource: string;
  target: SubscriptionTarget;
  /** As the client sent it, e.g. `created,updated`. */
  changeType: string;
  changeTypes: ChangeType[];
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  latestSupportedTlsVersion: string;
  /** Epoch ms on the emulator clock. */
  expiresAt: number;
  createdAt: number;
  /** The calling app's client id. */
  applicationId: string;
  /** The signed-in user's id (delegated) or the app's service principal id (app-only). */
  creatorId: string;
  /** The tenant of the token that created it: subscriptions are visible within it only. */
  tenantId: string;
  createdBy: 'delegated' | 'app';
  /** How many of the next change notifications to lose (admin fault). */
  dropNext: number;
  counters: DeliveryCounters;
}
