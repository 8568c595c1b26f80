// HTTP Request overhead: Switchboard's POST /api/v1/connections/{id}/http through a real
// listening server, against a minimal reverse proxy that only adds the Authorization header,
// both in front of the same loopback upstream and driven by the same closed-loop load
// generator. The upstream and the generator run in their own processes, so this process's
// event loop and RSS are the system under test only.
//
// Two measurements per target: throughput with BENCH_CONCURRENCY clients (saturation: latency
// there is mostly queueing), and latency with one client (what a call really adds). Also the
// CPU time this process spends per request, which is the fairest figure on a small machine where
// the generator and the upstream compete for the same cores.
//
// BENCH_CONCURRENCY (32), BENCH_REQUESTS (20000 per target), BENCH_LATENCY_REQUESTS (2000),
// BENCH_MAX_SECONDS (15 per run), BENCH_STORE (embedded | postgres).
import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/http/logging.ts';
import { createSwitchboard } from '../src/service.ts';
import { openTestStore } from '../test/support/stores.ts';
import type { LoadJob, LoadResult } from './support/load-generator.ts';
import { startReverseProxy } from './support/reverse-proxy.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const MAX_MS = Number(process.env.BENCH_MAX_SECONDS ?? 15) * 1000;
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 2000);
const WARMUP = Math.min(3000, Math.ceil(REQUESTS / 5));
const STORE = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'embedded';
const ADMIN_KEY = 'sb_bench-administrator-key-0123456789abcdef';
const TOKEN = 'bench-personal-access-token';

function child(file: string): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function nextMessage<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve) => proc.once('message', (m) => resolve(m as T)));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const upstreamProc = child('./support/upstream.ts');
const generator = child('./support/load-generator.ts');
const { port: upstreamPort } = await nextMessage<{ port: number }>(upstreamProc);
await nextMessage(generator);

async function load(job: Omit<LoadJob, 'concurrency' | 'total' | 'maxMs'>, concurrency: number, total: number): Promise<LoadResult> {
  generator.send({ ...job, concurrency, total, maxMs: MAX_MS } satisfies LoadJob);
  return nextMessage<LoadResult>(generator);
}

interface Measured {
  throughput: LoadResult;
  latency: LoadResult;
  cpuMicrosPerRequest: number;
  rss: number;
}

async function measure(name: string, job: Omit<LoadJob, 'concurrency' | 'total' | 'maxMs'>): Promise<Measured> {
  await load(job, CONCURRENCY, WARMUP); // JIT, connection pools, caches
  const cpu0 = process.cpuUsage();
  const throughput = await load(job, CONCURRENCY, REQUESTS);
  const cpu = process.cpuUsage(cpu0);
  const latency = await load(job, 1, LATENCY_REQUESTS);
  const rss = process.memoryUsage().rss;
  const cpuMicrosPerRequest = (cpu.user + cpu.system) / throughput.completed;
  console.log(
    `${name.padEnd(26)} ${throughput.requestsPerSecond.toFixed(0).padStart(6)} req/s (p50 ${throughput.p50Ms.toFixed(2)} ms, p99 ${throughput.p99Ms.toFixed(2)} ms at ${CONCURRENCY} clients)   ` +
      `1 client: p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms   CPU ${cpuMicrosPerRequest.toFixed(0)} µs/request   RSS ${mib(rss)}` +
      (throughput.errors + latency.errors ? `   ${throughput.errors + latency.errors} ERRORS` : ''),
  );
  if (throughput.errors + latency.errors > 0) process.exitCode = 1;
  return { throughput, latency, cpuMicrosPerRequest, rss };
}

console.log(
  `HTTP Request overhead: ${REQUESTS} requests per target with ${CONCURRENCY} keep-alive clients (after ${WARMUP} warm-up), then ${LATENCY_REQUESTS} with 1 client; ` +
    `${STORE} store, Node ${process.version}, ${availableParallelism()} CPUs`,
);

// (b) the baseline proxy
const proxy = await startReverseProxy(upstreamPort, TOKEN);
const baseline = await measure('minimal reverse proxy', { origin: `http://127.0.0.1:${proxy.port}`, path: '/items/42', method: 'GET', headers: {} });
await proxy.close();

// (a) Switchboard, with the usual info-level request log (to /dev/null)
const store = await openTestStore(STORE);
const config = loadConfig({ SWITCHBOARD_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'), PORT: '0', LOG_LEVEL: 'info' });
const sb = await createSwitchboard(config, { logger: createLogger('info', pino.destination({ dest: '/dev/null', sync: false })), db: store.db });
try {
  await sb.app.listen({ port: 0, host: '127.0.0.1' });
  const address = sb.app.server.address();
  const sbPort = typeof address === 'object' && address ? address.port : 0;
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const folders = (await sb.app.inject({ method: 'GET', url: '/api/v1/folders?kind=shared', headers: auth })).json();
  const folderId = folders.items.find((f: { name: string }) => f.name === 'Shared').id;
  const created = await sb.app.inject({
    method: 'POST', url: '/api/v1/connections', headers: auth,
    payload: { folderId, connector: 'http', authType: 'personal-access-token', fields: { baseUrl: `http://127.0.0.1:${upstreamPort}`, token: TOKEN } },
  });
  if (created.statusCode !== 201) throw new Error(`creating the bench connection failed: ${created.body}`);
  const id = created.json().id as string;
  const switchboard = await measure('Switchboard HTTP Request', {
    origin: `http://127.0.0.1:${sbPort}`,
    path: `/api/v1/connections/${id}/http`,
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'GET', path: '/items/42' }),
  });

  const ratio = switchboard.throughput.requestsPerSecond / baseline.throughput.requestsPerSecond;
  console.log(
    `Switchboard / proxy: throughput ${(ratio * 100).toFixed(0)}% (target >= 80%); added p50 with 1 client ${(switchboard.latency.p50Ms - baseline.latency.p50Ms).toFixed(2)} ms (target <= 1 ms), ` +
      `added p50 at ${CONCURRENCY} clients ${(switchboard.throughput.p50Ms - baseline.throughput.p50Ms).toFixed(2)} ms; CPU ${(switchboard.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest).toFixed(1)}x per request`,
  );
  console.log(`RSS: ${mib(baseline.rss)} with the proxy, ${mib(switchboard.rss)} with Switchboard loaded (${STORE} store)`);
} finally {
  await sb.close();
  await store.drop();
  upstreamProc.disconnect();
  generator.disconnect();
}
