import { createServer as createNetServer } from 'node:net';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/http/logging.ts';
import { type Switchboard, createSwitchboard } from '../../src/service.ts';
import { quoteIdent } from '../../src/store/postgres.ts';
import type { Clock, DeliveryPolicy } from '../../src/triggers/delivery/policy.ts';
import { PgBossQueue } from '../../src/triggers/jobs/pg-boss.ts';
import { acmeConnector } from './acme-connector.ts';
import type { AcmeVendor } from './acme-vendor.ts';
import { ADMIN_KEY, LogCapture, MASTER_KEY } from './service.ts';
import { type StoreKind, TEST_DATABASE_URL, type TestStore, openTestStore } from './stores.ts';

/** A clock the test moves by hand: retries, 24-hour windows and renewals without waiting. */
export class ManualClock implements Clock {
  private at: number;
  constructor(start = new Date()) {
    this.at = start.getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TriggerService {
  sb: Switchboard;
  store: TestStore;
  logs: LogCapture;
  /** Where the service listens (and its PUBLIC_URL), when started with `listen`. */
  publicUrl: string;
  api(method: InjectOptions['method'], url: string, options?: { key?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(options?: { keepStore?: boolean }): Promise<void>;
}

export interface TriggerServiceOptions {
  env?: Record<string, string>;
  clock?: Clock;
  delivery?: Partial<DeliveryPolicy>;
  tickMs?: number;
  /** Run the engine's workers (default true). */
  run?: boolean;
  /** Listen on a real port (vendors call back: handshakes, notifications). */
  listen?: boolean;
  /** Join an existing store (another instance on the same PostgreSQL schema). */
  store?: TestStore;
  /** With `store`: this instance drops the store when it closes (a restart of the one that made it). */
  ownsStore?: boolean;
}

/** A Switchboard with the trigger engine running fast: a short tick, quick retries, private targets allowed. */
export async function startTriggerService(kind: StoreKind, options: TriggerServiceOptions = {}): Promise<TriggerService> {
  const store = options.store ?? (await openTestStore(kind));
  const port = options.listen ? await freePort() : 8090;
  const publicUrl = `http://127.0.0.1:${port}`;
  const logs = new LogCapture();
  const config = loadConfig({
    SWITCHBOARD_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_MASTER_KEY: MASTER_KEY, PORT: String(port), PUBLIC_URL: publicUrl, LOG_LEVEL: 'info',
    SWITCHBOARD_ALLOW_PRIVATE_TARGETS: 'true', ...options.env,
  });
  const sb = await createSwitchboard(config, {
    logger: createLogger('info', logs),
    db: store.db,
    tokens: { baseDelayMs: 5 },
    triggers: {
      run: options.run ?? true,
      tickMs: options.tickMs ?? 50,
      workerPollingSeconds: 0.5,
      ...(options.clock ? { clock: options.clock } : {}),
      delivery: { timeoutMs: 3000, leaseMs: 5000, retryWindowMs: 24 * 3600_000, backoff: () => 0, maxRetryAfterMs: 0, ...options.delivery },
    },
  });
  sb.catalog.register(acmeConnector, { replace: true });
  if (options.listen) await sb.app.listen({ port, host: '127.0.0.1' });
  return {
    sb,
    store,
    logs,
    publicUrl,
    api(method, url, o = {}) {
      const key = o.key === undefined ? ADMIN_KEY : o.key;
      const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...o.headers };
      return sb.app.inject({ method, url, headers, ...(o.body !== undefined ? { payload: o.body as never } : {}) });
    },
    async close(o = {}) {
      await sb.close();
      if (o.keepStore || (options.store && !options.ownsStore)) return;
      const bossSchema = store.kind === 'postgres' ? await PgBossQueue.schemaFor(store.db) : undefined;
      await store.drop();
      if (bossSchema) await dropSchema(bossSchema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await c.end();
  }
}

/** The Shared folder the bootstrap creates. */
export async function sharedFolder(s: Pick<TriggerService, 'api'>): Promise<string> {
  const res = await s.api('GET', '/api/v1/folders');
  return (res.json().items as Array<{ id: string; name: string }>).find((f) => f.name === 'Shared')!.id;
}

export async function acmeConnection(s: Pick<TriggerService, 'api'>, vendor: AcmeVendor, folderId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await s.api('POST', '/api/v1/connections', {
    body: { folderId, connector: 'acme-tickets', authType: 'api-key', fields: { baseUrl: vendor.baseUrl, apiKey: vendor.apiKey, ...extra } },
  });
  if (res.statusCode !== 201) throw new Error(`connection: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Delivery {
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown>;
  at: number;
}

/** An HTTP receiver of outbound deliveries that answers as told: 204, a failure status, or not at all (stall). */
export interface Receiver {
  url: string;
  deliveries: Delivery[];
  answer: { status: number; stall: boolean };
  ids(): string[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const answer = { status: 204, stall: false };
  const stalled: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
      deliveries.push({ headers, body, json: body ? JSON.parse(body) : {}, at: Date.now() });
      if (answer.stall) {
        stalled.push(res);
        return;
      }
      res.writeHead(answer.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    deliveries,
    answer,
    ids: () => deliveries.map((d) => String(d.json.id)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
