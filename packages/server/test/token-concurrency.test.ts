import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';
import { MASTER_KEY } from './support/service.ts';
import { StallingProxy } from './support/stalling-proxy.ts';
import { TEST_DATABASE_URL } from './support/stores.ts';

const WORKER = fileURLToPath(new URL('./support/refresh-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

async function result(w: Worker): Promise<{ tokens: string[]; errors: string[] }> {
  return JSON.parse((await w.lines.next()).value as string);
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

  test('a rotated refresh token survives a process killed during refresh', async () => {
    const { id } = await connectDelegated(m);
    // The login host goes through a proxy that can hold refresh requests; Graph goes straight to the emulator.
    const proxy = new StallingProxy(m.em.origins.global);
    await proxy.start();
    const hostMap = Object.entries({ ...m.em.hostMapEntries, 'login.microsoftonline.com': proxy.origin }).map(([h, o]) => `${h}=${o}`).join(',');
    try {
      // 1. Killed while its refresh is in flight: the lock dies with the process and the next one takes over.
      await expire(m, id);
      const before = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
      proxy.stallRefreshes(true);
      const doomed = await startWorker(m.s.store.schema!, hostMap);
      doomed.child.stdin!.write(`go ${id} 5\n`);
      await proxy.whenHolding();
      doomed.child.kill('SIGKILL');
      await new Promise((r) => doomed.child.once('exit', r));
      proxy.stallRefreshes(false);
      proxy.release(); // Microsoft still rotates; the answer goes nowhere.
      const unchanged = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
      assert.equal(unchanged!.version, before!.version, 'nothing half-written by the killed process');
      const next = await startWorker(m.s.store.schema!, hostMap);
      next.child.stdin!.write(`go ${id} 20\n`);
      const out = await result(next);
      assert.deepEqual(out.errors, [], 'the next process refreshes with the stored token (Microsoft keeps it valid after rotation)');
      const after = await m.s.sb.vault.get<{ tokens: { refreshToken: string; accessToken: string } }>('connection', id);
      assert.notEqual(after!.value.tokens.refreshToken, before!.value.tokens.refreshToken, 'the rotated refresh token is stored');
      assert.equal(after!.value.tokens.accessToken, out.tokens[0]);

      // 2. Killed right after its refresh was persisted: the rotated token is already in the store,
      //    and it is the one that works even when the vendor revokes rotated tokens strictly.
      m.em.setTokenSettings({ revokeRotatedRefreshTokens: true });
      await expire(m, id);
      const worker = await startWorker(m.s.store.schema!, hostMap);
      worker.child.stdin!.write(`go ${id} 1\n`);
      assert.deepEqual((await result(worker)).errors, []);
      worker.child.kill('SIGKILL');
      const persisted = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
      const fresh = await m.s.sb.tokens.token(id, { force: true });
      assert.ok(fresh?.accessToken, 'the persisted rotated refresh token is accepted under strict rotation');
      const last = await m.s.sb.vault.get<{ tokens: { refreshToken: string } }>('connection', id);
      assert.notEqual(last!.value.tokens.refreshToken, persisted!.value.tokens.refreshToken);
      assert.equal((await m.s.api('GET', `/api/v1/connections/${id}`)).json().status, 'Connected');
    } finally {
      m.em.setTokenSettings({ revokeRotatedRefreshTokens: false });
      await proxy.close();
    }
  });
});
