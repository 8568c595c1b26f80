/** Subscriptions as Graph returns them (property order of the subscription resource's samples). */
import type { StoredSubscription } from '../../data/subscriptions/model.ts';
import { isoTicks } from '../format.ts';

export function subscriptionJson(s: StoredSubscription): Record<string, unknown> {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: isoTicks(s.expiresAt),
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: s.latestSupportedTlsVersion,
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}
