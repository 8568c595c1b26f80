/**
 * /subscriptions: create (201, after the validation handshake with the notification URL and,
 * separately, the lifecycle URL), list, get, renew (PATCH), delete (204) and reauthorize.
 * A caller sees its own app's subscriptions in its tenant — and, with a delegated token, only
 * those it created as that user; anything else, like an expired subscription, is 404
 * `ResourceNotFound`.
 */
import type { StoredSubscription } from '../../data/subscriptions/model.ts';
import { newGuid } from '../../ids.ts';
import type { Json } from '../../input.ts';
import { allowed, RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import type { Route } from '../router/match.ts';
import { SubscriptionErrors } from './errors.ts';
import { readCreate, readExpiration, readNotificationUrl } from './input.ts';
import { resolveResource } from './resource.ts';
import { subscriptionJson } from './serialize.ts';

const READ_RULE = { message: RULES.mailRead, event: RULES.calendarsRead, contact: RULES.contactsRead } as const;

function ownedByCaller(call: GraphCall, s: StoredSubscription): boolean {
  const p = call.principal;
  if (s.applicationId.toLowerCase() !== p.clientId.toLowerCase() || s.tenantId !== p.tenantId) return false;
  return p.kind === 'app' || (s.createdBy === 'delegated' && s.creatorId === p.userId);
}

function find(call: GraphCall): StoredSubscription {
  const s = call.store.subscriptions.get(call.param('subscriptionId'));
  if (!s || !ownedByCaller(call, s)) throw SubscriptionErrors.notFound();
  return s;
}

/** The token must still be allowed to read what the subscription watches. */
function requireAccess(call: GraphCall, s: StoredSubscription): void {
  const self = call.principal.kind === 'delegated' && call.principal.userId === s.target.userId;
  if (!allowed(call.principal, READ_RULE[s.target.kind], self)) throw SubscriptionErrors.accessDenied('Update');
}

function entity(call: GraphCall, s: StoredSubscription, status = 200): GraphResult {
  return { status, body: { '@odata.context': `${call.metadata}#subscriptions/$entity`, ...subscriptionJson(s) } };
}

async function create(call: GraphCall): Promise<GraphResult> {
  const notifications = call.l.emu.notifications;
  const input = readCreate(call.json(), call.now(), notifications.options);
  const target = resolveResource(call, input.resource);
  const id = newGuid();
  // Nothing is created unless both endpoints pass, each on its own request.
  if (!(await notifications.validate(input.notificationUrl, id))) throw SubscriptionErrors.validationFailed();
  if (input.lifecycleNotificationUrl !== null && !(await notifications.validate(input.lifecycleNotificationUrl, id))) throw SubscriptionErrors.validationFailed();
  const p = call.principal;
  const s = call.store.subscriptions.add({
    id,
    resource: input.resource,
    target,
    changeType: input.changeType,
    changeTypes: input.changeTypes,
    clientState: input.clientState,
    notificationUrl: input.notificationUrl,
    lifecycleNotificationUrl: input.lifecycleNotificationUrl,
    latestSupportedTlsVersion: input.latestSupportedTlsVersion,
    expiresAt: input.expiresAt,
    createdAt: call.now(),
    applicationId: p.clientId,
    // Delegated: the signed-in user; app-only: the app's service principal (the token's oid).
    creatorId: p.kind === 'delegated' ? p.userId! : typeof p.claims.oid === 'string' ? p.claims.oid : p.clientId,
    tenantId: p.tenantId,
    createdBy: p.kind,
    dropNext: 0,
    counters: { sent: 0, failed: 0, abandoned: 0, dropped: 0 },
  });
  return entity(call, s, 201);
}

const list: GraphHandler = (call) => ({
  status: 200,
  body: {
    '@odata.context': `${call.metadata}#subscriptions`,
    value: call.store.subscriptions
      .list()
      .filter((s) => ownedByCaller(call, s))
      .map(subscriptionJson),
  },
});

/** Renewal. Only the expiry and the notification URL change; a lifecycle URL cannot be added or changed. */
async function update(call: GraphCall): Promise<GraphResult> {
  const s = find(call);
  requireAccess(call, s);
  const o: Json = call.json();
  const notifications = call.l.emu.notifications;
  if (o.lifecycleNotificationUrl !== undefined && o.lifecycleNotificationUrl !== s.lifecycleNotificationUrl) {
    throw SubscriptionErrors.invalid('lifecycleNotificationUrl cannot be added or changed on an existing subscription; delete the subscription and create a new one.');
  }
  for (const key of ['resource', 'changeType', 'clientState', 'includeResourceData'] as const) {
    if (o[key] !== undefined && o[key] !== (key === 'includeResourceData' ? false : s[key])) {
      throw SubscriptionErrors.invalid(`Property '${key}' cannot be updated; only expirationDateTime and notificationUrl can.`);
    }
  }
  const expiresAt = o.expirationDateTime === undefined ? undefined : readExpiration(o, call.now(), notifications.options);
  let url: string | undefined;
  if (o.notificationUrl !== undefined && o.notificationUrl !== s.notificationUrl) {
    if (typeof o.notificationUrl !== 'string') throw SubscriptionErrors.payload();
    url = readNotificationUrl(o.notificationUrl, 'NotificationUrl', notifications.options);
    if (!(await notifications.validate(url, s.id))) throw SubscriptionErrors.validationFailed();
  }
  if (expiresAt !== undefined) s.expiresAt = expiresAt;
  if (url !== undefined) s.notificationUrl = url;
  return entity(call, s);
}

const remove: GraphHandler = (call) => {
  call.store.subscriptions.remove(find(call).id);
  return { status: 204 };
};

/** Answers a reauthorizationRequired challenge: the caller's token must still grant access. */
const reauthorize: GraphHandler = (call) => {
  requireAccess(call, find(call));
  return { status: 200 };
};

export const SUBSCRIPTION_ROUTES: Route<GraphHandler>[] = [
  { pattern: 'subscriptions', methods: { GET: list, POST: create } },
  { pattern: 'subscriptions/:subscriptionId/reauthorize', methods: { POST: reauthorize } },
  { pattern: 'subscriptions/:subscriptionId', methods: { GET: (c) => entity(c, find(c)), PATCH: update, DELETE: remove } },
];
