// A closed-loop load generator in its own process: `concurrency` clients on keep-alive
// connections, each sending its next request as soon as the previous answer is read, until
// `total` requests are done or `maxMs` has passed. Reports throughput and latency percentiles.
import { Pool } from 'undici';

export interface LoadJob {
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  concurrency: number;
  total: number;
  maxMs: number;
}

export interface LoadResult {
  completed: number;
  errors: number;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const pool = new Pool(job.origin, { connections: job.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies = new Float64Array(job.total);
  let issued = 0;
  let completed = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + job.maxMs;
  const client = async () => {
    while (issued < job.total && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: job.path, method: job.method, headers: job.headers, body: job.body ?? null });
        await res.body.text();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies[completed++] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  const elapsedMs = performance.now() - started;
  await pool.close();
  const sorted = latencies.slice(0, completed).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { completed, errors, elapsedMs, requestsPerSecond: (completed / elapsedMs) * 1000, p50Ms: pct(50), p99Ms: pct(99) };
}

process.on('message', (job: LoadJob) => {
  run(job).then((result) => process.send!(result));
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
