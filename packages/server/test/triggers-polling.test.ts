import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AcmeVendor, startAcmeVendor } from './support/acme-vendor.ts';
import { STORE_KINDS } from './support/stores.ts';
import { ManualClock, type TriggerService, acmeConnection, sharedFolder, startTriggerService, waitFor } from './support/triggers.ts';

// Polling against a fake vendor with durable cursors: new records fire once, unchanged ones never
// again, updates fire Updated, deletions reported by a delta feed fire Deleted; first-run
// behaviour is explicit; cursors survive a restart; failures are counted and end in self-disable.
// The engine's clock is moved by hand, so "the next poll" is "five minutes later".

const FIVE_MINUTES = 5 * 60_000;

for (const kind of STORE_KINDS) {
  describe(`polling triggers (${kind} store)`, () => {
    let s: TriggerService;
    let vendor: AcmeVendor;
    let clock: ManualClock;
    let shared: string;
    let connectionId: string;

    async function trigger(body: Record<string, unknown>, conn = connectionId): Promise<string> {
      const res = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn, target: { type: 'queue' }, ...body } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    }

    async function lastFinished(conn: string): Promise<number> {
      const [row] = await s.sb.db.query<{ last_finished_at: Date | null }>('SELECT last_finished_at FROM trigger_polls WHERE connection_id = $1', [conn]);
      return row?.last_finished_at?.getTime() ?? 0;
    }

    /** The connection's next poll: five minutes later, then wait for it to finish. */
    async function poll(conn = connectionId): Promise<void> {
      const before = await lastFinished(conn);
      clock.advance(FIVE_MINUTES + 1000);
      await s.sb.triggerEngine.tick();
      await waitFor('the poll', async () => (await lastFinished(conn)) > before);
    }

    /** A trigger's first poll (due at once on creation). */
    async function firstPoll(id: string): Promise<void> {
      await waitFor('the first poll', async () => (await s.api('GET', `/api/v1/triggers/${id}`)).json().health.polls > 0);
    }

    async function events(id: string, state?: string): Promise<Array<{ event: string; objectId: string; payload: { record: Record<string, unknown> } }>> {
      const res = await s.api('GET', `/api/v1/triggers/${id}/events${state ? `?state=${state}` : ''}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items;
    }

    before(async () => {
      vendor = await startAcmeVendor();
      clock = new ManualClock();
      s = await startTriggerService(kind, { clock });
      shared = await sharedFolder(s);
      connectionId = await acmeConnection(s, vendor, shared);
    });
    after(async () => {
      await s.close();
      await vendor.close();
    });

    test('a new record fires once, an unchanged one never again, an update fires Updated', async () => {
      vendor.create({ title: 'Old ticket' }, new Date(clock.now().getTime() - 3600_000));
      const created = await trigger({ trigger: 'ticket-created' });
      const updated = await trigger({ trigger: 'ticket-updated' });
      await firstPoll(created);
      await firstPoll(updated);
      assert.equal((await events(created)).length, 0, 'start from now: what existed before does not fire');

      const t1 = vendor.create({ title: 'Printer on fire' }, clock.now());
      await poll();
      const fired = await events(created);
      assert.equal(fired.length, 1);
      assert.equal(fired[0]!.event, 'created');
      assert.equal(fired[0]!.objectId, t1.id);
      assert.equal(fired[0]!.payload.record.title, 'Printer on fire');
      assert.equal((await events(updated)).length, 0, 'a new record is not an update');

      const calls = vendor.count('/tickets');
      await poll();
      await poll();
      assert.equal((await events(created)).length, 1, 'unchanged: nothing fires again (the overlap brings it back, the boundary recognises it)');
      assert.equal(vendor.count('/tickets') - calls, 2, 'one fetch per poll serves both triggers (same question, same cursor)');

      clock.advance(1000);
      vendor.update(t1.id, { status: 'closed' }, clock.now());
      await poll();
      const changes = await events(updated);
      assert.equal(changes.length, 1);
      assert.equal(changes[0]!.event, 'updated');
      assert.equal(changes[0]!.payload.record.status, 'closed');
      assert.equal((await events(created)).length, 1);
      await poll();
      assert.equal((await events(updated)).length, 1, 'the same version never fires twice');
    });

    test('filters run before anything is stored', async () => {
      const urgent = await trigger({ trigger: 'ticket-created', filter: { all: [{ field: 'priority', op: 'ge', value: 4 }] } });
      await firstPoll(urgent);
      clock.advance(1000);
      vendor.create({ title: 'Minor', priority: 1 }, clock.now());
      const big = vendor.create({ title: 'Major', priority: 5 }, clock.now());
      await poll();
      const fired = await events(urgent);
      assert.deepEqual(fired.map((e) => e.objectId), [big.id]);
    });

    test("the connection's polling interval decides when all its triggers are polled again", async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const a = await trigger({ trigger: 'ticket-created' }, conn);
      const b = await trigger({ trigger: 'ticket-updated', filter: "status == 'closed'" }, conn);
      await firstPoll(a);
      await firstPoll(b);
      // Claims are counted where the ticker makes them; a poll claimed earlier may still be
      // running, so what each later poll did is read from the clock time it wrote (the clock
      // only moves when this test moves it).
      const schedule = async () => (await s.sb.db.query<{ polls: number; next_poll_at: Date }>('SELECT polls, next_poll_at FROM trigger_polls WHERE connection_id = $1', [conn]))[0]!;
      const polledAt = async () => Promise.all([a, b].map(async (id) => Date.parse((await s.api('GET', `/api/v1/triggers/${id}`)).json().health.lastPolledAt)));
      // Creating b made the connection due at once again: wait for that claim (then the next is 5 minutes out).
      await waitFor('the schedule settled', async () => (await schedule()).next_poll_at.getTime() > clock.now().getTime() || undefined);
      const claimed = Number((await schedule()).polls);

      clock.advance(61_000);
      await s.sb.triggerEngine.tick();
      assert.equal(Number((await schedule()).polls), claimed, 'the default interval is 5 minutes: not due after one');

      const patched = await s.api('PATCH', `/api/v1/connections/${conn}`, { body: { pollingIntervalMinutes: 1 } });
      assert.equal(patched.statusCode, 200, patched.body);
      clock.advance(4 * 60_000);
      await s.sb.triggerEngine.tick();
      await waitFor('due at the 5-minute mark', async () => Number((await schedule()).polls) === claimed + 1 || undefined);
      const fiveMinutes = clock.now().getTime();
      await waitFor('that one poll evaluated both triggers', async () => (await polledAt()).every((t) => t === fiveMinutes) || undefined);

      clock.advance(61_000);
      await s.sb.triggerEngine.tick();
      await waitFor('with a 1-minute interval, due one minute later', async () => Number((await schedule()).polls) === claimed + 2 || undefined);
      const sixMinutes = clock.now().getTime();
      await waitFor('that one poll evaluated both triggers', async () => (await polledAt()).every((t) => t === sixMinutes) || undefined);
      assert.equal(Number((await schedule()).polls), claimed + 2, 'one poll of the connection for both triggers each time');
    });

    test('deletions come from the delta feed; backfill fires the newest n on the first poll, now fires none', async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const deleted = await trigger({ trigger: 'ticket-deleted' }, conn);
      const changes = await trigger({ trigger: 'ticket-changes', startFrom: { backfill: 2 } }, conn);
      await firstPoll(deleted);
      await firstPoll(changes);
      assert.equal((await events(deleted)).length, 0, 'the initial delta round is not a change');
      const backfilled = await events(changes);
      assert.equal(backfilled.length, 2, 'backfill 2: the newest two existing tickets');
      const newest = [...vendor.tickets.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 2).map((t) => t.id).sort();
      assert.deepEqual(backfilled.map((e) => e.objectId).sort(), newest);
      assert.ok(backfilled.every((e) => e.event === 'ticket-changed'));
      assert.ok(vendor.calls.some((c) => c.path === '/tickets/delta' && c.query.page === '1'), 'the initial round was read page by page');

      const victim = [...vendor.tickets.keys()][0]!;
      vendor.remove(victim);
      await poll(conn);
      const gone = await events(deleted);
      assert.equal(gone.length, 1);
      assert.equal(gone[0]!.event, 'deleted');
      assert.equal(gone[0]!.objectId, victim);
      assert.equal((await events(changes)).length, 2, 'ticket-changed fires on new and changed records, not removals');

      clock.advance(1000);
      const fresh = vendor.create({ title: 'After the delta' }, clock.now());
      await poll(conn);
      assert.deepEqual((await events(changes)).map((e) => e.objectId).filter((id) => id === fresh.id), [fresh.id]);
      await poll(conn);
      assert.equal((await events(changes)).length, 3, 'a delta link is a durable position: nothing repeats');

      // An expired delta position restarts from now and says so.
      await s.sb.db.query(`UPDATE triggers SET cursor = jsonb_set(cursor, '{deltaLink}', to_jsonb($2::text)) WHERE id = $1`, [deleted, `${vendor.baseUrl}/tickets/delta?token=expired`]);
      await poll(conn);
      const notices = (await s.api('GET', `/api/v1/triggers/${deleted}/notices`)).json().items;
      assert.ok(notices.some((n: { type: string }) => n.type === 'cursor.reset'), JSON.stringify(notices));
      assert.equal((await s.api('GET', `/api/v1/triggers/${deleted}`)).json().status, 'Enabled');
    });

    test('the cursor is durable: a restarted service continues where it stopped', async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const id = await trigger({ trigger: 'ticket-created' }, conn);
      await firstPoll(id);
      clock.advance(1000);
      const before = vendor.create({ title: 'Before the restart' }, clock.now());
      await poll(conn);
      assert.equal((await events(id)).length, 1);

      await s.close({ keepStore: true });
      s = await startTriggerService(kind, { clock, store: s.store, ownsStore: true });
      clock.advance(1000);
      const afterRestart = vendor.create({ title: 'After the restart' }, clock.now());
      await poll(conn);
      const fired = (await events(id)).map((e) => e.objectId).sort();
      assert.deepEqual(fired, [before.id, afterRestart.id].sort(), 'nothing fired twice, nothing was missed');
    });

    test('failures are counted; 10 in a row with no success for 24 hours disable the trigger', async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const id = await trigger({ trigger: 'ticket-created' }, conn);
      await firstPoll(id);
      vendor.failNext(1000, 503);
      for (let i = 0; i < 10; i++) await poll(conn);
      let t = (await s.api('GET', `/api/v1/triggers/${id}`)).json();
      assert.equal(t.health.consecutiveFailures, 10);
      assert.equal(t.status, 'Enabled', '10 failures within 24 hours of a success are not enough');
      assert.match(t.health.lastError, /503.*maintenance/);

      clock.advance(24 * 3600_000);
      await poll(conn);
      t = (await s.api('GET', `/api/v1/triggers/${id}`)).json();
      assert.equal(t.status, 'Disabled');
      assert.equal(t.disabledReason, 'too_many_failures');
      assert.equal(t.health.totalFailures, 11);
      assert.match(t.statusMessage, /11 failures in a row/);
      const notices = (await s.api('GET', `/api/v1/triggers/${id}/notices`)).json().items;
      assert.equal(notices[0].type, 'trigger.disabled');

      // Fixed and enabled again: it polls and the streak starts over.
      vendor.failNext(0);
      const on = await s.api('PATCH', `/api/v1/triggers/${id}`, { body: { enabled: true } });
      assert.equal(on.json().status, 'Enabled');
      await poll(conn);
      t = (await s.api('GET', `/api/v1/triggers/${id}`)).json();
      assert.equal(t.health.consecutiveFailures, 0);
      assert.equal(t.health.lastError, null);
    });

    test('a poll that found nothing is not billable; one that stored n events counts n', async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const id = await trigger({ trigger: 'ticket-created' }, conn);
      await firstPoll(id);
      await poll(conn);
      clock.advance(1000);
      vendor.create({ title: 'One' }, clock.now());
      vendor.create({ title: 'Two' }, clock.now());
      await poll(conn);
      await s.sb.recorder.flush();
      // The engine's own records (status null: a trigger start, not an HTTP call).
      const rows = await s.sb.db.query<{ billable_units: number; calls: number }>(
        `SELECT billable_units, calls FROM usage_events WHERE connection_id = $1 AND kind = 'trigger' AND status IS NULL ORDER BY at`,
        [conn],
      );
      assert.deepEqual(rows.map((r) => r.billable_units), [0, 0, 2]);
      // The polls' HTTP calls themselves are recorded but never billed: starts are what counts.
      const [total] = await s.sb.db.query<{ units: number }>(`SELECT coalesce(sum(billable_units), 0)::int AS units FROM usage_events WHERE connection_id = $1`, [conn]);
      assert.equal(total!.units, 2);
    });

    test('test: a sample from the vendor without side effects', async () => {
      const conn = await acmeConnection(s, vendor, shared);
      const id = await trigger({ trigger: 'ticket-created', filter: "status == 'open'" }, conn);
      await firstPoll(id);
      clock.advance(1000);
      vendor.create({ title: 'Closed at once', status: 'closed' }, clock.now());
      const cursorBefore = (await s.sb.db.query<{ cursor: unknown; cursor_version: number }>('SELECT cursor, cursor_version FROM triggers WHERE id = $1', [id]))[0];
      const res = await s.api('POST', `/api/v1/triggers/${id}/test`, { body: { limit: 3 } });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.items.length, 3);
      assert.equal(body.filter, "status == 'open'");
      assert.ok(body.items.some((i: { matchesFilter: boolean }) => !i.matchesFilter), 'closed tickets are shown as not matching');
      assert.ok(body.items.every((i: { event: { connector: string } }) => i.event.connector === 'acme-tickets'));
      const cursorAfter = (await s.sb.db.query<{ cursor: unknown; cursor_version: number }>('SELECT cursor, cursor_version FROM triggers WHERE id = $1', [id]))[0];
      assert.deepEqual(cursorAfter, cursorBefore, 'the cursor did not move');
      assert.equal((await events(id)).length, 0, 'nothing was stored');
    });
  });
}
