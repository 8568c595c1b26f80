/**
 * From a change-log entry to the notification a subscription receives. A subscription matches
 * when the entry is of its kind, in its mailbox, in its folder or calendar (when it names one),
 * and of a change type it asked for. The payload has Graph's shape (reference doc, section 4):
 * `resource` and `resourceData` name the item as `Users/{userId}/Messages/{id}`, the etag is
 * the item's current one when it still exists, and `clientState` echoes the subscription's.
 */
import type { ChangeEntry } from '../data/change-log.ts';
import type { StoredSubscription, SubscribedKind } from '../data/subscriptions/model.ts';
import { isoTicks } from '../graph/format.ts';

const LOG_RESOURCE: Record<SubscribedKind, ChangeEntry['resource']> = { message: 'message', event: 'event', contact: 'contact' };
const SEGMENT: Record<SubscribedKind, string> = { message: 'Messages', event: 'Events', contact: 'Contacts' };
const TYPE: Record<SubscribedKind, string> = { message: '#Microsoft.Graph.Message', event: '#Microsoft.Graph.Event', contact: '#Microsoft.Graph.Contact' };

export function matches(s: StoredSubscription, e: ChangeEntry): boolean {
  const t = s.target;
  if (e.resource !== LOG_RESOURCE[t.kind] || e.userId !== t.userId || e.tenantId !== t.tenantId) return false;
  if (t.container !== undefined && e.container !== t.container) return false;
  if (e.container !== undefined && t.excluded.includes(e.container)) return false;
  return s.changeTypes.includes(e.changeType);
}

export function changeNotification(s: StoredSubscription, e: ChangeEntry, etag: string | undefined): Record<string, unknown> {
  const path = `Users/${s.target.userId}/${SEGMENT[s.target.kind]}/${e.id}`;
  return {
    // Opaque per notification; derived from the change so a receiver can spot duplicates.
    id: Buffer.from(`${s.id}:${e.seq}`).toString('base64url'),
    subscriptionId: s.id,
    subscriptionExpirationDateTime: isoTicks(s.expiresAt),
    changeType: e.changeType,
    ...(s.clientState !== null ? { clientState: s.clientState } : {}),
    resource: path,
    tenantId: s.target.tenantId,
    resourceData: {
      '@odata.type': TYPE[s.target.kind],
      '@odata.id': path,
      ...(etag !== undefined ? { '@odata.etag': etag } : {}),
      id: e.id,
    },
  };
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export function lifecycleNotification(s: StoredSubscription, event: LifecycleEvent): Record<string, unknown> {
  return {
    subscriptionId: s.id,
    subscriptionExpirationDateTime: isoTicks(s.expiresAt),
    tenantId: s.tenantId,
    ...(s.clientState !== null ? { clientState: s.clientState } : {}),
    lifecycleEvent: event,
  };
}
