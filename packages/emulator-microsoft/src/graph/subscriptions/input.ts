/**
 * Reading subscription bodies. Create takes changeType, notificationUrl, resource,
 * expirationDateTime (required), clientState, lifecycleNotificationUrl,
 * latestSupportedTlsVersion and includeResourceData; renew (PATCH) takes expirationDateTime and
 * notificationUrl. Graph's rules: change types from created/updated/deleted, clientState up to
 * 128 characters, absolute https URLs (http allowed by the emulator unless configured
 * otherwise), and an expiry in the future within the resource's maximum lifetime.
 */
import type { ChangeType } from '../../data/change-log.ts';
import type { Json } from '../../input.ts';
import type { NotificationOptions } from '../../notifications/options.ts';
import { SubscriptionErrors } from './errors.ts';

/** Every subscription property; anything else in a body is refused as Graph refuses it. */
const PROPERTIES = new Set([
  'id',
  'resource',
  'applicationId',
  'changeType',
  'clientState',
  'notificationUrl',
  'notificationQueryOptions',
  'notificationContentType',
  'lifecycleNotificationUrl',
  'expirationDateTime',
  'creatorId',
  'includeResourceData',
  'latestSupportedTlsVersion',
  'encryptionCertificate',
  'encryptionCertificateId',
  'notificationUrlAppId',
]);
const CHANGE_TYPES: readonly ChangeType[] = ['created', 'updated', 'deleted'];
const TLS_VERSIONS = ['v1_0', 'v1_1', 'v1_2', 'v1_3'];
const MAX_CLIENT_STATE = 128;

export interface SubscriptionInput {
  resource: string;
  changeType: string;
  changeTypes: ChangeType[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expiresAt: number;
  clientState: string | null;
  latestSupportedTlsVersion: string;
}

function checkProperties(o: Json): void {
  for (const key of Object.keys(o)) if (!key.startsWith('@odata') && !PROPERTIES.has(key)) throw SubscriptionErrors.payload();
}

function requiredText(o: Json, key: string): string {
  const v = o[key];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) throw SubscriptionErrors.required(key);
  if (typeof v !== 'string') throw SubscriptionErrors.payload();
  return v;
}

function readChangeTypes(text: string): ChangeType[] {
  const parts = text.split(',').map((p) => p.trim());
  const out: ChangeType[] = [];
  for (const p of parts) {
    const t = CHANGE_TYPES.find((c) => c === p.toLowerCase());
    if (!t) throw SubscriptionErrors.invalid(`Invalid 'changeType' attribute: '${p}'. Allowed values are created, updated and deleted, separated by commas.`);
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** An absolute http(s) URL; http only when the emulator allows it (Graph never does). */
export function readNotificationUrl(value: string, label: 'NotificationUrl' | 'LifecycleNotificationUrl', o: NotificationOptions): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw SubscriptionErrors.invalid(`Invalid ${label === 'NotificationUrl' ? 'notification url' : 'lifecycle notification url'}='${value}'.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw SubscriptionErrors.invalid(`${label} scheme='${url.protocol.slice(0, -1)}' is not supported.`);
  if (url.protocol === 'http:' && !o.allowHttpNotificationUrls) throw SubscriptionErrors.invalid(`${label} scheme='http' is not supported.`);
  return value;
}

/** An expiry within (now, now + maximum lifetime]. */
export function readExpiration(o: Json, nowMs: number, options: NotificationOptions): number {
  const raw = requiredText(o, 'expirationDateTime');
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms)) throw SubscriptionErrors.payload();
  if (ms <= nowMs) throw SubscriptionErrors.inPast();
  if (ms > nowMs + options.subscriptionMaxLifetimeMinutes * 60_000) throw SubscriptionErrors.tooLong(options.subscriptionMaxLifetimeMinutes);
  return ms;
}

export function readCreate(o: Json, nowMs: number, options: NotificationOptions): SubscriptionInput {
  checkProperties(o);
  const changeType = requiredText(o, 'changeType');
  const notificationUrl = readNotificationUrl(requiredText(o, 'notificationUrl'), 'NotificationUrl', options);
  const resource = requiredText(o, 'resource');
  const expiresAt = readExpiration(o, nowMs, options);
  const lifecycle = o.lifecycleNotificationUrl;
  if (lifecycle !== undefined && lifecycle !== null && typeof lifecycle !== 'string') throw SubscriptionErrors.payload();
  const clientState = o.clientState ?? null;
  if (clientState !== null && typeof clientState !== 'string') throw SubscriptionErrors.payload();
  if (clientState !== null && clientState.length > MAX_CLIENT_STATE) {
    throw SubscriptionErrors.invalid(`clientState is ${clientState.length} characters long; the maximum is ${MAX_CLIENT_STATE}.`);
  }
  if (o.includeResourceData !== undefined && o.includeResourceData !== null && typeof o.includeResourceData !== 'boolean') throw SubscriptionErrors.payload();
  if (o.includeResourceData === true) {
    throw SubscriptionErrors.invalid('includeResourceData is not supported by the emulator: it sends basic change notifications only (no rich notifications with encrypted resource data).');
  }
  const tls = o.latestSupportedTlsVersion ?? 'v1_2';
  if (typeof tls !== 'string' || !TLS_VERSIONS.includes(tls)) throw SubscriptionErrors.invalid(`Invalid 'latestSupportedTlsVersion' value '${String(tls)}'.`);
  return {
    resource,
    changeType,
    changeTypes: readChangeTypes(changeType),
    notificationUrl,
    lifecycleNotificationUrl: typeof lifecycle === 'string' && lifecycle !== '' ? readNotificationUrl(lifecycle, 'LifecycleNotificationUrl', options) : null,
    expiresAt,
    clientState,
    latestSupportedTlsVersion: tls,
  };
}
