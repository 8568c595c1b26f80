import { randomBytes, randomUUID } from 'node:crypto';
import { type RequestDefinition, type SubscriptionDefinition, readPointer } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import { findConnectionById } from '../../connections/repository.ts';
import type { ConnectionAccess, Connections } from '../../connections/service.ts';
import type { VendorCaller, VendorResponse } from '../../outbound/vendor-call.ts';
import { Problem } from '../../problems/problem.ts';
import type { Database } from '../../store/database.ts';
import type { Clock } from '../delivery/policy.ts';
import type { EventSource } from '../definition.ts';
import type { TriggerRow } from '../model.ts';
import { recordNotice } from '../outbox.ts';
import { sourceOf } from '../polling/poller.ts';
import { TriggerDefinitionError, TriggerScope, buildRequest, connectionData } from '../request.ts';
import type { TriggerSecrets } from '../secrets.ts';
import { findSubscription, findTrigger, markFailure, markSuccess } from '../store.ts';
import { routingKeyOf, webhookUrl } from '../webhooks/endpoints.ts';
import '../errors.ts';

export interface SubscriptionDeps {
  db: Database;
  connections: Connections;
  vendor: VendorCaller;
  secrets: TriggerSecrets;
  clock: Clock;
  logger: FastifyBaseLogger;
  publicUrl: string;
}

/** A failed renewal is tried again after this long (the subscription usually has hours left). */
const RETRY_RENEWAL_MS = 5 * 60 * 1000;
/** A claimed renewal is not claimed again for this long (the claimant is working on it). */
const RENEWAL_LEASE_MS = 2 * 60 * 1000;

/**
 * Vendor-side webhook registrations made from the connector definition: created when a
 * webhook trigger with a subscription is created or enabled (the vendor may first verify the
 * URL with a handshake, which the ingress answers), renewed before they expire, re-created when
 * the vendor removed them, and deleted with the trigger. The secret the vendor echoes or signs
 * with ({subscription.secret}, Graph's clientState) is generated here and kept in the vault.
 */
export class Subscriptions {
  constructor(private readonly deps: SubscriptionDeps) {}

  /** Registers the trigger's subscription at the vendor; throws TRIGGER_SUBSCRIPTION_FAILED when the vendor refuses. */
  async create(triggerId: string): Promise<void> {
    const { trigger, access, source, def } = await this.load(triggerId);
    const now = this.deps.clock.now();
    // Kept across re-subscriptions, so notifications already in flight still verify.
    let secret = await this.deps.secrets.subscriptionSecret(trigger.id);
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      await this.deps.secrets.putSubscriptionSecret(trigger.id, secret);
    }
    const expiresAt = def.lifetimeMinutes ? new Date(now.getTime() + def.lifetimeMinutes * 60_000) : undefined;
    const url = await this.urlOf(trigger);
    const res = await this.call(access, source, trigger, def.create.request, 'subscribe', { url, secret, expiresAt, id: undefined });
    const vendorId = readPointer(res.json, def.create.idPath);
    if (vendorId === undefined || vendorId === null || typeof vendorId === 'object') {
      throw new Problem('TRIGGER_SUBSCRIPTION_FAILED', `The vendor accepted the subscription but its answer has no id at ${def.create.idPath}.`, { extensions: { vendorStatus: res.status } });
    }
    const answered = def.create.expiresAtPath ? readPointer(res.json, def.create.expiresAtPath) : undefined;
    const expires = typeof answered === 'string' && !Number.isNaN(Date.parse(answered)) ? new Date(answered) : expiresAt;
    await this.deps.db.query(
      `INSERT INTO trigger_subscriptions (trigger_id, tenant_id, vendor_id, status, expires_at, renew_at, last_renewed_at, last_error, updated_at)
       VALUES ($1, $2, $3, 'Active', $4, $5, $6, NULL, $6)
       ON CONFLICT (trigger_id) DO UPDATE SET vendor_id = EXCLUDED.vendor_id, status = 'Active', expires_at = EXCLUDED.expires_at,
         renew_at = EXCLUDED.renew_at, last_renewed_at = EXCLUDED.last_renewed_at, last_error = NULL, updated_at = EXCLUDED.updated_at`,
      [trigger.id, trigger.tenant_id, String(vendorId), expires ?? null, renewAt(def, expires, now), now],
    );
  }

  /**
   * Renews before expiry (and on Graph's reauthorizationRequired, whose answer is the same
   * PATCH). A vendor that no longer knows the subscription gets a new one. Failures count
   * towards the trigger's failure streak.
   */
  async renew(triggerId: string): Promise<void> {
    const loaded = await this.tryLoad(triggerId);
    if (!loaded) return;
    const { trigger, access, source, def } = loaded;
    const sub = await findSubscription(this.deps.db, trigger.id);
    if (!sub?.vendor_id || !def.renew) return this.resubscribe(triggerId, 'renewal');
    const now = this.deps.clock.now();
    const expiresAt = def.lifetimeMinutes ? new Date(now.getTime() + def.lifetimeMinutes * 60_000) : undefined;
    try {
      const secret = (await this.deps.secrets.subscriptionSecret(trigger.id)) ?? '';
      const res = await this.call(access, source, trigger, def.renew, 'renew', { url: await this.urlOf(trigger), secret, expiresAt, id: sub.vendor_id }, [404, 410]);
      if (res.status === 404 || res.status === 410) return this.resubscribe(triggerId, 'gone');
      const answered = def.create.expiresAtPath ? readPointer(res.json, def.create.expiresAtPath) : undefined;
      const expires = typeof answered === 'string' && !Number.isNaN(Date.parse(answered)) ? new Date(answered) : expiresAt;
      await this.deps.db.query(
        `UPDATE trigger_subscriptions SET status = 'Active', expires_at = $2, renew_at = $3, last_renewed_at = $4, last_error = NULL, updated_at = $4 WHERE trigger_id = $1`,
        [trigger.id, expires ?? null, renewAt(def, expires, now), now],
      );
      await markSuccess(this.deps.db, trigger.id, now, false);
    } catch (error) {
      await this.failed(trigger, error);
    }
  }

  /** The vendor removed the subscription (or cannot renew it): make a new one, then catch up on what was missed. */
  async resubscribe(triggerId: string, why: 'removed' | 'gone' | 'renewal'): Promise<void> {
    const trigger = await findTrigger(this.deps.db, triggerId);
    if (!trigger || trigger.status !== 'Enabled') return;
    await this.remove(trigger).catch(() => {});
    try {
      await this.create(triggerId);
      await recordNotice(this.deps.db, trigger, 'subscription.recreated', { reason: why });
      await markSuccess(this.deps.db, trigger.id, this.deps.clock.now(), false);
    } catch (error) {
      await this.failed(trigger, error);
    }
  }

  /** Best effort: deletes the vendor-side subscription (the trigger is being disabled or deleted). */
  async remove(trigger: TriggerRow): Promise<void> {
    const sub = await findSubscription(this.deps.db, trigger.id);
    if (!sub?.vendor_id) return;
    const loaded = await this.tryLoad(trigger.id);
    if (loaded?.def.delete) {
      try {
        const secret = (await this.deps.secrets.subscriptionSecret(trigger.id)) ?? '';
        await this.call(loaded.access, loaded.source, trigger, loaded.def.delete, 'unsubscribe', { url: await this.urlOf(trigger), secret, expiresAt: sub.expires_at ?? undefined, id: sub.vendor_id }, [404, 410]);
      } catch (error) {
        this.deps.logger.warn({ triggerId: trigger.id, err: error }, 'could not delete the vendor subscription; it lapses when it expires');
      }
    }
    await this.deps.db.query('DELETE FROM trigger_subscriptions WHERE trigger_id = $1', [trigger.id]);
  }

  /** Subscriptions due for renewal, claimed for a short lease so one instance renews each. */
  async claimDue(limit = 100): Promise<string[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db.query<{ trigger_id: string }>(
      `UPDATE trigger_subscriptions SET renew_at = $2
        WHERE trigger_id IN (SELECT s.trigger_id FROM trigger_subscriptions s JOIN triggers t ON t.id = s.trigger_id
                              WHERE s.renew_at <= $1 AND t.status = 'Enabled' ORDER BY s.renew_at LIMIT ${Number(limit)} FOR UPDATE OF s SKIP LOCKED)
        RETURNING trigger_id`,
      [now, new Date(now.getTime() + RENEWAL_LEASE_MS)],
    );
    return rows.map((r) => r.trigger_id);
  }

  private async failed(trigger: TriggerRow, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const now = this.deps.clock.now();
    await this.deps.db.query(`UPDATE trigger_subscriptions SET status = 'Failed', last_error = $2, renew_at = $3, updated_at = $4 WHERE trigger_id = $1`, [
      trigger.id, message.slice(0, 1000), new Date(now.getTime() + RETRY_RENEWAL_MS), now,
    ]);
    const disabled = await this.deps.db.transaction((tx) => markFailure(tx, trigger, message, now, false));
    this.deps.logger.warn({ triggerId: trigger.id, error: message, disabled }, 'webhook subscription upkeep failed');
  }

  private async urlOf(trigger: TriggerRow): Promise<string> {
    const key = await routingKeyOf(this.deps.db, trigger);
    if (!key) throw new Error(`trigger ${trigger.id} has no webhook endpoint`);
    return webhookUrl(this.deps.publicUrl, key);
  }

  private async tryLoad(triggerId: string) {
    try {
      return await this.load(triggerId);
    } catch (error) {
      if (error instanceof Problem && (error.code === 'TRIGGER_NOT_FOUND' || error.code === 'CONNECTION_NOT_ENABLED')) return undefined;
      throw error;
    }
  }

  private async load(triggerId: string): Promise<{ trigger: TriggerRow; access: ConnectionAccess; source: EventSource; def: SubscriptionDefinition }> {
    const trigger = await findTrigger(this.deps.db, triggerId);
    if (!trigger) throw new Problem('TRIGGER_NOT_FOUND', `Trigger ${triggerId} was not found.`);
    const connection = await findConnectionById(this.deps.db, trigger.connection_id);
    if (!connection) throw new Problem('TRIGGER_NOT_FOUND', `Trigger ${triggerId} was not found.`);
    const access = await this.deps.connections.access(connection);
    const source = sourceOf(access, trigger);
    const def = source.webhook?.subscription;
    if (!def) throw new Error(`trigger ${triggerId} has no vendor subscription`);
    return { trigger, access, source, def };
  }

  private async call(
    access: ConnectionAccess,
    source: EventSource,
    trigger: TriggerRow,
    def: RequestDefinition,
    step: string,
    sub: { url: string; secret: string; expiresAt: Date | undefined; id: string | undefined },
    tolerated: number[] = [],
  ): Promise<VendorResponse> {
    const subscription = { id: sub.id, secret: sub.secret, expiresAt: sub.expiresAt?.toISOString() };
    const extra = { 'webhook.url': sub.url, 'subscription.id': sub.id, 'subscription.secret': sub.secret, 'subscription.expiresAt': subscription.expiresAt };
    let request;
    try {
      request = buildRequest(def, new TriggerScope(access.ctx, trigger.input, extra, { input: trigger.input, webhook: { url: sub.url }, subscription, connection: connectionData(access.ctx) }));
    } catch (error) {
      if (error instanceof TriggerDefinitionError) throw new Problem('TRIGGER_SUBSCRIPTION_FAILED', `The ${step} request of ${source.operation} cannot be built: ${error.message}`);
      throw error;
    }
    const res = await this.deps.vendor.send(access.row, request, { requestId: `${step}-${randomUUID()}`, operation: `${source.operation}.${step}`, kind: 'trigger' });
    if ((res.status >= 200 && res.status < 300) || tolerated.includes(res.status)) return res;
    const vendorMessage = vendorMessageOf(res);
    throw new Problem('TRIGGER_SUBSCRIPTION_FAILED', `The vendor refused to ${step} (${res.status})${vendorMessage ? `: ${vendorMessage}` : ''}.`, {
      extensions: { vendorStatus: res.status, ...(vendorMessage ? { vendorMessage } : {}) },
    });
  }
}

/** Renew this long before expiry: the definition's margin, else a tenth of the lifetime (at most an hour). */
function renewAt(def: SubscriptionDefinition, expires: Date | undefined, now: Date): Date | null {
  if (!expires) return null;
  const lifetime = expires.getTime() - now.getTime();
  const before = def.renewBeforeMinutes !== undefined ? def.renewBeforeMinutes * 60_000 : Math.min(60 * 60_000, lifetime / 10);
  return new Date(Math.max(now.getTime(), expires.getTime() - before));
}

function vendorMessageOf(res: VendorResponse): string | undefined {
  const json = res.json as { error?: { message?: unknown } | string; message?: unknown } | undefined;
  const message = typeof json?.error === 'object' ? json.error?.message : json?.message ?? json?.error;
  if (typeof message === 'string') return message.slice(0, 300);
  const text = res.body.toString('utf8').trim();
  return text ? text.slice(0, 300) : undefined;
}

