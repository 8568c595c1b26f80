import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { findConnectionById } from '../../connections/repository.ts';
import type { ConnectionAccess, Connections } from '../../connections/service.ts';
import type { VendorCaller } from '../../outbound/vendor-call.ts';
import { Problem } from '../../problems/problem.ts';
import type { Database } from '../../store/database.ts';
import type { ActivityRecorder } from '../../usage/recorder.ts';
import { type EventSource, companionOf, firesOn, resolveSource } from '../definition.ts';
import type { Clock } from '../delivery/policy.ts';
import { matches } from '../filters/expression.ts';
import type { TriggerRow } from '../model.ts';
import { type NewEvent, recordNotice, storeEvents } from '../outbox.ts';
import { TriggerDefinitionError } from '../request.ts';
import { markFailure, markSuccess } from '../store.ts';
import { type Change, type PollCursor, initialCursor } from './cursor.ts';
import { PollError, type SourceRun, runSource } from './fetch.ts';

export interface PollerDeps {
  db: Database;
  connections: Connections;
  vendor: VendorCaller;
  recorder: ActivityRecorder;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Events stored by a poll, to queue their delivery. */
  stored: (eventIds: string[]) => void;
}

export interface PollSummary {
  triggers: number;
  fetches: number;
  events: number;
  failures: number;
}

/**
 * One poll of one connection: every enabled polling trigger of the connection is evaluated in
 * it (UiPath: one poll per connection interval serves all its triggers). Triggers that ask the
 * vendor the same question from the same position share one fetch; each then applies its own
 * event and filter, and stores its events with its cursor advance in one transaction
 * (compare-and-swap on the cursor version, so a poll that lost a race stores nothing).
 */
export class Poller {
  constructor(private readonly deps: PollerDeps) {}

  async pollConnection(connectionId: string): Promise<PollSummary> {
    const summary: PollSummary = { triggers: 0, fetches: 0, events: 0, failures: 0 };
    const { db } = this.deps;
    const connection = await findConnectionById(db, connectionId);
    if (!connection) return summary;
    const triggers = await db.query<TriggerRow>(`SELECT * FROM triggers WHERE connection_id = $1 AND mode = 'polling' AND status = 'Enabled' ORDER BY created_at`, [connectionId]);
    summary.triggers = triggers.length;
    if (triggers.length === 0) return summary;

    const requestId = `poll-${randomUUID()}`;
    let access: ConnectionAccess;
    try {
      access = await this.deps.connections.access(connection);
    } catch (error) {
      // A connection that is not usable is the connection's problem, reported there; its
      // triggers do not count it against themselves (they resume once it is reconnected).
      const message = error instanceof Problem ? error.message : String(error);
      if (error instanceof Problem && error.code === 'CONNECTION_NOT_ENABLED') {
        await db.query('UPDATE triggers SET last_error = $2 WHERE connection_id = $1 AND mode = $3', [connectionId, message, 'polling']);
        return summary;
      }
      for (const t of triggers) await this.failed(t, undefined, message, requestId, 0);
      summary.failures = triggers.length;
      return summary;
    }

    // Triggers asking the same thing from the same place share one fetch.
    const groups = new Map<string, { source: EventSource; cursor: PollCursor; triggers: TriggerRow[] }>();
    for (const t of triggers) {
      let source: EventSource;
      try {
        source = sourceOf(access, t);
      } catch (error) {
        await this.failed(t, undefined, (error as Error).message, requestId, 0);
        summary.failures++;
        continue;
      }
      const cursor = t.cursor ?? initialCursor(t.start_from, t.created_at);
      const key = JSON.stringify([source.polling, t.input, cursor]);
      const group = groups.get(key) ?? { source, cursor, triggers: [] };
      group.triggers.push(t);
      groups.set(key, group);
    }

    for (const group of groups.values()) {
      const started = Date.now();
      let run: SourceRun;
      try {
        run = await runSource(group.source, group.triggers[0]!.input, group.cursor, { access, vendor: this.deps.vendor, requestId, now: this.deps.clock.now() });
        summary.fetches += run.requests;
      } catch (error) {
        const message = describe(error);
        for (const t of group.triggers) await this.failed(t, group.source, message, requestId, Date.now() - started);
        summary.failures += group.triggers.length;
        continue;
      }
      for (const t of group.triggers) summary.events += await this.advance(t, group.source, run, requestId, Date.now() - started);
    }
    return summary;
  }

  /** Stores one trigger's events and its new cursor; returns how many events were stored. */
  private async advance(trigger: TriggerRow, source: EventSource, run: SourceRun, requestId: string, durationMs: number, polled = true): Promise<number> {
    const now = this.deps.clock.now();
    const events = this.eventsFor(trigger, source, run.changes);
    const stored = await this.deps.db.transaction(async (tx) => {
      const swapped = await tx.query('UPDATE triggers SET cursor = $2, cursor_version = cursor_version + 1 WHERE id = $1 AND cursor_version = $3 RETURNING id', [
        trigger.id, JSON.stringify(run.cursor), trigger.cursor_version,
      ]);
      if (swapped.length === 0) return undefined;
      const ids = await storeEvents(tx, trigger, events, now);
      await markSuccess(tx, trigger.id, now, polled);
      if (run.reset) await recordNotice(tx, trigger, 'cursor.reset', { message: 'The vendor no longer knew the delta position; the trigger started over from now. Changes made meanwhile may have been missed.' });
      return ids;
    });
    if (stored === undefined) {
      this.deps.logger.info({ triggerId: trigger.id }, 'trigger cursor moved during the poll; this poll stored nothing');
      return 0;
    }
    this.record(trigger, source, requestId, durationMs, stored.length, null);
    if (stored.length) this.deps.stored(stored);
    return stored.length;
  }

  /** The trigger's events among the changes: those of the kinds it fires on that pass its filter. */
  eventsFor(trigger: Pick<TriggerRow, 'event' | 'filter_expression'>, source: EventSource, changes: Change[]): NewEvent[] {
    const kinds = firesOn(trigger.event);
    const recordEvent = kinds.size === 1;
    return changes
      .filter((c) => kinds.has(c.kind) && matches(trigger.filter_expression, c.record))
      .map((c) => ({
        dedupeKey: `${c.kind}:${c.id}:${c.version}`,
        event: recordEvent ? c.kind : trigger.event,
        objectType: source.objectKey ?? source.triggerKey,
        objectId: c.id,
        occurredAt: c.at,
        record: c.record,
      }));
  }

  /**
   * Catch-up for a webhook trigger that may have missed notifications (Graph's `missed`, or a
   * subscription the vendor removed): polls the connector's polling trigger for the same object
   * and event (its "companion", which must take the same parameters) from the webhook trigger's
   * own cursor. The first run only sets the starting point, so it is run before the subscription
   * is made (`strict`: a failure is thrown, to refuse the trigger, instead of counted against it).
   * Returns whether the connector has a companion.
   */
  async catchUp(triggerId: string, options: { strict?: boolean } = {}): Promise<boolean> {
    const trigger = (await this.deps.db.query<TriggerRow>('SELECT * FROM triggers WHERE id = $1', [triggerId]))[0];
    if (!trigger || trigger.status !== 'Enabled') return true;
    const connection = await findConnectionById(this.deps.db, trigger.connection_id);
    if (!connection) return true;
    const access = await this.deps.connections.access(connection);
    const webhookSource = sourceOf(access, trigger);
    const source = companionOf(access.connector, webhookSource);
    if (!source) {
      await recordNotice(this.deps.db, trigger, 'subscription.missed', { message: 'The vendor reported missed notifications and the connector has no polling trigger to catch up with; some events may be lost.' });
      return false;
    }
    const requestId = `catch-up-${randomUUID()}`;
    const started = Date.now();
    try {
      const baseline = trigger.cursor === null;
      const run = await runSource(source, trigger.input, trigger.cursor ?? initialCursor('now', this.deps.clock.now()), { access, vendor: this.deps.vendor, requestId, now: this.deps.clock.now() });
      // The first run only marks where catching up starts: what happens from here is news.
      if (baseline) run.changes = [];
      await this.advance(trigger, { ...source, objectKey: webhookSource.objectKey, triggerKey: webhookSource.triggerKey, operation: webhookSource.operation }, run, requestId, Date.now() - started, false);
    } catch (error) {
      if (options.strict) throw new Problem('TRIGGER_POLL_FAILED', `Reading where ${webhookSource.operation} starts failed: ${describe(error)}`, { extensions: { vendorStatus: error instanceof PollError ? error.vendorStatus : null } });
      await this.failed(trigger, source, describe(error), requestId, Date.now() - started);
    }
    return true;
  }

  /** Test a trigger: what it would fire now, read without moving its cursor or storing anything. */
  async sample(trigger: TriggerRow, limit: number, companion?: EventSource): Promise<{ changes: Change[]; source: EventSource }> {
    const connection = await findConnectionById(this.deps.db, trigger.connection_id);
    if (!connection) throw new Problem('TRIGGER_NOT_FOUND', `Trigger ${trigger.id} was not found.`);
    const access = await this.deps.connections.access(connection);
    const source = companion ?? sourceOf(access, trigger);
    try {
      const run = await runSource(source, trigger.input, initialCursor({ backfill: limit }, trigger.created_at), {
        access, vendor: this.deps.vendor, requestId: `test-${randomUUID()}`, now: this.deps.clock.now(),
      });
      return { changes: run.changes.slice(-limit), source };
    } catch (error) {
      throw new Problem('TRIGGER_POLL_FAILED', describe(error), { extensions: { vendorStatus: error instanceof PollError ? error.vendorStatus : null } });
    }
  }

  private async failed(trigger: TriggerRow, source: EventSource | undefined, message: string, requestId: string, durationMs: number): Promise<void> {
    const disabled = await this.deps.db.transaction((tx) => markFailure(tx, trigger, message, this.deps.clock.now(), true));
    if (disabled) this.deps.logger.warn({ triggerId: trigger.id, error: message }, 'trigger disabled after repeated poll failures');
    this.record(trigger, source, requestId, durationMs, 0, 'TRIGGER_POLL_FAILED');
  }

  /** The usage ledger: a poll that started nothing is not billable; one that stored n events counts n. */
  private record(trigger: TriggerRow, source: EventSource | undefined, requestId: string, durationMs: number, events: number, errorCode: string | null): void {
    this.deps.recorder.record({
      at: this.deps.clock.now(),
      requestId,
      tenantId: trigger.tenant_id,
      folderId: trigger.folder_id,
      connectionId: trigger.connection_id,
      connector: trigger.connector_key,
      kind: 'trigger',
      operation: source?.operation ?? trigger.trigger_key ?? `${trigger.object_key}.${trigger.event}`,
      method: 'POLL',
      redactedUrl: `/api/v1/triggers/${trigger.id}`,
      status: null,
      errorCode,
      durationMs,
      requestBytes: 0,
      responseBytes: 0,
      attempts: 1,
      billable: errorCode === null && events > 0,
      units: events,
    });
  }
}

export function sourceOf(access: Pick<ConnectionAccess, 'connector'>, trigger: Pick<TriggerRow, 'trigger_key' | 'object_key' | 'event'>): EventSource {
  return resolveSource(access.connector, trigger.trigger_key ? { trigger: trigger.trigger_key } : { object: trigger.object_key ?? undefined, event: trigger.event });
}

function describe(error: unknown): string {
  if (error instanceof PollError || error instanceof TriggerDefinitionError) return error.message;
  if (error instanceof Problem) return `${error.code}: ${error.message}`;
  return (error as Error)?.message ?? String(error);
}
