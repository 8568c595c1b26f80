import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * "Acme", a small ticketing API on 127.0.0.1 for the trigger tests. It offers what trigger
 * definitions read: a list filtered by modification time (watermark polling), a delta feed
 * with next/delta links and @removed markers (Graph's delta query), and a subscription API
 * that behaves like Microsoft Graph's: creating one first POSTs `?validationToken=` to the
 * notification URL and needs the token back as text/plain within 10 seconds; notifications
 * carry the subscription's clientState; lifecycle notifications go to the same URL.
 */
export interface Ticket {
  id: string;
  title: string;
  status: string;
  priority: number;
  createdAt: string;
  updatedAt: string;
}

export interface Subscription {
  id: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string;
  expirationDateTime: string;
  resource: string;
}

export interface AcmeVendor {
  baseUrl: string;
  apiKey: string;
  tickets: Map<string, Ticket>;
  subscriptions: Map<string, Subscription>;
  /** Every request: method, path and query. */
  calls: Array<{ method: string; path: string; query: Record<string, string> }>;
  /** Answer the next n list or delta calls with this status. */
  failNext(n: number, status?: number): void;
  /** Refuse new subscriptions (403) while set. */
  refuseSubscriptions: boolean;
  /** Milliseconds the list and delta endpoints take to answer, like a real vendor (benchmarks). */
  latencyMs: number;
  create(fields: Partial<Ticket> & { title: string }, at?: Date): Ticket;
  update(id: string, fields: Partial<Ticket>, at?: Date): Ticket;
  remove(id: string): void;
  /** Sends a change notification for a ticket to every subscription (as Graph does). */
  notify(changeType: 'created' | 'updated' | 'deleted', ticketId: string, options?: { clientState?: string }): Promise<number[]>;
  /** Sends a lifecycle notification to one subscription. */
  lifecycle(subscriptionId: string, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): Promise<number>;
  count(path: string): number;
  close(): Promise<void>;
}

export async function startAcmeVendor(): Promise<AcmeVendor> {
  const apiKey = `acme_${randomUUID()}`;
  const tickets = new Map<string, Ticket>();
  const subscriptions = new Map<string, Subscription>();
  const calls: AcmeVendor['calls'] = [];
  /** Delta feed: every change in order; a delta token is a position in it. */
  const changes: Array<{ id: string; removed: boolean }> = [];
  let failures = { left: 0, status: 500 };
  let sequence = 0;

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    calls.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (req.headers['x-api-key'] !== apiKey) return send(res, 401, { error: { code: 'Unauthorized', message: 'Bad API key' } });

    if (url.pathname === '/me') return send(res, 200, { id: 'acme-account-1', email: 'bot@acme.test' });

    if (url.pathname === '/tickets' && req.method === 'GET') {
      if (vendor.latencyMs > 0) await new Promise((r) => setTimeout(r, vendor.latencyMs));
      if (failures.left > 0) {
        failures.left--;
        return send(res, failures.status, { error: { code: 'ServiceUnavailable', message: 'Acme is down for maintenance' } });
      }
      const since = url.searchParams.get('since');
      const from = since ? Date.parse(since) : 0;
      const items = [...tickets.values()].filter((t) => Date.parse(t.updatedAt) >= from).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      return send(res, 200, { items });
    }

    if (url.pathname === '/tickets/delta' && req.method === 'GET') {
      if (failures.left > 0) {
        failures.left--;
        return send(res, failures.status, { error: { code: 'ServiceUnavailable', message: 'Acme is down for maintenance' } });
      }
      const token = url.searchParams.get('token');
      const page = Number(url.searchParams.get('page') ?? '0');
      if (token === 'expired') return send(res, 410, { error: { code: 'syncStateNotFound', message: 'The delta token expired' } });
      if (token === null) {
        // The initial round: every ticket, two per page, then a delta link at the current position.
        const all = [...tickets.values()].sort((a, b) => a.id.localeCompare(b.id));
        const slice = all.slice(page * 2, page * 2 + 2);
        const more = (page + 1) * 2 < all.length;
        return send(res, 200, more ? { value: slice, '@odata.nextLink': `${baseUrl}/tickets/delta?page=${page + 1}` } : { value: slice, '@odata.deltaLink': `${baseUrl}/tickets/delta?token=${changes.length}` });
      }
      const position = Number(token);
      const seen = new Map<string, boolean>();
      for (const c of changes.slice(position)) seen.set(c.id, c.removed);
      const value = [...seen].map(([id, removed]) => (removed ? { id, '@removed': { reason: 'deleted' } } : tickets.get(id))).filter(Boolean);
      return send(res, 200, { value, '@odata.deltaLink': `${baseUrl}/tickets/delta?token=${changes.length}` });
    }

    if (url.pathname === '/subscriptions' && req.method === 'POST') {
      if (vendor.refuseSubscriptions) return send(res, 403, { error: { code: 'Forbidden', message: 'This app may not subscribe to tickets' } });
      const body = (await readBody(req)) as Partial<Subscription>;
      if (!body.notificationUrl || !body.clientState || !body.expirationDateTime) return send(res, 400, { error: { code: 'InvalidRequest', message: 'notificationUrl, clientState and expirationDateTime are required' } });
      // Graph's validation: POST ?validationToken=..., answered 200 text/plain with the decoded token within 10 s.
      for (const target of new Set([body.notificationUrl, body.lifecycleNotificationUrl].filter(Boolean) as string[])) {
        const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
        const check = new URL(target);
        check.searchParams.set('validationToken', token);
        try {
          const answer = await fetch(check, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(10_000) });
          const text = await answer.text();
          if (answer.status !== 200 || text !== token || !(answer.headers.get('content-type') ?? '').startsWith('text/plain')) throw new Error(`answered ${answer.status} ${text}`);
        } catch {
          return send(res, 400, { error: { code: 'InvalidRequest', message: 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.' } });
        }
      }
      const sub: Subscription = {
        id: randomUUID(),
        notificationUrl: body.notificationUrl,
        lifecycleNotificationUrl: body.lifecycleNotificationUrl,
        clientState: body.clientState,
        expirationDateTime: body.expirationDateTime,
        resource: body.resource ?? 'tickets',
      };
      subscriptions.set(sub.id, sub);
      return send(res, 201, { ...sub, clientState: undefined });
    }

    const subMatch = /^\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (subMatch) {
      const sub = subscriptions.get(subMatch[1]!);
      if (!sub) return send(res, 404, { error: { code: 'ResourceNotFound', message: 'The subscription does not exist' } });
      if (req.method === 'PATCH') {
        const body = (await readBody(req)) as { expirationDateTime?: string };
        if (body.expirationDateTime) sub.expirationDateTime = body.expirationDateTime;
        return send(res, 200, { ...sub, clientState: undefined });
      }
      if (req.method === 'DELETE') {
        subscriptions.delete(sub.id);
        return send(res, 204);
      }
    }
    return send(res, 404, { error: { code: 'NotFound', message: `No route ${req.method} ${url.pathname}` } });
  }

  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    handle(req, res, baseUrl).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { code: 'Internal', message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const stamp = (at?: Date) => (at ?? new Date()).toISOString();
  const post = async (target: string, body: unknown) => {
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  };

  const vendor: AcmeVendor = {
    baseUrl,
    apiKey,
    refuseSubscriptions: false,
    latencyMs: 0,
    tickets,
    subscriptions,
    calls,
    failNext(n, status = 503) {
      failures = { left: n, status };
    },
    create(fields, at) {
      const now = stamp(at);
      const ticket: Ticket = { id: `T-${String(++sequence).padStart(4, '0')}`, status: 'open', priority: 3, createdAt: now, updatedAt: now, ...fields };
      tickets.set(ticket.id, ticket);
      changes.push({ id: ticket.id, removed: false });
      return ticket;
    },
    update(id, fields, at) {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`no ticket ${id}`);
      Object.assign(ticket, fields, { updatedAt: stamp(at) });
      changes.push({ id, removed: false });
      return ticket;
    },
    remove(id) {
      tickets.delete(id);
      changes.push({ id, removed: true });
    },
    async notify(changeType, ticketId, options = {}) {
      const statuses: number[] = [];
      for (const sub of subscriptions.values()) {
        const ticket = tickets.get(ticketId);
        statuses.push(await post(sub.notificationUrl, {
          value: [{
            subscriptionId: sub.id,
            subscriptionExpirationDateTime: sub.expirationDateTime,
            clientState: options.clientState ?? sub.clientState,
            changeType,
            resource: `tickets/${ticketId}`,
            tenantId: 'acme-tenant',
            resourceData: { '@odata.type': '#Acme.Ticket', '@odata.id': `tickets/${ticketId}`, '@odata.etag': `W/"${ticket?.updatedAt ?? 'gone'}"`, id: ticketId },
          }],
        }));
      }
      return statuses;
    },
    async lifecycle(subscriptionId, event) {
      const sub = subscriptions.get(subscriptionId);
      if (!sub) throw new Error(`no subscription ${subscriptionId}`);
      return post(sub.lifecycleNotificationUrl ?? sub.notificationUrl, {
        value: [{ subscriptionId: sub.id, subscriptionExpirationDateTime: sub.expirationDateTime, tenantId: 'acme-tenant', clientState: sub.clientState, lifecycleEvent: event }],
      });
    },
    count(path) {
      return calls.filter((c) => c.path === path).length;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return vendor;
}
