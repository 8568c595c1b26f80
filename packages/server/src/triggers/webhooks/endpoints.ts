import { randomBytes } from 'node:crypto';
import type { WebhookDefinition } from '@switchboard/catalog';
import type { ConnectionContext } from '../../authentication/context.ts';
import { CONNECTION_SCOPE, type ConnectionSecrets } from '../../authentication/tokens.ts';
import { type ConnectionRow, findConnectionById } from '../../connections/repository.ts';
import type { Connections } from '../../connections/service.ts';
import type { Database, Queryable } from '../../store/database.ts';
import type { Vault } from '../../vault/vault.ts';
import { type EventSource, resolveSource } from '../definition.ts';
import type { TriggerRow } from '../model.ts';

/** 192 random bits, URL-safe: the webhook URL is a capability, so it must not be guessable. */
export function newRoutingKey(): string {
  return randomBytes(24).toString('base64url');
}

export function webhookUrl(publicUrl: string, routingKey: string): string {
  return `${publicUrl}/api/v1/webhooks/${routingKey}`;
}

/**
 * The endpoint a webhook trigger listens at. Triggers whose vendor subscription Switchboard
 * registers get their own; the others (people paste the URL into the sending application)
 * share one per connection, so the URL stays the same whatever triggers come and go on it.
 */
export async function ensureEndpoint(tx: Queryable, trigger: Pick<TriggerRow, 'id' | 'tenant_id' | 'connection_id'>, perTrigger: boolean): Promise<string> {
  if (perTrigger) {
    const key = newRoutingKey();
    await tx.query('INSERT INTO webhook_endpoints (routing_key, tenant_id, connection_id, trigger_id) VALUES ($1, $2, $3, $4)', [key, trigger.tenant_id, trigger.connection_id, trigger.id]);
    return key;
  }
  await tx.query(
    `INSERT INTO webhook_endpoints (routing_key, tenant_id, connection_id) VALUES ($1, $2, $3)
     ON CONFLICT (connection_id) WHERE trigger_id IS NULL DO NOTHING`,
    [newRoutingKey(), trigger.tenant_id, trigger.connection_id],
  );
  const [row] = await tx.query<{ routing_key: string }>('SELECT routing_key FROM webhook_endpoints WHERE connection_id = $1 AND trigger_id IS NULL', [trigger.connection_id]);
  return row!.routing_key;
}

export async function routingKeyOf(db: Queryable, trigger: Pick<TriggerRow, 'id' | 'connection_id' | 'mode'>): Promise<string | undefined> {
  if (trigger.mode !== 'webhook') return undefined;
  const [row] = await db.query<{ routing_key: string }>(
    `SELECT routing_key FROM webhook_endpoints WHERE trigger_id = $1
     UNION ALL SELECT routing_key FROM webhook_endpoints WHERE connection_id = $2 AND trigger_id IS NULL LIMIT 1`,
    [trigger.id, trigger.connection_id],
  );
  return row?.routing_key;
}

export interface ListeningTrigger {
  row: TriggerRow;
  source: EventSource;
}

/** Everything the ingress needs about one URL, read once and kept briefly. */
export interface Endpoint {
  routingKey: string;
  tenantId: string;
  connection: ConnectionRow;
  ctx: ConnectionContext;
  /** The trigger that owns the URL (vendor subscriptions), or undefined for a connection URL. */
  ownerTriggerId: string | undefined;
  /** The definition that says how deliveries at this URL are checked and read. */
  webhook: WebhookDefinition;
  triggers: ListeningTrigger[];
}

/**
 * Endpoints by routing key, cached for a few seconds: a webhook burst must not re-read the
 * connection, its secrets and its triggers for every delivery. Changes made through this
 * instance invalidate at once; other instances see them within the cache lifetime.
 */
export class EndpointCache {
  private readonly entries = new Map<string, { at: number; endpoint: Promise<Endpoint | undefined> }>();

  constructor(
    private readonly deps: { db: Database; vault: Vault; connections: Connections },
    private readonly ttlMs = 5000,
  ) {}

  /** Concurrent deliveries to an expired entry share one read (a burst does not become a stampede). */
  async get(routingKey: string): Promise<Endpoint | undefined> {
    const hit = this.entries.get(routingKey);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.endpoint;
    const endpoint = this.load(routingKey);
    if (this.entries.size > 5000) this.entries.clear();
    const entry = { at: Date.now(), endpoint };
    this.entries.set(routingKey, entry);
    endpoint.catch(() => {
      if (this.entries.get(routingKey) === entry) this.entries.delete(routingKey);
    });
    return endpoint;
  }

  invalidate(): void {
    this.entries.clear();
  }

  private async load(routingKey: string): Promise<Endpoint | undefined> {
    const { db } = this.deps;
    const [ep] = await db.query<{ routing_key: string; tenant_id: string; connection_id: string; trigger_id: string | null }>('SELECT * FROM webhook_endpoints WHERE routing_key = $1', [routingKey]);
    if (!ep) return undefined;
    const connection = await findConnectionById(db, ep.connection_id);
    if (!connection) return undefined;
    const rows = ep.trigger_id
      ? await db.query<TriggerRow>('SELECT * FROM triggers WHERE id = $1', [ep.trigger_id])
      : await db.query<TriggerRow>(`SELECT * FROM triggers WHERE connection_id = $1 AND mode = 'webhook' ORDER BY created_at`, [ep.connection_id]);
    const connector = this.deps.connections.connectorOf(connection.connector_key);
    const triggers: ListeningTrigger[] = [];
    for (const row of rows) {
      const source = resolveSource(connector, row.trigger_key ? { trigger: row.trigger_key } : { object: row.object_key ?? undefined, event: row.event });
      // A connection URL carries only the triggers people register by hand.
      if (!ep.trigger_id && source.webhook?.subscription) continue;
      if (source.webhook) triggers.push({ row, source });
    }
    if (triggers.length === 0) return undefined;
    const secrets = await this.deps.vault.get<ConnectionSecrets>(CONNECTION_SCOPE, connection.id);
    return {
      routingKey,
      tenantId: ep.tenant_id,
      connection,
      ctx: this.deps.connections.context(connection, secrets?.value ?? { fields: {} }),
      ownerTriggerId: ep.trigger_id ?? undefined,
      webhook: triggers[0]!.source.webhook!,
      triggers,
    };
  }
}
