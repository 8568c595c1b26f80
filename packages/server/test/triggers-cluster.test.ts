import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../src/store/open.ts';
import { PgBossQueue } from '../src/triggers/jobs/pg-boss.ts';
import { type AcmeVendor, startAcmeVendor } from './support/acme-vendor.ts';
import { MASTER_KEY } from './support/service.ts';
import { TEST_DATABASE_URL, type TestStore, openTestStore } from './support/stores.ts';
import { type Receiver, type TriggerService, acmeConnection, dropSchema, sharedFolder, startReceiver, startTriggerService, waitFor } from './support/triggers.ts';

// Several instances on one PostgreSQL: they share the polling work without polling anything
// twice, and a worker killed in the middle of a delivery loses no event (another instance
// delivers it once the dead worker's lease ends). Only PostgreSQL hosts several instances.

/** Another instance on the same schema, with a pool of its own. */
async function join(store: TestStore): Promise<TestStore> {
  const db = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: store.schema });
  return { db, kind: 'postgres', schema: store.schema!, drop: () => db.close() };
}

describe('several instances on PostgreSQL', () => {
  let store: TestStore;
  let vendor: AcmeVendor;
  let receiver: Receiver;
  const instances: TriggerService[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    store = await openTestStore('postgres');
    vendor = await startAcmeVendor();
    receiver = await startReceiver();
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const i of instances.reverse()) await i.close();
    for (const i of instances) if (i.store !== store) await i.store.drop();
    const bossSchema = await PgBossQueue.schemaFor(store.db);
    await store.drop();
    await dropSchema(bossSchema);
    await receiver.close();
    await vendor.close();
  });

  test('three instances share the polls: every connection is polled once per interval, by one of them', async () => {
    const first = await startTriggerService('postgres', { store });
    instances.push(first);
    for (let i = 0; i < 2; i++) instances.push(await startTriggerService('postgres', { store: await join(store) }));
    const shared = await sharedFolder(first);
    const connections = 12;
    const triggers: string[] = [];
    for (let i = 0; i < connections; i++) {
      const conn = await acmeConnection(first, vendor, shared);
      const res = await first.api('POST', '/api/v1/triggers', { body: { connectionId: conn, trigger: 'ticket-created', target: { type: 'queue' } } });
      triggers.push(res.json().id);
    }
    const polled = async () => (await first.sb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM triggers WHERE polls > 0'))[0]!.n;
    await waitFor('every trigger polled', async () => (await polled()) === connections || undefined);
    // Each instance ticks every 50 ms; give them many chances to poll something twice.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(vendor.count('/tickets'), connections, 'one vendor call per connection: nothing was polled twice');
    const perTrigger = await first.sb.db.query<{ polls: number }>('SELECT polls FROM triggers WHERE id = ANY($1::uuid[])', [triggers]);
    assert.ok(perTrigger.every((t) => Number(t.polls) === 1));

    // The next interval: all due again at once, and again each polled exactly once.
    await first.sb.db.query('UPDATE trigger_polls SET next_poll_at = now()');
    await waitFor('the second round', async () => (await first.sb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM triggers WHERE polls = 2'))[0]!.n === connections || undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(vendor.count('/tickets'), 2 * connections);
    const busy = instances.map((i) => i.sb.triggerEngine.stats.polls);
    // Every poll was done by exactly one of the instances. Which instance wins a claim is up to
    // the scheduler (one instance may win them all on a busy machine), so that is not asserted.
    assert.equal(busy.reduce((a, b) => a + b, 0), 2 * connections);
    for (const i of instances.splice(1)) await i.close();
  });

  test('a worker killed with SIGKILL in the middle of a delivery loses no event', async () => {
    const api = instances[0]!;
    const conn = await api.api('POST', '/api/v1/connections', { body: { folderId: await sharedFolder(api), connector: 'http-webhook', fields: { sourceName: 'Orders' } } });
    const t = await api.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', target: { type: 'webhook', url: receiver.url } } });
    assert.equal(t.statusCode, 201, t.body);
    // The in-test instance stops its workers: the child is the only one delivering.
    await api.sb.triggerEngine.stop();

    const worker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/trigger-worker.ts', import.meta.url)), store.schema!, TEST_DATABASE_URL, MASTER_KEY, '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(worker);
    const url = await new Promise<string>((resolve, reject) => {
      worker.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      createInterface({ input: worker.stdout! }).on('line', (line) => line.startsWith('ready ') && resolve(line.slice(6)));
    });

    receiver.answer.stall = true;
    const hook = new URL(t.json().webhookUrl).pathname;
    const posted = await fetch(url + hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: 'A-1' }) });
    assert.equal(posted.status, 202, 'the event is stored before the webhook is acknowledged');
    await waitFor('the stalled delivery', () => receiver.deliveries.length === 1 || undefined);
    const eventId = receiver.deliveries[0]!.json.id as string;

    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const [row] = await api.sb.db.query<{ state: string }>('SELECT state FROM trigger_events WHERE id = $1', [eventId]);
    assert.equal(row!.state, 'delivering', 'the dead worker held it');

    receiver.answer.stall = false;
    const rescuer = await startTriggerService('postgres', { store: await join(store), delivery: { leaseMs: 1500 } });
    instances.push(rescuer);
    await waitFor('the redelivery', async () => (await api.sb.db.query<{ state: string }>('SELECT state FROM trigger_events WHERE id = $1', [eventId]))[0]!.state === 'delivered' || undefined, 20_000);
    assert.deepEqual(receiver.ids(), [eventId, eventId], 'delivered again, with the same id for the receiver to deduplicate');
    const [done] = await api.sb.db.query<{ attempts: number }>('SELECT attempts FROM trigger_events WHERE id = $1', [eventId]);
    assert.equal(done!.attempts, 2);
  });
});
