import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { STORE_KINDS } from './support/stores.ts';
import { ManualClock, type Receiver, type TriggerService, sharedFolder, startReceiver, startTriggerService, waitFor } from './support/triggers.ts';

// Delivery, at least once: retries with backoff for 24 hours, then a dead letter that can be
// replayed; pull queues with acknowledgements. Time is a hand-moved clock and the backoff is
// six hours a step, so a whole day of retries takes a moment.

const SIX_HOURS = 6 * 3600_000;

for (const kind of STORE_KINDS) {
  describe(`event delivery (${kind} store)`, () => {
    let s: TriggerService;
    let receiver: Receiver;
    let clock: ManualClock;
    let shared: string;

    async function webhookTrigger(target: { type: 'webhook'; url: string } | { type: 'queue' }) {
      const conn = await s.api('POST', '/api/v1/connections', { body: { folderId: shared, connector: 'http-webhook', fields: { sourceName: `Sender ${Math.random()}` } } });
      const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', target } });
      assert.equal(t.statusCode, 201, t.body);
      return { id: t.json().id as string, hook: new URL(t.json().webhookUrl).pathname, secret: t.json().signingSecret as string | null };
    }

    async function eventOf(triggerId: string) {
      return (await s.api('GET', `/api/v1/triggers/${triggerId}/events`)).json().items[0];
    }

    before(async () => {
      receiver = await startReceiver();
      clock = new ManualClock();
      s = await startTriggerService(kind, { clock, delivery: { backoff: () => SIX_HOURS, timeoutMs: 1000, leaseMs: 2000 } });
      shared = await sharedFolder(s);
    });
    after(async () => {
      await s.close();
      await receiver.close();
    });

    test('a failing receiver gets retries for 24 hours, then the event is dead-lettered, then replayed', async () => {
      receiver.answer.status = 500;
      const t = await webhookTrigger({ type: 'webhook', url: receiver.url });
      const start = receiver.deliveries.length;
      assert.equal((await s.api('POST', t.hook, { key: null, body: { order: 7 } })).statusCode, 202);
      await waitFor('the first attempt', () => receiver.deliveries.length > start || undefined);
      let event = await waitFor('the failure recorded', async () => {
        const e = await eventOf(t.id);
        return e.state === 'pending' && e.attempts === 1 ? e : undefined;
      });
      assert.equal(event.lastStatus, 500);
      assert.match(event.lastError, /answered 500/);

      for (let step = 0; step < 8 && event.state !== 'dead'; step++) {
        const attempts = event.attempts;
        clock.advance(SIX_HOURS);
        await s.sb.triggerEngine.tick();
        event = await waitFor('the next attempt', async () => {
          const e = await eventOf(t.id);
          return e.attempts > attempts && e.state !== 'delivering' ? e : undefined;
        });
      }
      assert.equal(event.state, 'dead');
      assert.equal(event.attempts, 5, 'attempts at 0, 6, 12, 18 and 24 hours; the next would be past the 24-hour window');
      const sent = receiver.deliveries.slice(start);
      assert.equal(sent.length, 5);
      assert.equal(new Set(sent.map((d) => d.headers['webhook-id'])).size, 1, 'every retry carries the same event id');
      assert.ok(sent.every((d) => d.json.id === event.id));

      const dead = (await s.api('GET', `/api/v1/triggers/${t.id}/events?state=dead`)).json().items;
      assert.deepEqual(dead.map((e: { id: string }) => e.id), [event.id]);
      const notices = (await s.api('GET', `/api/v1/triggers/${t.id}/notices`)).json().items;
      assert.equal(notices[0].type, 'event.dead-lettered');
      assert.deepEqual((await s.api('GET', `/api/v1/triggers?folderId=${shared}`)).json().items.find((x: { id: string }) => x.id === t.id).events.dead, 1, 'the list counts dead letters');

      receiver.answer.status = 204;
      const replay = await s.api('POST', `/api/v1/triggers/${t.id}/events/${event.id}/replay`);
      assert.equal(replay.statusCode, 200, replay.body);
      assert.equal(replay.json().state, 'pending');
      const delivered = await waitFor('the replayed delivery', async () => {
        const e = await eventOf(t.id);
        return e.state === 'delivered' ? e : undefined;
      });
      assert.equal(delivered.attempts, 1);
      assert.equal(receiver.deliveries.at(-1)!.json.id, event.id, 'a replay keeps the id, so receivers can deduplicate');
      const unknown = await s.api('POST', `/api/v1/triggers/${t.id}/events/00000000-0000-4000-8000-000000000000/replay`);
      assert.equal(unknown.json().code, 'TRIGGER_EVENT_NOT_FOUND');
    });

    test('a transient failure is retried and delivered; the signature verifies on every attempt', async () => {
      const t = await webhookTrigger({ type: 'webhook', url: receiver.url });
      receiver.answer.status = 503;
      const start = receiver.deliveries.length;
      await s.api('POST', t.hook, { key: null, body: { order: 8 } });
      await waitFor('the failed attempt', async () => ((await eventOf(t.id)).attempts === 1 && (await eventOf(t.id)).state === 'pending') || undefined);
      receiver.answer.status = 200;
      clock.advance(SIX_HOURS);
      await s.sb.triggerEngine.tick();
      const e = await waitFor('delivered', async () => ((await eventOf(t.id)).state === 'delivered' ? eventOf(t.id) : undefined));
      assert.equal(e.attempts, 2);
      for (const d of receiver.deliveries.slice(start)) {
        // The reference library's verify() checks the timestamp against the real clock, and the
        // engine's clock is hours ahead by now: compare with the library's own signature instead.
        const wh = new Webhook(t.secret!);
        const expected = wh.sign(d.headers['webhook-id']!, new Date(Number(d.headers['webhook-timestamp']) * 1000), d.body);
        assert.equal(d.headers['webhook-signature'], expected);
      }
    });

    test('a receiver that does not answer in time is retried', async () => {
      const t = await webhookTrigger({ type: 'webhook', url: receiver.url });
      receiver.answer.stall = true;
      await s.api('POST', t.hook, { key: null, body: { order: 9 } });
      const e = await waitFor('the timed-out attempt', async () => {
        const x = await eventOf(t.id);
        return x.state === 'pending' && x.attempts === 1 ? x : undefined;
      });
      assert.match(e.lastError, /did not answer in time/);
      receiver.answer.stall = false;
    });

    test('a pull queue holds events until they are acknowledged', async () => {
      const t = await webhookTrigger({ type: 'queue' });
      assert.equal(t.secret, null, 'a queue needs no signing secret');
      for (const n of [1, 2, 3]) await s.api('POST', t.hook, { key: null, body: { n } });
      const pending = (await s.api('GET', `/api/v1/triggers/${t.id}/events?state=pending`)).json().items;
      assert.deepEqual(pending.map((e: { payload: { record: { body: { n: number } } } }) => e.payload.record.body.n), [1, 2, 3], 'oldest first');
      const ack = await s.api('POST', `/api/v1/triggers/${t.id}/events/ack`, { body: { ids: [pending[0].id, pending[1].id, 'not-an-id'] } });
      assert.equal(ack.statusCode, 200, ack.body);
      assert.deepEqual(ack.json().acked.sort(), [pending[0].id, pending[1].id].sort());
      assert.deepEqual(ack.json().unknown, ['not-an-id']);
      const again = await s.api('POST', `/api/v1/triggers/${t.id}/events/ack`, { body: { ids: [pending[0].id] } });
      assert.deepEqual(again.json().unknown, [pending[0].id], 'an event is acknowledged once');
      const left = (await s.api('GET', `/api/v1/triggers/${t.id}/events?state=pending`)).json().items;
      assert.deepEqual(left.map((e: { id: string }) => e.id), [pending[2].id]);
      assert.equal((await s.api('GET', `/api/v1/triggers/${t.id}/events?state=acked`)).json().items.length, 2);
      // The trigger itself says what waits, and when its newest event happened.
      const glance = (await s.api('GET', `/api/v1/triggers/${t.id}`)).json().events;
      assert.deepEqual({ pending: glance.pending, dead: glance.dead }, { pending: 1, dead: 0 });
      assert.equal(glance.lastOccurredAt, pending.map((e: { occurredAt: string }) => e.occurredAt).sort().at(-1));

      const pushed = await webhookTrigger({ type: 'webhook', url: receiver.url });
      const refused = await s.api('POST', `/api/v1/triggers/${pushed.id}/events/ack`, { body: { ids: [pending[2].id] } });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'TRIGGER_NOT_APPLICABLE');
    });

    test('switching a queue to a webhook delivers what waits in it at once, signed with a new secret', async () => {
      const t = await webhookTrigger({ type: 'queue' });
      await s.api('POST', t.hook, { key: null, body: { waiting: true } });
      const start = receiver.deliveries.length;
      const patched = await s.api('PATCH', `/api/v1/triggers/${t.id}`, { body: { target: { type: 'webhook', url: receiver.url } } });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.match(patched.json().signingSecret, /^whsec_/);
      // No clock move, no sweep: the switch itself queues the delivery.
      await waitFor('the waiting event delivered', () => receiver.deliveries.length > start || undefined);
      const [event] = (await s.api('GET', `/api/v1/triggers/${t.id}/events`)).json().items;
      await waitFor('recorded as delivered', async () => (await s.api('GET', `/api/v1/triggers/${t.id}/events`)).json().items[0].state === 'delivered' || undefined);
      assert.equal(receiver.deliveries.at(-1)!.json.id, event.id);
      const d = receiver.deliveries.at(-1)!;
      const wh = new Webhook(patched.json().signingSecret);
      assert.equal(d.headers['webhook-signature'], wh.sign(d.headers['webhook-id']!, new Date(Number(d.headers['webhook-timestamp']) * 1000), d.body));
    });
  });
}
