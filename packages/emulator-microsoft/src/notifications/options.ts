/**
 * Knobs of change notifications. Defaults follow Graph (reference doc, section 4): 10,080
 * minutes of lifetime for Outlook resources, 10 s to answer the validation request, 3 s to
 * answer a notification, and retries when it is not answered. The retry schedule is short
 * compared with Graph's "up to 4 hours" so a test run can see it through.
 */
import { InputError } from '../input.ts';

export interface NotificationOptions {
  /** Longest lifetime of an Outlook subscription (create and renew). Default 10080. */
  subscriptionMaxLifetimeMinutes: number;
  /** Accept http:// notification URLs (Graph requires https). Default true. */
  allowHttpNotificationUrls: boolean;
  /** How long the validation request may take. Default 10000. */
  validationTimeoutMs: number;
  /** Notifications for one URL raised within this window travel in one POST. Default 20. */
  notificationBatchMs: number;
  /** How long a notification POST may take before it counts as failed. Default 3000. */
  notificationTimeoutMs: number;
  /** Waits before each retry of a failed POST; after the last, the batch is given up. */
  notificationRetryDelaysMs: number[];
}

export const DEFAULT_NOTIFICATION_OPTIONS: Readonly<NotificationOptions> = Object.freeze({
  subscriptionMaxLifetimeMinutes: 10080,
  allowHttpNotificationUrls: true,
  validationTimeoutMs: 10_000,
  notificationBatchMs: 20,
  notificationTimeoutMs: 3000,
  notificationRetryDelaysMs: [1000, 5000, 30_000, 120_000],
});

function count(name: string, v: number | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new InputError(`${name} must be a number >= ${min}`);
  return v;
}

export function notificationOptions(o: Partial<NotificationOptions> = {}): NotificationOptions {
  const d = DEFAULT_NOTIFICATION_OPTIONS;
  const retries = o.notificationRetryDelaysMs ?? d.notificationRetryDelaysMs;
  if (!Array.isArray(retries) || retries.some((n) => typeof n !== 'number' || !Number.isFinite(n) || n < 0)) {
    throw new InputError('notificationRetryDelaysMs must be an array of numbers >= 0');
  }
  return {
    subscriptionMaxLifetimeMinutes: count('subscriptionMaxLifetimeMinutes', o.subscriptionMaxLifetimeMinutes, d.subscriptionMaxLifetimeMinutes, 1),
    allowHttpNotificationUrls: o.allowHttpNotificationUrls ?? d.allowHttpNotificationUrls,
    validationTimeoutMs: count('validationTimeoutMs', o.validationTimeoutMs, d.validationTimeoutMs, 1),
    notificationBatchMs: count('notificationBatchMs', o.notificationBatchMs, d.notificationBatchMs, 0),
    notificationTimeoutMs: count('notificationTimeoutMs', o.notificationTimeoutMs, d.notificationTimeoutMs, 1),
    notificationRetryDelaysMs: [...retries],
  };
}
