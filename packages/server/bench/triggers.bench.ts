// Trigger engine throughput on one node.
//
// 1. Webhook ingress to signed delivery: a sender posts BENCH_WEBHOOK_EVENTS events (one per
//    request, BENCH_WEBHOOK_CONCURRENCY at a time) to an HTTP Webhook trigger's public URL over
//    real HTTP; each is verified, filtered, stored, queued and delivered to a receiver as a POST
//    signed per Standard Webhooks. The sender and the receiver run in a child process (the
//    outside world); this process is the node under test. Events/s is counted from the first
//    request to the last delivery the receiver got, so it is end to end. Target: 2,000/s.
//
// 2. Polling capacity: BENCH_POLL_CONNECTIONS connections with one 5-minute polling trigger
//    each, against the fake vendor (20 tickets per answer, unchanged: the steady state of most
//    polls). All are made due at once and the time to poll every one is measured, with an
//    instant vendor (what one poll costs this node) and with BENCH_VENDOR_LATENCY_MS per answer
//    (what real vendors cost: then throughput is poll concurrency / latency). Sustainable
//    5-minute triggers = measured polls/s x 300 s, for the slower of the two.
//
// BENCH_STORE: embedded | postgres | both (default both).
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { type Switchboard, createSwitchboard } from '../src/service.ts';
import { PgBossQueue } from '../src/triggers/jobs/pg-boss.ts';
import { acmeConnector } from '../test/support/acme-connector.ts';
import { type AcmeVendor, startAcmeVendor } from '../test/support/acme-vendor.ts';
import { type StoreKind, type TestStore, openTestStore } from '../test/support/stores.ts';
import { dropSchema, freePort } from '../test/support/triggers.ts';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 64);
const POLL_CONNECTIONS = Number(process.env.BENCH_POLL_CONNECTIONS ?? 300);
const VENDOR_LATENCY_MS = Number(process.env.BENCH_VENDOR_LATENCY_MS ?? 200);
const STORES: StoreKind[] = process.env.BENCH_STORE === 'embedded' || process.env.BENCH_STORE === 'postgres' ? [process.env.BENCH_STORE] : ['embedded', 'postgres'];
const ADMIN_KEY = 'sb_bench-administrator-key-0123456789abcdef';

interface SendJob { origin: string; path: string; total: number; concurrency: number; secret: string }
interface SendResult { ingressMs: number; endToEndMs: number; rejected: number; delivered: number; verified: number; badSignatures: number }

// ---- the outside world (child process): a webhook sender and a delivery receiver ----

async function outsideWorld(): Promise<void> {
  let expected = 0;
  let delivered = 0;
  let verified = 0;
  let badSignatures = 0;
  let key: Buffer | undefined;
  let done: (() => void) | undefined;
  let lastAt = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      delivered++;
      lastAt = performance.now();
      // Verify every 50th signature as a receiver would (the rest cost the receiver, not the node).
      if (key && delivered % 50 === 0) {
        const body = Buffer.concat(chunks).toString('utf8');
        const mac = createHmac('sha256', key).update(`${req.headers['webhook-id']}.${req.headers['webhook-timestamp']}.${body}`).digest('base64');
        if (req.headers['webhook-signature'] === `v1,${mac}`) verified++;
        else badSignatures++;
      }
      if (delivered >= expected && done) done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send!({ receiver: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events` });

  process.on('message', async (job: SendJob) => {
    expected = job.total;
    delivered = 0;
    verified = 0;
    badSignatures = 0;
    key = Buffer.from(job.secret.slice('whsec_'.length), 'base64');
    const allDelivered = new Promise<void>((resolve) => (done = resolve));
    const pool = new Pool(job.origin, { connections: job.concurrency, keepAliveTimeout: 60_000 });
    let issued = 0;
    let rejected = 0;
    const started = performance.now();
    const client = async () => {
      while (issued < job.total) {
        const n = issued++;
        const res = await pool.request({ path: job.path, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: n, amount: 100 + (n % 50), customer: { id: `C-${n % 997}` } }) });
        await res.body.dump();
        if (res.statusCode !== 202) rejected++;
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, client));
    const ingressMs = performance.now() - started;
    await pool.close();
    await Promise.race([allDelivered, new Promise((r) => setTimeout(r, 120_000))]);
    process.send!({ ingressMs, endToEndMs: lastAt - started, rejected, delivered, verified, badSignatures } satisfies SendResult);
  });
  process.on('disconnect', () => process.exit(0));
}

// ---- the node under test ----

async function startNode(kind: StoreKind, store: TestStore, env: Record<string, string> = {}): Promise<{ sb: Switchboard; origin: string }> {
  const port = await freePort();
  const config = loadConfig({
    SWITCHBOARD_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`, SWITCHBOARD_ALLOW_PRIVATE_TARGETS: 'true', SWITCHBOARD_WEBHOOK_RATE_LIMIT: '100000000', ...env,
  });
  // Request logging at info is what production runs; it goes to /dev/null here, but is still produced.
  const sb = await createSwitchboard(config, { logger: pino({ level: 'info' }, pino.destination('/dev/null')), db: store.db, triggers: { run: true } });
  sb.catalog.register(acmeConnector, { replace: true });
  await sb.app.listen({ port, host: '127.0.0.1' });
  void kind;
  return { sb, origin: `http://127.0.0.1:${port}` };
}

async function api(sb: Switchboard, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  const res = await sb.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(body ? { payload: body as never } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function sharedFolder(sb: Switchboard): Promise<string> {
  return (await api(sb, 'GET', '/api/v1/folders')).items.find((f: { name: string }) => f.name === 'Shared').id;
}

async function webhookBench(kind: StoreKind, world: ReturnType<typeof fork>, receiver: string): Promise<void> {
  const store = await openTestStore(kind);
  const { sb, origin } = await startNode(kind, store);
  try {
    const folderId = await sharedFolder(sb);
    const conn = await api(sb, 'POST', '/api/v1/connections', { folderId, connector: 'http-webhook', fields: { sourceName: 'Bench' } });
    const trigger = await api(sb, 'POST', '/api/v1/triggers', { connectionId: conn.id, trigger: 'webhook-received', filter: 'body.amount >= `100`', target: { type: 'webhook', url: receiver } });
    const path = new URL(trigger.webhookUrl).pathname;
    const run = async (total: number) => {
      world.send({ origin, path, total, concurrency: CONCURRENCY, secret: trigger.signingSecret } satisfies SendJob);
      return new Promise<SendResult>((resolve) => world.once('message', (m) => resolve(m as SendResult)));
    };
    await run(Math.min(2000, EVENTS)); // warm-up: JIT, pools, prepared plans
    const cpu0 = process.cpuUsage();
    const r = await run(EVENTS);
    const cpu = process.cpuUsage(cpu0);
    const perSecond = (r.delivered / r.endToEndMs) * 1000;
    console.log(
      `webhook -> signed delivery, ${kind} store: ${r.delivered}/${EVENTS} delivered, ${perSecond.toFixed(0)} events/s end to end ` +
        `(ingress alone ${((EVENTS / r.ingressMs) * 1000).toFixed(0)}/s), ${r.rejected} refused, signatures checked ${r.verified} ok / ${r.badSignatures} bad, ` +
        `node CPU ${(((cpu.user + cpu.system) / 1000) / EVENTS).toFixed(3)} ms per event${perSecond >= 2000 ? '' : '  [below the 2,000/s target]'}`,
    );
  } finally {
    await sb.close();
    await cleanup(store);
  }
}

async function pollBench(kind: StoreKind, vendor: AcmeVendor): Promise<void> {
  const store = await openTestStore(kind);
  const { sb } = await startNode(kind, store);
  try {
    const folderId = await sharedFolder(sb);
    for (let i = 0; i < POLL_CONNECTIONS; i++) {
      const conn = await api(sb, 'POST', '/api/v1/connections', { folderId, connector: 'acme-tickets', authType: 'api-key', fields: { baseUrl: vendor.baseUrl, apiKey: vendor.apiKey } });
      await api(sb, 'POST', '/api/v1/triggers', { connectionId: conn.id, trigger: 'ticket-created', target: { type: 'queue' } });
    }
    const round = async () => {
      const before = sb.triggerEngine.stats.polls;
      await sb.db.query('UPDATE trigger_polls SET next_poll_at = now()');
      const t0 = performance.now();
      await sb.triggerEngine.tick();
      while (sb.triggerEngine.stats.polls - before < POLL_CONNECTIONS) await new Promise((r) => setTimeout(r, 5));
      return performance.now() - t0;
    };
    await round(); // the first poll of each trigger (its baseline), and warm-up
    vendor.latencyMs = 0;
    const cpu0 = process.cpuUsage();
    const instantMs = await round();
    const cpu = process.cpuUsage(cpu0);
    vendor.latencyMs = VENDOR_LATENCY_MS;
    const slowMs = await round();
    vendor.latencyMs = 0;
    const instant = (POLL_CONNECTIONS / instantMs) * 1000;
    const slow = (POLL_CONNECTIONS / slowMs) * 1000;
    const concurrency = sb.triggerEngine.options.pollConcurrency;
    console.log(
      `polling, ${kind} store: ${POLL_CONNECTIONS} connections polled in ${instantMs.toFixed(0)} ms with an instant vendor (${instant.toFixed(0)} polls/s, ` +
        `${(((cpu.user + cpu.system) / 1000) / POLL_CONNECTIONS).toFixed(2)} ms CPU per poll) and in ${slowMs.toFixed(0)} ms with ${VENDOR_LATENCY_MS} ms vendor latency ` +
        `(${slow.toFixed(0)} polls/s; bound: ${concurrency} concurrent polls / ${VENDOR_LATENCY_MS} ms = ${((concurrency / VENDOR_LATENCY_MS) * 1000).toFixed(0)}/s).`,
    );
    console.log(
      `  => one node sustains about ${Math.floor(Math.min(instant, slow) * 300).toLocaleString('en')} five-minute polling triggers (one per connection; ` +
        `triggers on one connection asking the same question share its poll, so more), at ${VENDOR_LATENCY_MS} ms vendor latency and this poll concurrency ` +
        `(the latency-bound figure grows with the engine's poll concurrency; this node's CPU bounds it at ~${Math.floor(instant * 300).toLocaleString('en')}).`,
    );
  } finally {
    await sb.close();
    await cleanup(store);
  }
}

async function cleanup(store: TestStore): Promise<void> {
  const boss = store.kind === 'postgres' ? await PgBossQueue.schemaFor(store.db) : undefined;
  await store.drop();
  if (boss) await dropSchema(boss);
}

if (process.argv[2] === 'outside-world') {
  await outsideWorld();
} else {
  const world = fork(fileURLToPath(import.meta.url), ['outside-world'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { receiver } = await new Promise<{ receiver: string }>((resolve) => world.once('message', (m) => resolve(m as { receiver: string })));
  const vendor = await startAcmeVendor();
  for (let i = 0; i < 20; i++) vendor.create({ title: `Ticket ${i}` }, new Date(Date.now() - 3600_000));
  try {
    console.log(`trigger engine on one node; ${EVENTS} webhook events at concurrency ${CONCURRENCY}; ${POLL_CONNECTIONS} polled connections`);
    for (const kind of STORES) {
      await webhookBench(kind, world, receiver);
      await pollBench(kind, vendor);
    }
  } finally {
    world.disconnect();
    await vendor.close();
  }
}
