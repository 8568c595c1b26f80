import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../store/database.ts';
import type { TriggerRow } from './model.ts';

/** An event about to be stored. `dedupeKey` names the change: storing the same change again does nothing. */
export interface NewEvent {
  dedupeKey: string;
  event: string;
  objectType: string | null;
  objectId: string | null;
  occurredAt: Date;
  record: unknown;
}

/**
 * The event id: derived from the trigger and the change, so every instance that sees the same
 * change computes the same id (a UUID with version 8, "custom", per RFC 9562).
 */
export function eventId(triggerId: string, dedupeKey: string): string {
  const h = createHash('sha256').update(`${triggerId}\0${dedupeKey}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A change without an identity of its own (a webhook delivery without an event id). */
export function uniqueKey(): string {
  return `once:${randomUUID()}`;
}

const COLUMNS = ['id', 'tenant_id', 'trigger_id', 'dedupe_key', 'event', 'object_type', 'object_id', 'occurred_at', 'record', 'delivery', 'state', 'next_attempt_at', 'window_started_at', 'enqueued_at'];
const ROWS_PER_STATEMENT = 400;

type StoredTrigger = Pick<TriggerRow, 'id' | 'tenant_id' | 'target'>;

/**
 * Stores events for delivery; changes already stored are skipped. Returns the ids stored now,
 * which are the ones to deliver. Runs in the caller's transaction: a poll stores its events
 * together with its cursor advance, a webhook before it is acknowledged. They count as queued
 * (the caller sends their delivery jobs after commit); if that send is lost, the sweep finds them.
 */
export async function storeEvents(tx: Queryable, trigger: StoredTrigger, events: NewEvent[], now: Date): Promise<string[]> {
  return storeEventRows(tx, events.map((event) => ({ trigger, event, now })));
}

/** The same for events of several triggers at once (the ingress's group commit). */
export async function storeEventRows(tx: Queryable, rows: Array<{ trigger: StoredTrigger; event: NewEvent; now: Date }>): Promise<string[]> {
  const stored: string[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + ROWS_PER_STATEMENT).map(({ trigger, event: e, now }) => {
      const values = [
        eventId(trigger.id, e.dedupeKey), trigger.tenant_id, trigger.id, e.dedupeKey, e.event, e.objectType, e.objectId,
        e.occurredAt, JSON.stringify(e.record ?? null), trigger.target.type, 'pending', now, now, now,
      ];
      return `(${values.map((v) => `$${params.push(v)}`).join(', ')})`;
    });
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO trigger_events (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (trigger_id, dedupe_key) DO NOTHING RETURNING id`,
      params,
    );
    for (const r of inserted) stored.push(r.id);
  }
  return stored;
}

export async function recordNotice(db: Queryable, trigger: Pick<TriggerRow, 'id' | 'tenant_id' | 'folder_id'>, type: string, payload: Record<string, unknown>): Promise<void> {
  await db.query('INSERT INTO trigger_notices (id, tenant_id, trigger_id, folder_id, type, payload) VALUES ($1, $2, $3, $4, $5, $6)', [
    randomUUID(), trigger.tenant_id, trigger.id, trigger.folder_id, type, JSON.stringify(payload),
  ]);
}
