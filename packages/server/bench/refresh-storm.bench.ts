// Refresh storm: many concurrent calls on a connection whose access token just expired,
// in one process and in three processes sharing PostgreSQL. Prints how many token requests
// reached the authorization server (the goal is exactly one per storm) and how long it took
// to serve every call.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connectDelegated, startWithEmulator } from '../test/support/microsoft.ts';
import { MASTER_KEY } from '../test/support/service.ts';
import { TEST_DATABASE_URL } from '../test/support/stores.ts';

const WORKER = fileURLToPath(new URL('../test/support/refresh-worker.ts', import.meta.url));
const CALLS = Number(process.env.BENCH_REFRESH_CALLS ?? 1000);

async function expire(m: Awaited<ReturnType<typeof startWithEmulator>>, id: string): Promise<void> {
  const stored = await m.s.sb.vault.get<{ tokens: Record<string, unknown> }>('connection', id);
  await m.s.sb.vault.compareAndSet('connection', id, stored!.version, { ...stored!.value, tokens: { ...stored!.value.tokens, expiresAt: new Date(Date.now() - 1000).toISOString() } });
}

const m = await startWithEmulator('postgres');
try {
  const { id } = await connectDelegated(m);

  // One process.
  await expire(m, id);
  m.em.clearRequests();
  let t0 = performance.now();
  await Promise.all(Array.from({ length: CALLS }, () => m.s.sb.tokens.token(id)));
  const oneMs = performance.now() - t0;
  const oneRequests = m.em.tokenStats().byGrantType.refresh_token ?? 0;
  console.log(`refresh storm, 1 process:   ${CALLS} calls, ${oneRequests} token request(s), all served in ${oneMs.toFixed(1)} ms`);

  // Three processes on one PostgreSQL.
  await expire(m, id);
  const workers = await Promise.all(
    [1, 2, 3].map(async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, m.s.store.schema!, TEST_DATABASE_URL, m.em.hostMap, MASTER_KEY], { stdio: ['pipe', 'pipe', 'inherit'] });
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      await lines.next();
      return { child, lines };
    }),
  );
  m.em.clearRequests();
  t0 = performance.now();
  for (const w of workers) w.child.stdin!.write(`go ${id} ${CALLS}\n`);
  const outputs = await Promise.all(workers.map(async (w) => JSON.parse((await w.lines.next()).value as string) as { tokens: string[]; errors: string[] }));
  const threeMs = performance.now() - t0;
  const threeRequests = m.em.tokenStats().byGrantType.refresh_token ?? 0;
  const errors = outputs.reduce((n, o) => n + o.errors.length, 0);
  console.log(`refresh storm, 3 processes: ${3 * CALLS} calls, ${threeRequests} token request(s), ${errors} errors, all served in ${threeMs.toFixed(1)} ms`);
  console.log(`RSS of the bench process: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await m.close();
}
