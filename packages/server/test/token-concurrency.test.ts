import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';
import { MASTER_KEY } from './support/service.ts';
import { TEST_DATABASE_URL } from './support/stores.ts';

const WORKER = fileURLToPath(new URL('./support/refresh-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

async function startWorker(schema: string, hostMap: string): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, schema, TEST_DATABASE_URL, hostMap, MASTER_KEY], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  assert.equal(first.value, 'ready');
  return { child, lines };
}

async function expire(m: MicrosoftSetup, id: string): Promise<void> {
  const stored = await m.s.sb.vault.get<{ tokens: Record<string, unknown> }>('connection', id);
  await m.s.sb.vault.compareAndSet('connection', id, stored!.version, { ...stored!.value, tokens: { ...stored!.value.tokens, expiresAt: new Date(Date.now() - 1000).toISOString() } });
}

describe('token renewal across processes sharing PostgreSQL', () => {
  let m: MicrosoftSetup;
  before(async () => {
    m = await startWithEmulator('postgres');
  });
  after(() => m.close());

  test('3 processes x 200 concurrent calls on an expired token: exactly one token request', async () => {
    const { id } = await connectDelegated(m);
    await expire(m, id);
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(m.s.store.schema!, m.em.hostMap)));
    m.em.clearRequests();
    for (const w of workers) w.child.stdin!.write(`go ${id} 200\n`);
    const outputs = await Promise.all(workers.map(async (w) => JSON.parse((await w.lines.next()).value as string) as { tokens: string[]; errors: string[] }));
    await Promise.all(workers.map((w) => new Promise((r) => w.child.once('exit', r))));
    assert.equal(m.em.tokenStats().byGrantType.refresh_token, 1, 'one refresh for 600 calls in 3 processes');
    for (const o of outputs) assert.deepEqual(o.errors, []);
    const all = new Set(outputs.flatMap((o) => o.tokens));
    assert.equal(all.size, 1, 'every call in every process got the same new access token');
    const stored = await m.s.sb.vault.get<{ tokens: { accessToken: string } }>('connection', id);
    assert.equal(stored!.value.tokens.accessToken, [...all][0]);
  });
});
