import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../src/http/logging.ts';
import { Problem } from '../src/problems/problem.ts';
import type { Database, Queryable } from '../src/store/database.ts';
import { QuotaGuard } from '../src/usage/quota.ts';
import type { VendorCallRecord } from '../src/usage/recorder.ts';
import { UsageRecorder } from '../src/usage/usage-recorder.ts';
import { LogCapture, type TestService, startTestService } from './support/service.ts';
import { STORE_KINDS, type TestStore, openTestStore } from './support/stores.ts';

// The usage ledger, the usage report and the monthly quota, on both stores. Nothing waits for
// a timer: every test flushes the recorder itself.

const DAY_MS = 86_400_000;

function call(overrides: Partial<VendorCallRecord> = {}): VendorCallRecord {
  return {
    at: new Date(),
    requestId: randomUUID(),
    tenantId: randomUUID(),
    folderId: randomUUID(),
    connectionId: randomUUID(),
    connector: 'microsoft-365',
    kind: 'activity',
    operation: 'send-email',
    method: 'POST',
    redactedUrl: '/v1.0/me/sendMail',
    status: 202,
    errorCode: null,
    durationMs: 120,
    requestBytes: 300,
    responseBytes: 0,
    attempts: 1,
    billable: true,
    ...overrides,
  };
}

/** The store, with a count of the statements that reach it and a switch that makes writes fail. */
function instrumented(db: Database) {
  const state = { failing: false, statements: [] as string[] };
  const wrap = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      state.statements.push(sql);
      if (state.failing && /^\s*INSERT/i.test(sql)) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      return q.query<T>(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  const wrapped: Database = {
    ...wrap(db),
    kind: db.kind,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    withLock: (name, fn) => db.withLock(name, fn),
    close: () => db.close(),
  };
  return { db: wrapped, state, inserts: (table: string) => state.statements.filter((s) => s.startsWith(`INSERT INTO ${table} `)).length };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

for (const kind of STORE_KINDS) {
  describe(`usage ledger (${kind} store)`, () => {
    let store: TestStore;
    before(async () => {
      store = await openTestStore(kind);
    });
    after(() => store.drop());

    function recorder(db: Database, options: { batchSize?: number; maxBuffered?: number } = {}) {
      const logs = new LogCapture();
      const quota = new QuotaGuard(db, { defaultLimit: null });
      const r = new UsageRecorder(db, quota, { wantsBodies: () => false }, { logger: createLogger('info', logs), ...options });
      return { r, logs };
    }

    const countRows = async (sql: string, params: unknown[]) => (await store.db.query<{ n: number }>(sql, params))[0]!.n;

    test('many record() calls become a few multi-row INSERTs, and every call is stored', async () => {
      const io = instrumented(store.db);
      const { r } = recorder(io.db, { batchSize: 500 });
      const tenantId = randomUUID();
      for (let i = 0; i < 1200; i++) r.record(call({ tenantId, operation: `op-${i % 7}` }));
      const result = await r.flush();
      assert.deepEqual(result, { ok: true, written: 1200, buffered: 0 });
      assert.equal(io.inserts('usage_events'), 3, '500 + 500 + 200 rows');
      assert.equal(io.inserts('request_logs'), 3);
      assert.equal(await countRows('SELECT count(*)::int AS n FROM usage_events WHERE tenant_id = $1', [tenantId]), 1200);
      assert.equal(await countRows('SELECT count(*)::int AS n FROM request_logs WHERE tenant_id = $1', [tenantId]), 1200);
      // Nothing left: a second flush writes nothing.
      assert.deepEqual(await r.flush(), { ok: true, written: 0, buffered: 0 });
      await r.close();
    });

    test('a failing store never throws into record(); the rows wait and are written once it recovers', async () => {
      const io = instrumented(store.db);
      const { r, logs } = recorder(io.db);
      const tenantId = randomUUID();
      io.state.failing = true;
      assert.doesNotThrow(() => {
        for (let i = 0; i < 20; i++) r.record(call({ tenantId }));
        // Garbage from a buggy caller is refused, not thrown.
        r.record(call({ tenantId: 'not-a-uuid' }));
        r.record({} as VendorCallRecord);
        r.record(call({ tenantId, durationMs: Number.NaN, requestBytes: -5, status: 99999, at: new Date('nope'), operation: 'a\u0000b' }));
      });
      const failed = await r.flush();
      assert.equal(failed.ok, false);
      assert.equal(failed.buffered, 21);
      assert.equal(await countRows('SELECT count(*)::int AS n FROM usage_events WHERE tenant_id = $1', [tenantId]), 0);
      assert.ok(logs.records().some((l) => String(l.msg).includes('could not write the usage ledger')), 'the failure is logged');

      io.state.failing = false;
      const ok = await r.flush();
      assert.deepEqual(ok, { ok: true, written: 21, buffered: 0 });
      assert.equal(await countRows('SELECT count(*)::int AS n FROM usage_events WHERE tenant_id = $1', [tenantId]), 21);
      const [odd] = await store.db.query<{ duration_ms: number; request_bytes: number; status: number | null; operation: string }>(
        "SELECT duration_ms, request_bytes, status, operation FROM usage_events WHERE tenant_id = $1 AND operation LIKE 'a%b'", [tenantId]);
      assert.deepEqual({ ...odd, duration_ms: Number(odd!.duration_ms), request_bytes: Number(odd!.request_bytes) }, { duration_ms: 0, request_bytes: 0, status: null, operation: 'a\uFFFDb' });
      await r.close();
    });

    test('when the buffer is full, calls are summed: request log entries are dropped but billing stays exact', async () => {
      const io = instrumented(store.db);
      const { r, logs } = recorder(io.db, { maxBuffered: 5 });
      const tenantId = randomUUID();
      const connectionId = randomUUID();
      const folderId = randomUUID();
      io.state.failing = true;
      for (let i = 0; i < 12; i++) r.record(call({ tenantId, folderId, connectionId, durationMs: 10 }));
      r.record(call({ tenantId, folderId, connectionId, status: 500, errorCode: 'VENDOR_ERROR' }));
      assert.equal((await r.flush()).ok, false);
      assert.equal(r.pendingUnits(tenantId), 12, 'the quota still sees every billable call');
      assert.ok(logs.records().some((l) => String(l.msg).includes('buffer full')), 'the overflow is announced');

      io.state.failing = false;
      assert.deepEqual(await r.flush(), { ok: true, written: 13, buffered: 0 });
      const [sums] = await store.db.query<{ calls: number; billable: number; errors: number; duration: number }>(
        `SELECT sum(calls)::int AS calls, sum(billable_units)::int AS billable, coalesce(sum(calls) FILTER (WHERE NOT ok), 0)::int AS errors,
                sum(duration_ms)::int AS duration FROM usage_events WHERE tenant_id = $1`, [tenantId]);
      assert.deepEqual(sums, { calls: 13, billable: 12, errors: 1, duration: 12 * 10 + 120 });
      assert.equal(await countRows('SELECT count(*)::int AS n FROM request_logs WHERE tenant_id = $1', [tenantId]), 5, 'only the buffered calls have log entries');
      assert.ok(logs.records().some((l) => String(l.msg).includes('written again') && l.droppedLogEntries === 8));
      await r.close();
    });
  });

  describe(`usage report, billable rules and quotas (${kind} store)`, () => {
    let s: TestService;
    let tenantId: string;
    const ids: Record<string, string> = {};
    const keys: Record<string, string> = {};
    const now = Date.now();
    const d1 = now - 3 * DAY_MS;
    const d2 = now - 2 * DAY_MS;
    const range = `from=${day(now - 10 * DAY_MS)}&to=${day(now)}`;

    async function createUser(name: string): Promise<void> {
      const u = await s.api('POST', '/api/v1/users', { body: { email: `${name}@example.com`, displayName: name } });
      assert.equal(u.statusCode, 201, u.body);
      ids[name] = u.json().id;
      const k = await s.api('POST', `/api/v1/users/${ids[name]}/api-keys`, { body: { name: 'test' } });
      keys[name] = k.json().key;
    }

    before(async () => {
      s = await startTestService(kind, { SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA: '5' });
      tenantId = s.sb.bootstrap!.tenantId;
      for (const name of ['Sales', 'Support']) {
        const f = await s.api('POST', '/api/v1/folders', { body: { name } });
        assert.equal(f.statusCode, 201, f.body);
        ids[name] = f.json().id;
      }
      await createUser('vera');
      await createUser('olaf');
      const member = await s.api('PUT', `/api/v1/folders/${ids.Sales}/members/${ids.vera}`, { body: { role: 'Viewer' } });
      assert.equal(member.statusCode, 200, member.body);

      const sales = { tenantId, folderId: ids.Sales!, connector: 'microsoft-365' };
      const support = { tenantId, folderId: ids.Support!, connector: 'http', kind: 'http-request' as const, operation: 'http-request' };
      // Sales, day 1: three successful activities (billable), one vendor failure (not billable).
      for (const ms of [100, 200, 300]) s.sb.recorder.record(call({ ...sales, at: new Date(d1), durationMs: ms }));
      s.sb.recorder.record(call({ ...sales, at: new Date(d1), status: 503, errorCode: 'VENDOR_UNAVAILABLE', durationMs: 400 }));
      // Sales, day 2: a trigger poll that found nothing, and one that started two automations.
      s.sb.recorder.record(call({ ...sales, at: new Date(d2), kind: 'trigger', operation: 'email-received', method: 'GET', billable: false }));
      s.sb.recorder.record(call({ ...sales, at: new Date(d2), kind: 'trigger', operation: 'email-received', method: 'GET', units: 2 }));
      // Sales, day 2: Check connection claims to be billable; it never is.
      s.sb.recorder.record(call({ ...sales, at: new Date(d2), kind: 'identity', operation: 'identity', method: 'GET' }));
      // Support, day 2: an HTTP Request that answered 404 (not billable) and one that worked.
      s.sb.recorder.record(call({ ...support, at: new Date(d2), status: 404, requestBytes: 10, responseBytes: 50 }));
      s.sb.recorder.record(call({ ...support, at: new Date(d2), status: 200, requestBytes: 10, responseBytes: 70 }));
      // Forty days ago: outside the default range.
      s.sb.recorder.record(call({ ...sales, at: new Date(now - 40 * DAY_MS) }));
      assert.equal((await s.sb.recorder.flush()).ok, true);
    });
    after(() => s.close());

    test('billable as UiPath counts it: successes and trigger starts; not failures, empty polls or identity checks', async () => {
      const res = await s.api('GET', `/api/v1/usage?${range}&groupBy=kind`);
      assert.equal(res.statusCode, 200, res.body);
      const byKind = Object.fromEntries(res.json().items.map((i: { kind: string; calls: number; billable: number; errors: number }) => [i.kind, { calls: i.calls, billable: i.billable, errors: i.errors }]));
      assert.deepEqual(byKind, {
        activity: { calls: 4, billable: 3, errors: 1 },
        'http-request': { calls: 2, billable: 1, errors: 1 },
        identity: { calls: 1, billable: 0, errors: 0 },
        trigger: { calls: 2, billable: 2, errors: 0 },
      });
      assert.equal(res.json().totals.billable, 6);
      assert.equal(res.json().totals.calls, 9);
    });

    test('aggregates by day, connector and folder, with bytes and durations', async () => {
      const res = await s.api('GET', `/api/v1/usage?${range}&groupBy=day,connector,folder`);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(body.groupBy, ['day', 'connector', 'folder']);
      const rows = body.items.map((i: Record<string, unknown>) => [i.day, i.connector, i.folderId, i.calls, i.billable]);
      assert.deepEqual(rows, [
        [day(d1), 'microsoft-365', ids.Sales, 4, 3],
        [day(d2), 'http', ids.Support, 2, 1],
        [day(d2), 'microsoft-365', ids.Sales, 3, 2],
      ]);
      const salesDay1 = body.items[0];
      assert.equal(salesDay1.p50DurationMs, 250);
      assert.equal(salesDay1.avgDurationMs, 250);
      assert.ok(salesDay1.p95DurationMs > 350 && salesDay1.p95DurationMs <= 400);
      assert.equal(body.items[1].responseBytes, 120);

      const support = await s.api('GET', `/api/v1/usage?${range}&connector=http&groupBy=`);
      assert.deepEqual(support.json().items, [], 'an empty groupBy gives totals only');
      assert.equal(support.json().totals.calls, 2);
    });

    test('the default range is the last 30 days', async () => {
      const res = await s.api('GET', '/api/v1/usage?groupBy=');
      assert.equal(res.json().to, day(Date.now()));
      assert.equal(res.json().totals.calls, 9, 'the call of forty days ago is not counted');
      const old = await s.api('GET', `/api/v1/usage?from=${day(now - 45 * DAY_MS)}&to=${day(now - 35 * DAY_MS)}&groupBy=`);
      assert.equal(old.json().totals.calls, 1);
    });

    test('people see the usage of their folders only', async () => {
      const vera = await s.api('GET', `/api/v1/usage?${range}&groupBy=folder`, { key: keys.vera });
      assert.equal(vera.statusCode, 200, vera.body);
      assert.deepEqual(vera.json().items.map((i: { folderId: string }) => i.folderId), [ids.Sales]);
      assert.equal(vera.json().totals.calls, 7);
      const olaf = await s.api('GET', `/api/v1/usage?${range}`, { key: keys.olaf });
      assert.equal(olaf.json().totals.calls, 0);
      assert.deepEqual(olaf.json().items, []);
      const probing = await s.api('GET', `/api/v1/usage?${range}&folderId=${ids.Support}`, { key: keys.vera });
      assert.equal(probing.statusCode, 404, 'a folder you cannot see does not exist');
      const own = await s.api('GET', `/api/v1/usage?${range}&folderId=${ids.Sales}&groupBy=`, { key: keys.vera });
      assert.equal(own.json().totals.calls, 7);
    });

    test('the query is validated', async () => {
      for (const q of ['groupBy=week', `from=${day(now)}&to=${day(now - DAY_MS)}`, 'from=2026-02-30', 'from=2020-01-01&to=2026-01-01', 'folderId=x']) {
        const res = await s.api('GET', `/api/v1/usage?${q}`);
        assert.equal(res.statusCode, 400, q);
        assert.equal(res.json().code, 'VALIDATION_FAILED');
      }
    });

    test('the monthly quota is enforced before the call, counted from the ledger and in memory', async () => {
      // This month so far: the six billable activities above, if they fall in this month.
      const status = (await s.api('GET', '/api/v1/usage/quota')).json();
      assert.equal(status.monthlyActivityQuota, 5);
      assert.equal(status.source, 'default');
      const usedBefore = status.used;
      const [stored] = await s.sb.db.query<{ n: number }>('SELECT coalesce(sum(billable_units), 0)::int AS n FROM usage_events WHERE tenant_id = $1 AND at >= $2', [tenantId, new Date(status.periodStart)]);
      assert.equal(usedBefore, stored!.n);

      // Start from a known point: give the tenant room for exactly two more activities.
      const put = await s.api('PUT', '/api/v1/usage/quota', { body: { monthlyActivityQuota: usedBefore + 2 } });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual([put.json().source, put.json().remaining], ['tenant', 2]);

      const guard = s.sb.quotaGuard;
      await guard.check(tenantId);
      s.sb.recorder.record(call({ tenantId, folderId: ids.Sales }));
      // Failures and empty polls use nothing.
      s.sb.recorder.record(call({ tenantId, folderId: ids.Sales, status: 401, errorCode: 'VENDOR_UNAUTHORIZED' }));
      s.sb.recorder.record(call({ tenantId, folderId: ids.Sales, kind: 'trigger', billable: false }));
      await guard.check(tenantId);
      s.sb.recorder.record(call({ tenantId, folderId: ids.Sales }));
      // Not flushed yet: the in-memory counter already says no.
      const refused = await guard.check(tenantId).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof Problem, 'over quota');
      assert.equal(refused.code, 'QUOTA_EXCEEDED');
      assert.equal(refused.status, 429);
      assert.equal(refused.extensions.quota, usedBefore + 2);
      assert.equal(refused.extensions.used, usedBefore + 2);
      assert.equal(refused.extensions.resetsAt, status.resetsAt);

      // The vendor client's hook: activities are refused, Check connection still works.
      await assert.rejects(s.sb.recorder.beforeCall({ tenantId, kind: 'http-request' }), { code: 'QUOTA_EXCEEDED' });
      await s.sb.recorder.beforeCall({ tenantId, kind: 'identity' });

      // Another instance (a fresh guard) reads the same from the store once it is written.
      await s.sb.recorder.flush();
      const other = new QuotaGuard(s.sb.db, { defaultLimit: null });
      await assert.rejects(other.check(tenantId), { code: 'QUOTA_EXCEEDED' });
      // Another tenant is not affected.
      await other.check(randomUUID());
    });

    test('tenant administrators set, lift and reset the quota; others cannot', async () => {
      const denied = await s.api('PUT', '/api/v1/usage/quota', { key: keys.vera, body: { monthlyActivityQuota: 1_000_000 } });
      assert.equal(denied.statusCode, 403);
      assert.equal((await s.api('DELETE', '/api/v1/usage/quota', { key: keys.vera })).statusCode, 403);
      assert.equal((await s.api('PUT', '/api/v1/usage/quota', { body: { monthlyActivityQuota: -1 } })).statusCode, 400);

      const raised = await s.api('PUT', '/api/v1/usage/quota', { body: { monthlyActivityQuota: 1000 } });
      assert.equal(raised.json().monthlyActivityQuota, 1000);
      await s.sb.quotaGuard.check(tenantId);

      const unlimited = await s.api('PUT', '/api/v1/usage/quota', { body: { monthlyActivityQuota: null } });
      assert.deepEqual([unlimited.json().monthlyActivityQuota, unlimited.json().remaining, unlimited.json().source], [null, null, 'tenant']);
      await s.sb.quotaGuard.check(tenantId);

      const reset = await s.api('DELETE', '/api/v1/usage/quota');
      assert.equal(reset.statusCode, 200, reset.body);
      assert.deepEqual([reset.json().monthlyActivityQuota, reset.json().source], [5, 'default']);
      // At least the two activities of the previous test are this month's: 5 is used up again.
      if (reset.json().used >= 5) await assert.rejects(s.sb.quotaGuard.check(tenantId), { code: 'QUOTA_EXCEEDED' });
      // Anyone in the tenant may read it (so they know why calls are refused).
      assert.equal((await s.api('GET', '/api/v1/usage/quota', { key: keys.olaf })).statusCode, 200);
    });

    test('last month does not count against this month', async () => {
      const guard = new QuotaGuard(s.sb.db, { defaultLimit: 1 });
      const fresh = randomUUID();
      const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
      s.sb.recorder.record(call({ tenantId: fresh, at: new Date(monthStart.getTime() - 1000), units: 50 }));
      await s.sb.recorder.flush();
      await guard.check(fresh);
    });

    test('QUOTA_EXCEEDED is in the error catalog with its meaning and fix', async () => {
      const res = await s.api('GET', '/api/v1/errors');
      assert.equal(res.statusCode, 200);
      const entry = res.json().items.find((e: { code: string }) => e.code === 'QUOTA_EXCEEDED');
      assert.equal(entry.status, 429);
      assert.match(entry.fix, /PUT \/api\/v1\/usage\/quota/);
    });

    test('the usage routes are documented', async () => {
      const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
      for (const path of ['/api/v1/usage', '/api/v1/usage/quota']) assert.ok(doc.paths[path], path);
      assert.ok(doc.paths['/api/v1/usage/quota'].put);
    });
  });
}
