import type { FilterGroup } from './filters/builder.ts';
import type { PollCursor, StartFrom } from './polling/cursor.ts';

/** Where a trigger's events go: pushed to a webhook (signed per Standard Webhooks) or held in a pull queue. */
export type Target = { type: 'webhook'; url: string } | { type: 'queue' };

export type TriggerStatus = 'Enabled' | 'Disabled';
export type EventState = 'pending' | 'delivering' | 'delivered' | 'dead' | 'acked';

export interface TriggerRow {
  id: string;
  tenant_id: string;
  folder_id: string;
  connection_id: string;
  connector_key: string;
  name: string;
  trigger_key: string | null;
  object_key: string | null;
  event: string;
  mode: 'polling' | 'webhook';
  input: Record<string, unknown>;
  filter_builder: FilterGroup | null;
  filter_expression: string | null;
  target: Target;
  status: TriggerStatus;
  disabled_reason: string | null;
  status_message: string | null;
  start_from: StartFrom;
  cursor: PollCursor | null;
  cursor_version: number;
  polls: number;
  consecutive_failures: number;
  total_failures: number;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_error: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SubscriptionRow {
  trigger_id: string;
  tenant_id: string;
  vendor_id: string | null;
  status: 'Active' | 'Failed';
  expires_at: Date | null;
  renew_at: Date | null;
  last_renewed_at: Date | null;
  last_error: string | null;
}

export interface EventRow {
  id: string;
  tenant_id: string;
  trigger_id: string;
  dedupe_key: string;
  event: string;
  object_type: string | null;
  object_id: string | null;
  occurred_at: Date;
  record: unknown;
  delivery: 'webhook' | 'queue';
  state: EventState;
  attempts: number;
  next_attempt_at: Date;
  window_started_at: Date;
  enqueued_at: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  finished_at: Date | null;
  created_at: Date;
}

/**
 * What a target receives for one event. `id` is stable across retries and replays, so a
 * receiver that saw it already can drop it. Field names follow UiPath's trigger arguments
 * (UiPathEventConnector, UiPathEvent, UiPathEventObjectType, UiPathEventObjectId).
 */
export interface EventEnvelope {
  id: string;
  triggerId: string;
  connectionId: string;
  connector: string;
  event: string;
  objectType: string | null;
  objectId: string | null;
  occurredAt: string;
  /** The record as the vendor sent or listed it; for notification-style webhooks, what the notification carries (often a reference to fetch). */
  record: unknown;
}

export interface TriggerView {
  id: string;
  name: string;
  folderId: string;
  connectionId: string;
  connector: string;
  trigger: string | null;
  object: string | null;
  event: string;
  mode: 'polling' | 'webhook';
  input: Record<string, unknown>;
  filter: { expression: string; builder: FilterGroup | null } | null;
  target: Target;
  status: TriggerStatus;
  disabledReason: string | null;
  statusMessage: string | null;
  startFrom: StartFrom;
  /** Webhook triggers: the public URL events arrive at (paste it into the sending application). */
  webhookUrl: string | null;
  subscription: { vendorId: string | null; status: string; expiresAt: string | null; lastError: string | null } | null;
  health: {
    polls: number;
    consecutiveFailures: number;
    totalFailures: number;
    lastPolledAt: string | null;
    lastSuccessAt: string | null;
    lastFailureAt: string | null;
    lastError: string | null;
  };
  /** Its stored events at a glance: the newest one, what waits (queue or retry) and the dead letters. */
  events: TriggerEventCounts;
  createdAt: string;
  updatedAt: string;
}

export interface TriggerEventCounts {
  lastOccurredAt: string | null;
  pending: number;
  dead: number;
}

export interface EventView {
  id: string;
  event: string;
  objectType: string | null;
  objectId: string | null;
  occurredAt: string;
  state: EventState;
  delivery: 'webhook' | 'queue';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  finishedAt: string | null;
  createdAt: string;
  /** The envelope a target receives. */
  payload: EventEnvelope;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function envelopeOf(row: Pick<EventRow, 'id' | 'trigger_id' | 'event' | 'object_type' | 'object_id' | 'occurred_at' | 'record'>, trigger: Pick<TriggerRow, 'connection_id' | 'connector_key'>): EventEnvelope {
  return {
    id: row.id,
    triggerId: row.trigger_id,
    connectionId: trigger.connection_id,
    connector: trigger.connector_key,
    event: row.event,
    objectType: row.object_type,
    objectId: row.object_id,
    occurredAt: row.occurred_at.toISOString(),
    record: row.record,
  };
}

export function eventView(row: EventRow, trigger: Pick<TriggerRow, 'connection_id' | 'connector_key'>): EventView {
  const waiting = row.state === 'pending' && row.delivery === 'webhook';
  return {
    id: row.id,
    event: row.event,
    objectType: row.object_type,
    objectId: row.object_id,
    occurredAt: row.occurred_at.toISOString(),
    state: row.state,
    delivery: row.delivery,
    attempts: row.attempts,
    nextAttemptAt: waiting ? iso(row.next_attempt_at) : null,
    lastAttemptAt: iso(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    finishedAt: iso(row.finished_at),
    createdAt: row.created_at.toISOString(),
    payload: envelopeOf(row, trigger),
  };
}

export function triggerView(row: TriggerRow, extra: { webhookUrl: string | null; subscription: SubscriptionRow | undefined; events: TriggerEventCounts }): TriggerView {
  const sub = extra.subscription;
  return {
    id: row.id,
    name: row.name,
    folderId: row.folder_id,
    connectionId: row.connection_id,
    connector: row.connector_key,
    trigger: row.trigger_key,
    object: row.object_key,
    event: row.event,
    mode: row.mode,
    input: row.input,
    filter: row.filter_expression ? { expression: row.filter_expression, builder: row.filter_builder } : null,
    target: row.target,
    status: row.status,
    disabledReason: row.disabled_reason,
    statusMessage: row.status_message,
    startFrom: row.start_from,
    webhookUrl: extra.webhookUrl,
    subscription: sub ? { vendorId: sub.vendor_id, status: sub.status, expiresAt: iso(sub.expires_at), lastError: sub.last_error } : null,
    health: {
      polls: Number(row.polls),
      consecutiveFailures: row.consecutive_failures,
      totalFailures: Number(row.total_failures),
      lastPolledAt: iso(row.last_polled_at),
      lastSuccessAt: iso(row.last_success_at),
      lastFailureAt: iso(row.last_failure_at),
      lastError: row.last_error,
    },
    events: extra.events,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
