import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AcmeVendor, startAcmeVendor } from './support/acme-vendor.ts';
import { STORE_KINDS } from './support/stores.ts';
import { ManualClock, type TriggerService, acmeConnection, sharedFolder, startTriggerService, waitFor } from './support/triggers.ts';

// Vendor subscriptions made from the connector definition, against a fake vendor that behaves
// like Microsoft Graph's subscriptions API: the validation handshake on create, clientState on
// every notification, renewal before expiry, and the lifecycle notifications
// reauthorizationRequired (renew), subscriptionRemoved (subscribe again, catch up) and missed
// (catch up by polling the connector's polling trigger for the same event).

for (const kind of STORE_KINDS) {
  describe(`vendor subscriptions (${kind} store)`, () => {
    let s: TriggerService;
    let vendor: AcmeVendor;
    let clock: ManualClock;
    let connectionId: string;

    const events = async (id: string) => (await s.api('GET', `/api/v1/triggers/${id}/events`)).json().items as Array<{ event: string; objectId: string }>;
    const view = async (id: string) => (await s.api('GET', `/api/v1/triggers/${id}`)).json();
    const calls = (method: string, prefix: string) => vendor.calls.filter((c) => c.method === method && c.path.startsWith(prefix)).length;

    async function subscribe(): Promise<string> {
      const res = await s.api('POST', '/api/v1/triggers', { body: { connectionId, trigger: 'ticket-created-notification', target: { type: 'queue' } } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id;
    }

    before(async () => {
      vendor = await startAcmeVendor();
      clock = new ManualClock();
      s = await startTriggerService(kind, { clock, listen: true });
      connectionId = await acmeConnection(s, vendor, await sharedFolder(s));
    });
    after(async () => {
      await s.close();
      await vendor.close();
    });

    test('creating the trigger subscribes at the vendor, which first verifies the URL', async () => {
      const id = await subscribe();
      const t = await view(id);
      assert.equal(vendor.subscriptions.size, 1);
      const sub = [...vendor.subscriptions.values()][0]!;
      assert.equal(sub.notificationUrl, t.webhookUrl, 'the trigger has its own URL');
      assert.equal(sub.lifecycleNotificationUrl, t.webhookUrl);
      assert.ok(sub.clientState.length >= 32 && sub.clientState.length <= 128, 'a random client state, within Graph\'s 128 characters');
      assert.equal(t.subscription.vendorId, sub.id);
      assert.equal(t.subscription.status, 'Active');
      assert.equal(Date.parse(t.subscription.expiresAt), clock.now().getTime() + 60 * 60_000, 'lifetimeMinutes from the definition');
      assert.ok(!JSON.stringify(t).includes(sub.clientState), 'the client state is a secret');
      await s.api('DELETE', `/api/v1/triggers/${id}`);
    });

    test('notifications carrying the client state become events; others are refused', async () => {
      const id = await subscribe();
      const ticket = vendor.create({ title: 'Notified' }, clock.now());
      assert.deepEqual(await vendor.notify('created', ticket.id), [202]);
      const fired = await events(id);
      assert.equal(fired.length, 1);
      assert.equal(fired[0]!.objectId, ticket.id);
      assert.equal(fired[0]!.event, 'created');
      assert.deepEqual(await vendor.notify('updated', ticket.id), [202], 'another change type is acknowledged');
      assert.equal((await events(id)).length, 1, 'but does not fire a created trigger');
      assert.deepEqual(await vendor.notify('created', ticket.id, { clientState: 'forged' }), [401]);
      assert.equal((await events(id)).length, 1);
      await s.api('DELETE', `/api/v1/triggers/${id}`);
    });

    test('renewal before expiry, and at once on reauthorizationRequired', async () => {
      const id = await subscribe();
      const sub = [...vendor.subscriptions.values()].at(-1)!;
      const firstExpiry = sub.expirationDateTime;
      const patches = calls('PATCH', '/subscriptions/');

      clock.advance(45 * 60_000);
      await s.sb.triggerEngine.tick();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(calls('PATCH', '/subscriptions/'), patches, 'not yet: renewal is due 10 minutes before expiry');

      clock.advance(6 * 60_000);
      await s.sb.triggerEngine.tick();
      await waitFor('the renewal', () => calls('PATCH', '/subscriptions/') > patches || undefined);
      await waitFor('the new expiry stored', async () => (await view(id)).subscription.expiresAt !== firstExpiry || undefined);
      assert.equal(Date.parse(sub.expirationDateTime), clock.now().getTime() + 60 * 60_000);

      assert.equal(await vendor.lifecycle(sub.id, 'reauthorizationRequired'), 202);
      await waitFor('the reauthorization', () => calls('PATCH', '/subscriptions/') > patches + 1 || undefined);
      assert.equal((await view(id)).health.consecutiveFailures, 0);
      await s.api('DELETE', `/api/v1/triggers/${id}`);
    });

    test('subscriptionRemoved: a new subscription, then a catch-up poll', async () => {
      const id = await subscribe();
      await waitFor('the catch-up baseline', async () => (await s.sb.db.query<{ cursor: unknown }>('SELECT cursor FROM triggers WHERE id = $1', [id]))[0]!.cursor || undefined);
      const old = [...vendor.subscriptions.values()].at(-1)!;
      clock.advance(1000);
      const missed = vendor.create({ title: 'Created while the subscription was gone' }, clock.now());
      assert.equal(await vendor.lifecycle(old.id, 'subscriptionRemoved'), 202);
      vendor.subscriptions.delete(old.id);
      await waitFor('the new subscription', async () => ((await view(id)).subscription?.vendorId !== old.id && vendor.subscriptions.size === 1) || undefined);
      const notices = (await s.api('GET', `/api/v1/triggers/${id}/notices`)).json().items;
      assert.ok(notices.some((n: { type: string }) => n.type === 'subscription.recreated'));
      await waitFor('the missed ticket caught up', async () => (await events(id)).some((e) => e.objectId === missed.id) || undefined);
      await s.api('DELETE', `/api/v1/triggers/${id}`);
    });

    test('missed: the connector\'s polling trigger for the same event catches up', async () => {
      const id = await subscribe();
      await waitFor('the catch-up baseline', async () => (await s.sb.db.query<{ cursor: unknown }>('SELECT cursor FROM triggers WHERE id = $1', [id]))[0]!.cursor || undefined);
      const sub = [...vendor.subscriptions.values()].at(-1)!;
      clock.advance(1000);
      const lost = vendor.create({ title: 'Never notified' }, clock.now());
      const polls = vendor.count('/tickets');
      assert.equal(await vendor.lifecycle(sub.id, 'missed'), 202);
      await waitFor('the catch-up', async () => (await events(id)).some((e) => e.objectId === lost.id) || undefined);
      assert.ok(vendor.count('/tickets') > polls);
      assert.equal(vendor.subscriptions.size, 1, 'the subscription itself is kept');
      await s.api('DELETE', `/api/v1/triggers/${id}`);
    });

    test('disabling or deleting the trigger removes the subscription; enabling subscribes again', async () => {
      const id = await subscribe();
      assert.equal(vendor.subscriptions.size, 1);
      await s.api('PATCH', `/api/v1/triggers/${id}`, { body: { enabled: false } });
      assert.equal(vendor.subscriptions.size, 0);
      assert.equal((await view(id)).subscription, null);
      await s.api('PATCH', `/api/v1/triggers/${id}`, { body: { enabled: true } });
      assert.equal(vendor.subscriptions.size, 1);
      await s.api('DELETE', `/api/v1/triggers/${id}`);
      assert.equal(vendor.subscriptions.size, 0);
    });

    test('a vendor that refuses the subscription fails the creation, leaving nothing behind', async () => {
      vendor.refuseSubscriptions = true;
      try {
        const res = await s.api('POST', '/api/v1/triggers', { body: { connectionId, trigger: 'ticket-created-notification', target: { type: 'queue' } } });
        assert.equal(res.statusCode, 502);
        assert.equal(res.json().code, 'TRIGGER_SUBSCRIPTION_FAILED');
        assert.equal(res.json().vendorStatus, 403);
        assert.match(res.json().detail, /may not subscribe/);
        const left = await s.api('GET', `/api/v1/triggers?connectionId=${connectionId}`);
        assert.deepEqual(left.json().items, []);
      } finally {
        vendor.refuseSubscriptions = false;
      }
    });
  });
}
