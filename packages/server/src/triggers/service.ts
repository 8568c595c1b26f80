import { randomUUID } from 'node:crypto';
import { type ConnectorDefinition, readPointer } from '@switchboard/catalog';
import type { Folders } from '../access/folders.ts';
import { isUuid } from '../access/ids.ts';
import type { Permission } from '../access/permissions.ts';
import type { Principal } from '../access/principal.ts';
import { findConnection } from '../connections/repository.ts';
import { type Connections, notEnabled } from '../connections/service.ts';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { Problem } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import { type EventSource, companionOf, resolveSource, signalsOnly } from './definition.ts';
import { checkTargetUrl } from './delivery/target.ts';
import type { TriggerEngine } from './engine.ts';
import { type FilterGroup, compileFilter, FilterBuildError } from './filters/builder.ts';
import { FilterSyntaxError, matches, parseFilter } from './filters/expression.ts';
import { checkInput } from './input.ts';
import { type EventRow, type EventState, type EventView, type Target, type TriggerRow, type TriggerView, envelopeOf, eventView, triggerView } from './model.ts';
import { eventId } from './outbox.ts';
import type { StartFrom } from './polling/cursor.ts';
import { sourceOf } from './polling/poller.ts';
import { findSubscription, findTrigger, schedulePoll } from './store.ts';
import { ensureEndpoint, routingKeyOf, webhookUrl } from './webhooks/endpoints.ts';
import './errors.ts';

export type FilterInput = string | FilterGroup | null;

export interface CreateTriggerInput {
  connectionId: string;
  name?: string | undefined;
  trigger?: string | undefined;
  object?: string | undefined;
  event?: string | undefined;
  input?: Record<string, unknown> | undefined;
  filter?: FilterInput | undefined;
  target: Target;
  startFrom?: StartFrom | undefined;
  enabled?: boolean | undefined;
}

export interface UpdateTriggerInput {
  name?: string | undefined;
  enabled?: boolean | undefined;
  filter?: FilterInput | undefined;
  target?: Target | undefined;
}

/** A created trigger, with its signing secret: shown once, like an API key. */
export type CreatedTrigger = TriggerView & { signingSecret: string | null };

export interface TriggerServiceDeps {
  db: Database;
  folders: Folders;
  connections: Connections;
  engine: TriggerEngine;
  publicUrl: string;
  allowPrivateTargets: boolean;
}

/**
 * Triggers as the API offers them. A trigger lives in its connection's folder: seeing it needs
 * Triggers.View there (otherwise it is "not found"), changing it Triggers.Create, Edit or
 * Delete, and creating one also needs Connections.View on the connection it listens through.
 */
export class TriggerService {
  constructor(private readonly deps: TriggerServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  private get engine() {
    return this.deps.engine;
  }

  // ---- reading ----

  private async visible(principal: Principal, id: string, permission: Permission = 'Triggers.View', db: Queryable = this.db): Promise<TriggerRow> {
    const row = isUuid(id) ? await findTrigger(db, id) : undefined;
    if (!row || row.tenant_id !== principal.tenantId) throw notFound(id);
    try {
      await this.deps.folders.authorize(principal, row.folder_id, 'Triggers.View', db);
    } catch (error) {
      if (error instanceof Problem && error.status === 404) throw notFound(id);
      throw error;
    }
    if (permission !== 'Triggers.View') await this.deps.folders.authorize(principal, row.folder_id, permission, db);
    return row;
  }

  async view(row: TriggerRow): Promise<TriggerView> {
    const key = await routingKeyOf(this.db, row);
    const [counts] = await this.db.query<{ last: Date | null; pending: string; dead: string }>(
      `SELECT max(occurred_at) AS last, count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead
         FROM trigger_events WHERE trigger_id = $1`,
      [row.id],
    );
    return triggerView(row, {
      webhookUrl: key ? webhookUrl(this.deps.publicUrl, key) : null,
      subscription: await findSubscription(this.db, row.id),
      events: { lastOccurredAt: counts?.last ? new Date(counts.last).toISOString() : null, pending: Number(counts?.pending ?? 0), dead: Number(counts?.dead ?? 0) },
    });
  }

  async get(principal: Principal, id: string): Promise<TriggerView> {
    return this.view(await this.visible(principal, id));
  }

  async list(principal: Principal, query: { folderId?: string | undefined; connectionId?: string | undefined; status?: string | undefined; limit?: number | undefined; cursor?: string | undefined }): Promise<{ items: TriggerView[]; nextCursor: string | null }> {
    if (query.folderId) await this.deps.folders.authorize(principal, query.folderId, 'Triggers.View');
    const folderIds = query.folderId ? [query.folderId] : await this.deps.folders.idsWithPermission(principal, 'Triggers.View');
    const limit = query.limit ?? 50;
    const offset = decodeCursor(query.cursor);
    const where = ['tenant_id = $1', 'folder_id = ANY($2::uuid[])'];
    const params: unknown[] = [principal.tenantId, folderIds];
    if (query.connectionId) where.push(`connection_id = $${params.push(query.connectionId)}`);
    if (query.status) where.push(`status = $${params.push(query.status)}`);
    const rows = await this.db.query<TriggerRow>(`SELECT * FROM triggers WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${limit + 1} OFFSET ${offset}`, params);
    const items = await Promise.all(rows.slice(0, limit).map((r) => this.view(r)));
    return { items, nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null };
  }

  // ---- creating ----

  async create(principal: Principal, input: CreateTriggerInput): Promise<CreatedTrigger> {
    const connection = isUuid(input.connectionId) ? await findConnection(this.db, principal.tenantId, input.connectionId) : undefined;
    // Seeing the connection comes first, so a connection in a folder you cannot see stays "not found".
    try {
      if (!connection) throw new Problem('CONNECTION_NOT_FOUND', `Connection ${input.connectionId} was not found.`);
      await this.deps.folders.authorize(principal, connection.folder_id, 'Connections.View');
    } catch (error) {
      if (error instanceof Problem && error.status === 404) throw new Problem('CONNECTION_NOT_FOUND', `Connection ${input.connectionId} was not found.`);
      throw error;
    }
    await this.deps.folders.authorize(principal, connection.folder_id, 'Triggers.Create');
    if (connection.status !== 'Connected') throw notEnabled(connection);
    const connector = this.deps.connections.connectorOf(connection.connector_key);
    const source = resolveSource(connector, input);
    const params = checkInput(source.inputSchema, input.input);
    const filter = compileFilterInput(input.filter);
    const target = this.checkTarget(input.target);
    const enabled = input.enabled ?? true;
    const now = this.engine.options.clock.now();
    const id = randomUUID();
    const subscribes = source.webhook?.subscription !== undefined;

    const signingSecret = await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO triggers (id, tenant_id, folder_id, connection_id, connector_key, name, trigger_key, object_key, event, mode, input,
           filter_builder, filter_expression, target, status, start_from, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
        [
          id, principal.tenantId, connection.folder_id, connection.id, connector.key,
          input.name?.trim() || source.definition?.displayName || `${source.objectKey} ${source.event}`,
          source.triggerKey, source.objectKey, source.event, source.mode, JSON.stringify(params),
          filter.builder ? JSON.stringify(filter.builder) : null, filter.expression, JSON.stringify(target),
          enabled ? 'Enabled' : 'Disabled', JSON.stringify(input.startFrom ?? 'now'), principal.userId, now,
        ],
      );
      if (source.mode === 'webhook') await ensureEndpoint(tx, { id, tenant_id: principal.tenantId, connection_id: connection.id }, subscribes);
      if (source.mode === 'polling' && enabled) await schedulePoll(tx, connection, now);
      return target.type === 'webhook' ? this.engine.secrets.createSigningSecret(id, tx) : null;
    });
    this.engine.endpoints.invalidate();

    if (subscribes && enabled) {
      try {
        await this.startListening(id, connector, source);
      } catch (error) {
        // The vendor refused: nothing half-made is left behind.
        await this.remove(id);
        throw error;
      }
    }
    if (source.mode === 'polling' && enabled) this.engine.pollSoon();
    return { ...(await this.view((await findTrigger(this.db, id))!)), signingSecret };
  }

  /**
   * Subscribes at the vendor. A trigger whose notifications only signal changes first reads where
   * it starts (a delta round): notifications may arrive as soon as the subscription exists, and
   * what they signal must already be news to its cursor; what happened between that reading and
   * the subscription is caught up right after. Other triggers with a catch-up poll mark their
   * starting point once subscribed (their events come from the notifications).
   */
  private async startListening(id: string, connector: ConnectorDefinition, source: EventSource, started = false): Promise<void> {
    const companion = companionOf(connector, source) !== undefined;
    const signals = signalsOnly(source);
    if (signals && companion && !started) await this.engine.poller.catchUp(id, { strict: true });
    await this.engine.subscriptions.create(id);
    if (companion && (signals || !started)) this.engine.subscriptionJob(id, 'catch-up');
  }

  private checkTarget(target: Target): Target {
    if (target.type === 'queue') return { type: 'queue' };
    return { type: 'webhook', url: checkTargetUrl(target.url, this.deps.allowPrivateTargets).toString() };
  }

  // ---- changing ----

  async update(principal: Principal, id: string, patch: UpdateTriggerInput): Promise<CreatedTrigger> {
    const row = await this.visible(principal, id, 'Triggers.Edit');
    const filter = patch.filter !== undefined ? compileFilterInput(patch.filter) : undefined;
    const target = patch.target ? this.checkTarget(patch.target) : undefined;
    const now = this.engine.options.clock.now();
    const enabling = patch.enabled === true && row.status === 'Disabled';
    const disabling = patch.enabled === false && row.status === 'Enabled';
    const source = sourceOf({ connector: this.deps.connections.connectorOf(row.connector_key) }, row);
    const subscribes = source.webhook?.subscription !== undefined;
    if (enabling) {
      const connection = await findConnection(this.db, principal.tenantId, row.connection_id);
      if (connection && connection.status !== 'Connected') throw notEnabled(connection);
    }

    // Read before the transaction: the embedded store runs one statement at a time, so a read
    // outside the transaction would wait for it.
    const needsSecret = target?.type === 'webhook' && !(await this.engine.secrets.signingKey(id));
    let toDeliver: string[] = [];
    const signingSecret = await this.db.transaction(async (tx) => {
      const sets: string[] = ['updated_at = $2'];
      const params: unknown[] = [id, now];
      if (patch.name !== undefined) sets.push(`name = $${params.push(patch.name.trim())}`);
      if (filter) sets.push(`filter_builder = $${params.push(filter.builder ? JSON.stringify(filter.builder) : null)}`, `filter_expression = $${params.push(filter.expression)}`);
      if (target) sets.push(`target = $${params.push(JSON.stringify(target))}`);
      if (enabling) sets.push(`status = 'Enabled'`, 'disabled_reason = NULL', 'status_message = NULL', 'consecutive_failures = 0');
      if (disabling) sets.push(`status = 'Disabled'`, `disabled_reason = 'disabled'`, `status_message = 'Disabled by a user.'`);
      await tx.query(`UPDATE triggers SET ${sets.join(', ')} WHERE id = $1`, params);
      if (target) {
        // Events waiting now go where the trigger delivers now: to a webhook at once, with a
        // fresh 24-hour retry window (the time they waited in a queue is not a failed delivery).
        const moved = await tx.query<{ id: string }>(
          `UPDATE trigger_events SET delivery = $2, next_attempt_at = $3, window_started_at = $3, enqueued_at = $3
            WHERE trigger_id = $1 AND state = 'pending' RETURNING id`,
          [id, target.type, now],
        );
        if (target.type === 'webhook') toDeliver = moved.map((r) => r.id);
      }
      if (enabling && row.mode === 'polling') await schedulePoll(tx, { id: row.connection_id, tenant_id: row.tenant_id }, now);
      return needsSecret ? this.engine.secrets.createSigningSecret(id, tx) : null;
    });
    this.engine.endpoints.invalidate();
    if (toDeliver.length) this.engine.deliverSoon(toDeliver);
    if (disabling && subscribes) await this.engine.subscriptions.remove(row);
    if (enabling && subscribes) await this.startListening(id, this.deps.connections.connectorOf(row.connector_key), source, row.cursor !== null);
    if (enabling && row.mode === 'polling') this.engine.pollSoon();
    return { ...(await this.view((await findTrigger(this.db, id))!)), signingSecret };
  }

  async delete(principal: Principal, id: string): Promise<void> {
    const row = await this.visible(principal, id, 'Triggers.Delete');
    await this.engine.subscriptions.remove(row);
    await this.remove(id);
  }

  private async remove(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await findTrigger(tx, id, true);
      if (!row) return;
      await this.engine.secrets.forget(id, tx);
      await tx.query('DELETE FROM triggers WHERE id = $1', [id]);
    });
    this.engine.endpoints.invalidate();
  }

  // ---- events ----

  async events(principal: Principal, id: string, query: { state?: EventState | undefined; limit?: number | undefined; cursor?: string | undefined }): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const row = await this.visible(principal, id);
    const limit = query.limit ?? 50;
    const offset = decodeCursor(query.cursor);
    const params: unknown[] = [id];
    const where = ['trigger_id = $1'];
    if (query.state) where.push(`state = $${params.push(query.state)}`);
    // A pull queue is read oldest first; history newest first.
    const order = query.state === 'pending' ? 'created_at, id' : 'created_at DESC, id DESC';
    const rows = await this.db.query<EventRow>(`SELECT * FROM trigger_events WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit + 1} OFFSET ${offset}`, params);
    return { items: rows.slice(0, limit).map((e) => eventView(e, row)), nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null };
  }

  /** Pull queues: the caller took these events; they leave the queue. */
  async ack(principal: Principal, id: string, ids: string[]): Promise<{ acked: string[]; unknown: string[] }> {
    const row = await this.visible(principal, id, 'Triggers.Edit');
    if (row.target.type !== 'queue') throw new Problem('TRIGGER_NOT_APPLICABLE', 'This trigger delivers to a webhook; only pull-queue triggers take acknowledgements.');
    const wanted = [...new Set(ids.filter(isUuid))];
    const rows = await this.db.query<{ id: string }>(
      `UPDATE trigger_events SET state = 'acked', finished_at = $3
        WHERE trigger_id = $1 AND id = ANY($2::uuid[]) AND state = 'pending' AND delivery = 'queue' RETURNING id`,
      [id, wanted, this.engine.options.clock.now()],
    );
    const acked = rows.map((r) => r.id);
    return { acked, unknown: ids.filter((x) => !acked.includes(x)) };
  }

  /** Delivers an event again (a dead letter, or one a receiver lost): same id, a fresh 24-hour retry window. */
  async replay(principal: Principal, id: string, eventIdParam: string): Promise<EventView> {
    const row = await this.visible(principal, id, 'Triggers.Edit');
    const now = this.engine.options.clock.now();
    const [event] = isUuid(eventIdParam) ? await this.db.query<EventRow>('SELECT * FROM trigger_events WHERE id = $1 AND trigger_id = $2', [eventIdParam, id]) : [];
    if (!event) throw new Problem('TRIGGER_EVENT_NOT_FOUND', `Trigger ${id} has no event ${eventIdParam}.`);
    if (event.state === 'delivering') throw new Problem('CONFLICT', 'The event is being delivered right now; replay it after the attempt ends.');
    const [updated] = await this.db.query<EventRow>(
      `UPDATE trigger_events SET state = 'pending', delivery = $3, attempts = 0, next_attempt_at = $4, window_started_at = $4, enqueued_at = $4,
         finished_at = NULL, last_error = NULL, last_status = NULL
        WHERE id = $1 AND trigger_id = $2 AND state <> 'delivering' RETURNING *`,
      [event.id, id, row.target.type, now],
    );
    if (!updated) throw new Problem('CONFLICT', 'The event is being delivered right now; replay it after the attempt ends.');
    if (row.target.type === 'webhook') this.engine.deliverSoon([event.id]);
    return eventView(updated, row);
  }

  async notices(principal: Principal, id: string, limit = 50): Promise<Array<{ id: string; type: string; payload: Record<string, unknown>; createdAt: string }>> {
    await this.visible(principal, id);
    const rows = await this.db.query<{ id: string; type: string; payload: Record<string, unknown>; created_at: Date }>(
      'SELECT id, type, payload, created_at FROM trigger_notices WHERE trigger_id = $1 ORDER BY created_at DESC LIMIT $2',
      [id, limit],
    );
    return rows.map((r) => ({ id: r.id, type: r.type, payload: r.payload, createdAt: r.created_at.toISOString() }));
  }

  /**
   * What the trigger would fire, without side effects: a polling trigger reads the newest
   * records from the vendor (its cursor does not move, nothing is stored or delivered); a
   * webhook trigger reads the sample payload given. Each item says whether the filter passes it.
   */
  async test(principal: Principal, id: string, input: { limit?: number | undefined; payload?: unknown; headers?: Record<string, string> | undefined }): Promise<{ filter: string | null; items: Array<{ matchesFilter: boolean; event: ReturnType<typeof envelopeOf> }> }> {
    const row = await this.visible(principal, id, 'Triggers.Edit');
    const limit = input.limit ?? 5;
    const now = this.engine.options.clock.now();
    const source = sourceOf({ connector: this.deps.connections.connectorOf(row.connector_key) }, row);
    let candidates: Array<{ key: string; event: string; objectId: string | null; at: Date; record: unknown; kind?: string }>;
    const connector = this.deps.connections.connectorOf(row.connector_key);
    const companion = row.mode === 'webhook' && input.payload === undefined ? companionOf(connector, source) : undefined;
    if (row.mode === 'polling' || companion) {
      // A webhook trigger that catches up by polling samples what that poll would read.
      const sample = await this.engine.poller.sample(row, limit, companion);
      const unfiltered = this.engine.poller.eventsFor({ event: row.event, filter_expression: null }, sample.source, sample.changes);
      candidates = unfiltered.map((e) => ({ key: e.dedupeKey, event: e.event, objectId: e.objectId, at: e.occurredAt, record: e.record }));
    } else {
      if (input.payload === undefined) throw new Problem('TRIGGER_NOT_APPLICABLE', 'A webhook trigger cannot fetch from the vendor: send a sample `payload` (and `headers`) to see what it would fire.');
      const def = source.webhook!;
      const capture = !def.recordsPath && !def.idPath && !def.eventTypePath;
      const headers = Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const items = capture ? [{ method: 'POST', headers, query: {}, body: input.payload }] : sampleItems(input.payload, def.recordsPath);
      candidates = items.slice(0, limit).map((item, i) => {
        const oid = def.idPath ? readId(item, def.idPath) : null;
        return { key: `sample:${i}`, event: row.event, objectId: oid, at: now, record: item };
      });
    }
    return {
      filter: row.filter_expression,
      items: candidates.map((c) => ({
        matchesFilter: matches(row.filter_expression, c.record),
        event: envelopeOf({ id: eventId(row.id, c.key), trigger_id: row.id, event: c.event, object_type: source.objectKey ?? source.triggerKey, object_id: c.objectId, occurred_at: c.at, record: c.record }, row),
      })),
    };
  }
}

function readId(item: unknown, pointer: string): string | null {
  const value = readPointer(item, pointer);
  return value === undefined || value === null || typeof value === 'object' ? null : String(value);
}

function sampleItems(payload: unknown, recordsPath: string | undefined): unknown[] {
  const items = recordsPath ? readPointer(payload, recordsPath) : [payload];
  if (!Array.isArray(items)) throw new Problem('WEBHOOK_PAYLOAD_INVALID', `The sample holds no list of events at ${recordsPath}.`);
  return items;
}

/** A filter as given: JMESPath text, a builder tree (compiled), or null (no filter). Invalid ones are refused here, at save. */
export function compileFilterInput(filter: FilterInput | undefined): { expression: string | null; builder: FilterGroup | null } {
  if (filter === undefined || filter === null || filter === '') return { expression: null, builder: null };
  try {
    if (typeof filter === 'string') {
      parseFilter(filter);
      return { expression: filter, builder: null };
    }
    const expression = compileFilter(filter);
    parseFilter(expression);
    return { expression, builder: filter };
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      const text = filter as string;
      const pointer = `${text.slice(0, error.position)}⟶${text.slice(error.position)}`;
      throw new Problem('TRIGGER_FILTER_INVALID', `The filter is not valid JMESPath at position ${error.position} (${error.message}): ${pointer}`, {
        errors: [{ path: '/body/filter', message: `${error.message} at position ${error.position}`, rule: 'jmespath' }],
        extensions: { position: error.position, expression: text },
      });
    }
    if (error instanceof FilterBuildError) {
      throw new Problem('TRIGGER_FILTER_INVALID', `The filter is not valid: ${error.message}`, { errors: error.errors });
    }
    throw error;
  }
}

function notFound(id: string): Problem {
  return new Problem('TRIGGER_NOT_FOUND', `Trigger ${id} was not found.`);
}
