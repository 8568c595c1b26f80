import { createHash, timingSafeEqual } from 'node:crypto';
import { type ChallengeDefinition, conditionHolds, readPointer } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import { Problem } from '../../problems/problem.ts';
import type { Clock } from '../delivery/policy.ts';
import { signalsOnly } from '../definition.ts';
import { matches } from '../filters/expression.ts';
import { type NewEvent, uniqueKey } from '../outbox.ts';
import { TriggerScope } from '../request.ts';
import type { TriggerSecrets } from '../secrets.ts';
import type { Endpoint, EndpointCache, ListeningTrigger } from './endpoints.ts';
import type { GroupCommit } from './group-commit.ts';
import type { WebhookRateLimiter } from './rate-limit.ts';
import type { StartsMeter } from './starts-meter.ts';
import { type InboundRequest, refused, verifySignature } from './signature.ts';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface IngressDeps {
  writer: GroupCommit;
  endpoints: EndpointCache;
  secrets: TriggerSecrets;
  limiter: WebhookRateLimiter;
  starts: StartsMeter;
  clock: Clock;
  logger: FastifyBaseLogger;
  connectorSetting: (connector: string, name: string) => string | undefined;
  /** Events stored, to queue their delivery. */
  stored: (eventIds: string[]) => void;
  /** A notification of a trigger whose events come from its catch-up poll: run that poll soon. */
  signal: (triggerId: string) => void;
  /** A vendor's subscription lifecycle notification (Microsoft Graph), to act on in the background. */
  lifecycle: (triggerId: string, event: LifecycleEvent) => void;
}

export interface Inbound extends InboundRequest {
  routingKey: string;
  query: Record<string, string>;
  requestId: string;
}

export type IngressAnswer =
  | { kind: 'challenge'; token: string }
  | { kind: 'accepted'; events: number };

const LIFECYCLE = new Set<string>(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);
/** Request headers never kept with an event: they are credentials of the sender, not data. */
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The public webhook door: finds the triggers listening at the URL, answers verification
 * handshakes, verifies signatures (failing closed), applies the tenant's rate limit, and
 * stores every event that passes a trigger's filter before answering, so an acknowledged
 * delivery is never lost. Delivery to targets happens afterwards, from the store.
 */
export class WebhookIngress {
  constructor(private readonly deps: IngressDeps) {}

  async receive(request: Inbound): Promise<IngressAnswer> {
    const endpoint = await this.deps.endpoints.get(request.routingKey);
    if (!endpoint) throw new Problem('WEBHOOK_NOT_FOUND', 'No trigger listens at this webhook URL.');
    const scope = new TriggerScope(endpoint.ctx, {}, {}, {});
    const challenge = challengeOf(endpoint.webhook.challenge, scope);

    // Query handshakes (Microsoft Graph's validationToken) come unsigned, before any event.
    if (challenge?.type === 'query-echo' && request.query[challenge.param] !== undefined) return { kind: 'challenge', token: request.query[challenge.param]! };
    if (request.method !== 'POST') throw new Problem('WEBHOOK_PAYLOAD_INVALID', 'Webhook deliveries are POST requests.', { status: 405 });

    const now = this.deps.clock.now();
    const owner = endpoint.ownerTriggerId;
    const check = await verifySignature(endpoint.webhook.signature, scope, request, {
      connectionField: (field) => stringOrUndefined(endpoint.ctx.values[field]),
      subscription: async () => (owner ? this.deps.secrets.subscriptionSecret(owner) : undefined),
      connectorSetting: (name) => this.deps.connectorSetting(endpoint.connection.connector_key, name),
    }, now);

    const capture = !endpoint.webhook.recordsPath && !endpoint.webhook.idPath && !endpoint.webhook.eventTypePath;
    const body = parseBody(request, !capture);
    if (challenge?.type === 'body-echo' && body && typeof body === 'object' && typeof (body as Record<string, unknown>)[challenge.param] === 'string') {
      return { kind: 'challenge', token: (body as Record<string, string>)[challenge.param]! };
    }

    const items = capture ? [captured(request, body)] : itemsOf(body, endpoint.webhook.recordsPath);
    if (check === 'client-state') await this.checkClientState(endpoint, items);

    const lifecycle = items.filter((i) => typeof readPointer(i, '/lifecycleEvent') === 'string');
    const events = items.filter((i) => !lifecycle.includes(i));
    for (const item of lifecycle) {
      const event = readPointer(item, '/lifecycleEvent') as string;
      if (owner && LIFECYCLE.has(event)) this.deps.lifecycle(owner, event as LifecycleEvent);
    }
    if (events.length === 0) return { kind: 'accepted', events: 0 };

    const allowed = this.deps.limiter.take(endpoint.tenantId, events.length);
    if (!allowed.ok) {
      throw new Problem('WEBHOOK_RATE_LIMITED', `This tenant received more than ${this.deps.limiter.perMinute} webhook events this minute.`, { extensions: { retryAfterSeconds: allowed.retryAfterSeconds } });
    }

    // Notifications that only say "something changed" wake the trigger's catch-up poll, which
    // reads the records; a burst of them coalesces into one poll (one queued, one running).
    const listening = endpoint.triggers.filter((t) => t.row.status === 'Enabled');
    for (const t of listening) if (signalsOnly(t.source)) this.deps.signal(t.row.id);

    const perTrigger = listening
      .filter((t) => !signalsOnly(t.source))
      .map((t) => ({ t, events: events.flatMap((item) => this.eventFor(t, item, now, capture)) }))
      .filter((x) => x.events.length > 0);
    if (perTrigger.length === 0) return { kind: 'accepted', events: 0 };
    // Acknowledged only once stored: the group commit resolves after its transaction committed.
    const ids = await this.deps.writer.store(perTrigger.map(({ t, events: list }) => ({ trigger: t.row, events: list })), now);
    const stored = perTrigger.map(({ t }, i) => ({ t, ids: ids[i]! }));
    let count = 0;
    const toDeliver: string[] = [];
    for (const { t, ids } of stored) {
      count += ids.length;
      if (t.row.target.type === 'webhook') toDeliver.push(...ids);
      this.deps.starts.count(t.row, t.source.operation, ids.length, request.requestId);
    }
    if (toDeliver.length) this.deps.stored(toDeliver);
    return { kind: 'accepted', events: count };
  }

  /** One trigger's event for one delivered item, or none when its event type or filter says no. */
  private eventFor(t: ListeningTrigger, item: unknown, now: Date, capture: boolean): NewEvent[] {
    const def = t.source.webhook!;
    const type = def.eventTypePath ? readPointer(item, def.eventTypePath) : undefined;
    if (def.eventTypePath && t.source.event !== 'custom' && type !== t.source.event) return [];
    if (!matches(t.row.filter_expression, item)) return [];
    const id = def.idPath ? readPointer(item, def.idPath) : undefined;
    const objectId = id === undefined || id === null || typeof id === 'object' ? null : String(id);
    // A redelivery of the same item is the same event; a new notification about the same record is not.
    const dedupeKey = capture || objectId === null ? uniqueKey() : `wh:${objectId}:${createHash('sha1').update(JSON.stringify(item)).digest('base64url')}`;
    return [{
      dedupeKey,
      event: typeof type === 'string' && type ? type : t.source.event,
      objectType: t.source.objectKey ?? t.source.triggerKey,
      objectId,
      occurredAt: now,
      record: item,
    }];
  }

  /** Every event of a client-state webhook must carry the subscription's secret (Graph's clientState). */
  private async checkClientState(endpoint: Endpoint, items: unknown[]): Promise<void> {
    const path = endpoint.webhook.signature?.clientStatePath;
    const secret = endpoint.ownerTriggerId ? await this.deps.secrets.subscriptionSecret(endpoint.ownerTriggerId) : undefined;
    if (!path || !secret) throw refused('This webhook expects a client state, but its subscription has none.');
    const expected = Buffer.from(secret);
    for (const item of items) {
      const given = readPointer(item, path);
      const buf = Buffer.from(typeof given === 'string' ? given : '');
      if (buf.length !== expected.length || !timingSafeEqual(buf, expected)) throw refused('An event of the delivery does not carry the subscription\'s client state.');
    }
  }
}

function challengeOf(def: ChallengeDefinition | undefined, scope: TriggerScope): { type: string; param: string } | undefined {
  if (!def) return undefined;
  if (def.when && !conditionHolds(def.when, scope.ctx.values)) return undefined;
  const type = scope.ref(def.type);
  if (type !== 'query-echo' && type !== 'body-echo') return undefined;
  const param = scope.optionalText(def.param);
  return param ? { type, param } : undefined;
}

/** JSON when it is JSON; text otherwise. `required`: the connector reads events out of the body, so it must be JSON. */
function parseBody(request: InboundRequest, required: boolean): unknown {
  if (request.rawBody.length === 0) return null;
  const text = request.rawBody.toString('utf8');
  const type = String(request.headers['content-type'] ?? '');
  if (required || /[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      if (required) throw new Problem('WEBHOOK_PAYLOAD_INVALID', 'The body is not valid JSON.');
    }
  }
  if (/^application\/x-www-form-urlencoded/i.test(type)) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

function itemsOf(body: unknown, recordsPath: string | undefined): unknown[] {
  if (!recordsPath) return [body];
  const items = readPointer(body, recordsPath);
  if (!Array.isArray(items)) throw new Problem('WEBHOOK_PAYLOAD_INVALID', `The body holds no list of events at ${recordsPath}.`);
  return items;
}

/** A generic webhook's event: the whole request, so filters can look at headers as well as the body. */
function captured(request: Inbound, body: unknown): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: request.method, headers, query: request.query, body };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
