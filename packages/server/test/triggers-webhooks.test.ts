import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { type AcmeVendor, startAcmeVendor } from './support/acme-vendor.ts';
import { STORE_KINDS } from './support/stores.ts';
import { ManualClock, type Receiver, type TriggerService, acmeConnection, sharedFolder, startReceiver, startTriggerService, waitFor } from './support/triggers.ts';

// The public webhook door: signatures from the connector definition, always checked when
// defined and failing closed; verification handshakes; the HTTP Webhook connector end to end
// (filters on body and headers, delivery signed per Standard Webhooks); the tenant rate limit.

const RATE_LIMIT = 60;

for (const kind of STORE_KINDS) {
  describe(`webhook ingress (${kind} store)`, () => {
    let s: TriggerService;
    let vendor: AcmeVendor;
    let receiver: Receiver;
    let clock: ManualClock;
    let shared: string;
    const secret = 'acme-signing-secret-0123456789';

    const path = (url: string) => new URL(url).pathname;
    const stored = async (triggerId: string) => (await s.sb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM trigger_events WHERE trigger_id = $1', [triggerId]))[0]!.n;

    /** Acme's signing: sha256= hex HMAC of "{timestamp}.{body}", with the timestamp in its own header. */
    function acmeHeaders(body: string, options: { key?: string; at?: Date } = {}) {
      const timestamp = String(Math.floor((options.at ?? clock.now()).getTime() / 1000));
      const mac = createHmac('sha256', options.key ?? secret).update(`${timestamp}.${body}`).digest('hex');
      return { 'content-type': 'application/json', 'x-acme-timestamp': timestamp, 'x-acme-signature': `sha256=${mac}` };
    }

    before(async () => {
      vendor = await startAcmeVendor();
      receiver = await startReceiver();
      clock = new ManualClock();
      s = await startTriggerService(kind, { clock, env: { SWITCHBOARD_WEBHOOK_RATE_LIMIT: String(RATE_LIMIT) } });
      shared = await sharedFolder(s);
    });
    after(async () => {
      await s.close();
      await receiver.close();
      await vendor.close();
    });

    describe('signatures from the connector definition', () => {
      let hook: string;
      let triggerId: string;
      before(async () => {
        const conn = await acmeConnection(s, vendor, shared, { webhookSecret: secret });
        const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn, trigger: 'ticket-event', target: { type: 'queue' } } });
        assert.equal(t.statusCode, 201, t.body);
        hook = path(t.json().webhookUrl);
        triggerId = t.json().id;
      });

      test('a correctly signed delivery is stored and acknowledged', async () => {
        const body = JSON.stringify({ id: 'evt_1', type: 'ticket.escalated', ticket: { id: 'T-9', priority: 5 } });
        const res = await s.api('POST', hook, { key: null, body, headers: acmeHeaders(body) });
        assert.equal(res.statusCode, 202, res.body);
        assert.deepEqual(res.json(), { accepted: 1 });
        const [event] = (await s.api('GET', `/api/v1/triggers/${triggerId}/events`)).json().items;
        assert.equal(event.event, 'ticket.escalated');
        assert.equal(event.objectId, 'evt_1');
        assert.equal(event.payload.record.ticket.id, 'T-9');
        assert.equal(event.state, 'pending');
      });

      test('tampered, unsigned, wrongly keyed and stale deliveries are refused and nothing is stored', async () => {
        const before = await stored(triggerId);
        const body = JSON.stringify({ id: 'evt_2', type: 'ticket.closed' });
        const signed = acmeHeaders(body);

        const tampered = await s.api('POST', hook, { key: null, body: body.replace('closed', 'deleted'), headers: signed });
        assert.equal(tampered.statusCode, 401);
        assert.equal(tampered.json().code, 'WEBHOOK_SIGNATURE_INVALID');

        const unsigned = await s.api('POST', hook, { key: null, body, headers: { 'content-type': 'application/json', 'x-acme-timestamp': signed['x-acme-timestamp'] } });
        assert.equal(unsigned.statusCode, 401);
        assert.match(unsigned.json().detail, /no x-acme-signature header/);

        const wrongKey = await s.api('POST', hook, { key: null, body, headers: acmeHeaders(body, { key: 'another-secret' }) });
        assert.equal(wrongKey.statusCode, 401);

        const noPrefix = await s.api('POST', hook, { key: null, body, headers: { ...signed, 'x-acme-signature': signed['x-acme-signature'].slice('sha256='.length) } });
        assert.equal(noPrefix.statusCode, 401);

        const stale = await s.api('POST', hook, { key: null, body, headers: acmeHeaders(body, { at: new Date(clock.now().getTime() - 10 * 60_000) }) });
        assert.equal(stale.statusCode, 400);
        assert.equal(stale.json().code, 'WEBHOOK_TIMESTAMP_INVALID');

        // The timestamp is part of what is signed: moving it forward breaks the signature.
        const replayed = await s.api('POST', hook, { key: null, body, headers: { ...signed, 'x-acme-timestamp': String(Number(signed['x-acme-timestamp']) + 1) } });
        assert.equal(replayed.statusCode, 401);

        assert.equal(await stored(triggerId), before, 'nothing was stored');
      });

      test('a definition with a signature fails closed when the connection has no secret', async () => {
        const conn = await acmeConnection(s, vendor, shared);
        const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn, trigger: 'ticket-event', target: { type: 'queue' } } });
        const body = JSON.stringify({ id: 'evt_3', type: 'x' });
        const res = await s.api('POST', path(t.json().webhookUrl), { key: null, body, headers: acmeHeaders(body) });
        assert.equal(res.statusCode, 401);
        assert.match(res.json().detail, /secret of this webhook is not configured/);
      });

      test('an unknown URL is not found', async () => {
        const res = await s.api('POST', '/api/v1/webhooks/NotARealRoutingKey0123456789abcd', { key: null, body: '{}', headers: { 'content-type': 'application/json' } });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().code, 'WEBHOOK_NOT_FOUND');
      });
    });

    test('HTTP Webhook connector end to end: handshake, signature, filters on body and headers, signed delivery', async () => {
      const senderSecret = 'billing-shared-secret';
      const conn = await s.api('POST', '/api/v1/connections', {
        body: { folderId: shared, connector: 'http-webhook', fields: { sourceName: 'Billing', challengeMode: 'query-echo', challengeParam: 'challenge', signatureSecret: senderSecret, signatureHeader: 'X-Billing-Signature', signaturePrefix: 'sha256=' } },
      });
      assert.equal(conn.statusCode, 201, conn.body);
      assert.equal(conn.json().account, 'Billing');
      const created = await s.api('POST', '/api/v1/triggers', {
        body: {
          connectionId: conn.json().id,
          trigger: 'webhook-received',
          filter: { all: [{ field: 'headers.x-billing-event', op: 'eq', value: 'invoice.paid' }, { field: 'body.amount', op: 'gt', value: 100 }] },
          target: { type: 'webhook', url: receiver.url },
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const { webhookUrl, signingSecret, id } = created.json();

      const handshake = await s.api('GET', `${path(webhookUrl)}?challenge=${encodeURIComponent('hello world/+')}`, { key: null });
      assert.equal(handshake.statusCode, 200);
      assert.match(handshake.headers['content-type'] as string, /^text\/plain/);
      assert.equal(handshake.body, 'hello world/+', 'the token comes back URL-decoded');

      const send = (event: string, amount: number, sign = true) => {
        const body = JSON.stringify({ invoice: `INV-${amount}`, amount });
        const mac = createHmac('sha256', senderSecret).update(body).digest('hex');
        return s.api('POST', path(webhookUrl), { key: null, body, headers: { 'content-type': 'application/json', 'x-billing-event': event, ...(sign ? { 'x-billing-signature': `sha256=${mac}` } : {}) } });
      };
      assert.equal((await send('invoice.paid', 500, false)).statusCode, 401, 'a secret is set, so signatures are required');
      assert.deepEqual((await send('invoice.paid', 50)).json(), { accepted: 0 }, 'the body filter says no');
      assert.deepEqual((await send('invoice.created', 500)).json(), { accepted: 0 }, 'the header filter says no');
      assert.deepEqual((await send('invoice.paid', 500)).json(), { accepted: 1 });

      await waitFor('the delivery', () => receiver.deliveries.length > 0 || undefined);
      const delivery = receiver.deliveries[0]!;
      // Verified with the Standard Webhooks reference library, as a receiver would.
      const verified = new Webhook(signingSecret).verify(delivery.body, delivery.headers) as Record<string, unknown>;
      assert.equal(verified.triggerId, id);
      assert.equal(verified.connector, 'http-webhook');
      assert.equal(verified.event, 'custom');
      const record = verified.record as { method: string; headers: Record<string, string>; body: { amount: number } };
      assert.equal(record.body.amount, 500);
      assert.equal(record.headers['x-billing-event'], 'invoice.paid');
      assert.equal(record.method, 'POST');
      assert.equal(delivery.headers['webhook-id'], verified.id);
      assert.throws(() => new Webhook(signingSecret).verify(delivery.body.replace('500', '501'), delivery.headers), 'a changed body does not verify');
      await waitFor('delivered state', async () => (await s.api('GET', `/api/v1/triggers/${id}/events?state=delivered`)).json().items.length === 1 || undefined);
    });

    test('test: a webhook trigger evaluates a sample payload', async () => {
      const conn = await s.api('POST', '/api/v1/connections', { body: { folderId: shared, connector: 'http-webhook', fields: { sourceName: 'Shop' } } });
      const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', filter: 'body.total > `10`', target: { type: 'queue' } } });
      const res = await s.api('POST', `/api/v1/triggers/${t.json().id}/test`, { body: { payload: { total: 42 }, headers: { 'X-Shop': 'eu' } } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().items[0].matchesFilter, true);
      assert.equal(res.json().items[0].event.record.headers['x-shop'], 'eu');
      const none = await s.api('POST', `/api/v1/triggers/${t.json().id}/test`, { body: {} });
      assert.equal(none.json().code, 'TRIGGER_NOT_APPLICABLE');
      assert.equal((await s.api('GET', `/api/v1/triggers/${t.json().id}/events`)).json().items.length, 0);
    });

    test(`the tenant rate limit (${RATE_LIMIT} events a minute) answers 429 and stores nothing beyond it`, async () => {
      clock.advance(60_000);
      const conn = await s.api('POST', '/api/v1/connections', { body: { folderId: shared, connector: 'http-webhook', fields: { sourceName: 'Chatty' } } });
      const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', target: { type: 'queue' } } });
      const hook = path(t.json().webhookUrl);
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT + 3; i++) statuses.push((await s.api('POST', hook, { key: null, body: { n: i } })).statusCode);
      assert.equal(statuses.filter((x) => x === 202).length, RATE_LIMIT);
      assert.deepEqual(statuses.slice(RATE_LIMIT), [429, 429, 429]);
      const limited = await s.api('POST', hook, { key: null, body: { n: 'late' } });
      assert.equal(limited.json().code, 'WEBHOOK_RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal(await stored(t.json().id), RATE_LIMIT);
      clock.advance(60_000);
      assert.equal((await s.api('POST', hook, { key: null, body: { n: 'next minute' } })).statusCode, 202);
    });
  });
}
