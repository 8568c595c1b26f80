import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SwitchboardClient, SwitchboardError } from '@switchboard/sdk';
import { ADELE, APP } from './support/microsoft.ts';
import { type ListeningService, startListeningService } from './support/listening-service.ts';
import { ADMIN_KEY } from './support/service.ts';
import { waitFor } from './support/triggers.ts';

// The SDK over real HTTP against a listening service: a Microsoft 365 connection through the
// emulator's consent (the Pending half of create's union), its activities and HTTP Request, and
// an HTTP Webhook trigger whose events are read from the pull queue and acknowledged.

const MEGAN = 'MeganB@contoso.onmicrosoft.com';
const SCOPES = ['Mail.ReadWrite', 'Mail.Send', 'offline_access', 'User.Read', 'openid', 'profile', 'email'];

/** The problem an SDK call rejected with. */
async function problemOf(call: Promise<unknown>): Promise<SwitchboardError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof SwitchboardError, `expected a SwitchboardError, got ${String(error)}`);
  return error;
}

describe('SDK against a running service', () => {
  let env: ListeningService;
  let client: SwitchboardClient;
  let adele: string;

  before(async () => {
    env = await startListeningService();
    client = new SwitchboardClient({ baseUrl: env.s.publicUrl, apiKey: ADMIN_KEY });
  });
  after(async () => {
    await env?.close();
  });

  test('connections: browser consent answers Pending with an authorizationUrl, then the connection is Connected', async () => {
    const created = await client.connections.create({
      folderId: env.folderId,
      connector: 'microsoft-365',
      authType: 'oauth2-byoa',
      name: 'Adele mail',
      fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: 'common', scopes: SCOPES },
    });
    assert.ok('authorizationUrl' in created, 'an interactive auth type is Pending');
    assert.equal(created.status, 'Pending');
    adele = created.id;
    assert.equal((await env.consent(created.authorizationUrl, ADELE)).status, 200);

    const connection = await client.connections.get(adele);
    assert.equal(connection.status, 'Connected');
    assert.equal(connection.account, ADELE);
    assert.ok(!JSON.stringify(connection).includes(APP.secret), 'no secret comes back');

    const connected = await client.connections.list({ connector: 'microsoft-365', status: 'Connected' });
    assert.deepEqual(connected.items.map((c) => c.id), [adele]);
    assert.deepEqual((await client.connections.list({ status: 'Disabled' })).items, []);

    const renamed = await client.connections.update(adele, { name: 'Adele', pollingIntervalMinutes: 15 });
    assert.deepEqual([renamed.name, renamed.pollingIntervalMinutes], ['Adele', 15]);
    const checked = await client.connections.check(adele);
    assert.equal(checked.lastCheck?.ok, true);

    const debug = await client.connections.setDebug(adele, { enabled: true, minutes: 30 });
    assert.equal(debug.enabled, true);
    assert.ok(debug.until && Date.parse(debug.until) > Date.now());
    assert.equal((await client.connections.debug(adele)).enabled, true);

    const missing = await problemOf(client.connections.get(randomUUID()));
    assert.deepEqual([missing.status, missing.code], [404, 'CONNECTION_NOT_FOUND']);
  });

  test('activities: list, run, the HTTP Request; the calls are in the request logs and the usage report', async () => {
    const list = await client.activities.list('microsoft-365');
    assert.equal(list.httpRequest.offered, true);
    assert.ok(list.items.some((a) => a.key === 'send-email' && a.kind === 'curated'));
    assert.deepEqual((await client.activities.get('microsoft-365', 'send-email')).input.required, ['to', 'subject']);

    const subject = `SDK ${randomUUID()}`;
    const sent = await client.activities.run<{ sent: boolean }>(adele, 'send-email', { to: [MEGAN], subject, body: 'From the SDK.' });
    assert.equal(sent.output.sent, true);
    assert.ok(sent.meta.calls >= 1);

    const invalid = await problemOf(client.activities.run(adele, 'send-email', { to: ['not an address'], subject }));
    assert.equal(invalid.code, 'ACTIVITY_INPUT_INVALID');
    assert.ok(invalid.problem.errors?.some((e) => e.path === '/input/to/0'));

    const me = await client.activities.http(adele, { method: 'GET', path: '/me', query: { $select: 'userPrincipalName' } });
    assert.equal(me.status, 200);
    assert.equal(me.bodyEncoding, 'json');
    assert.equal((me.body as { userPrincipalName: string }).userPrincipalName, ADELE);
    const absent = await client.activities.http(adele, { method: 'GET', path: `/me/messages/${randomUUID()}` });
    // Graph refuses the made-up id; its answer is passed through, not thrown.
    assert.ok(absent.status >= 400, String(absent.status));
    assert.equal(typeof (absent.body as { error: { code: string } }).error.code, 'string');

    // Calls are recorded in batches: wait for the send to be written.
    const [entry] = await waitFor('the request log entry', async () => {
      const page = await client.logs.list({ connectionId: adele, requestId: sent.meta.requestId });
      return page.items.length > 0 && page.items;
    });
    assert.equal(entry!.operation, 'send-email');
    const detail = await client.logs.get(entry!.id);
    assert.ok(detail.requestBody?.includes(subject), 'debug is on: the body was kept');

    const usage = await waitFor('the usage ledger', async () => {
      const report = await client.usage.report({ groupBy: 'connector', connector: 'microsoft-365' });
      return report.totals.billable >= 2 && report;
    });
    assert.deepEqual(usage.items.map((i) => i.connector), ['microsoft-365']);
    const refused = await waitFor('the refused call in the logs', async () => (await client.logs.list({ connectionId: adele, status: '4xx' })).items[0]);
    assert.equal(refused.status, absent.status);
    assert.equal(refused.requestId, absent.meta.requestId);
  });

  test('triggers: a webhook event passes the filter, waits in the pull queue, is acknowledged and replayed', async () => {
    const hook = await client.connections.create({ folderId: env.folderId, connector: 'http-webhook', fields: { sourceName: 'Orders' } });
    assert.ok(!('authorizationUrl' in hook), 'no consent: Connected at once');
    assert.equal(hook.status, 'Connected');

    const trigger = await client.triggers.create({
      connectionId: hook.id,
      trigger: 'webhook-received',
      name: 'Big orders',
      filter: { all: [{ field: 'body.total', op: 'gt', value: 100 }] },
      target: { type: 'queue' },
    });
    assert.equal(trigger.mode, 'webhook');
    assert.equal(trigger.signingSecret, null, 'a queue has no signatures');
    assert.ok(trigger.filter?.expression.includes('total'));
    assert.deepEqual(trigger.filter?.builder, { all: [{ field: 'body.total', op: 'gt', value: 100 }] });

    const tested = await client.triggers.test(trigger.id, { payload: { total: 150 } });
    assert.deepEqual(tested.items.map((i) => i.matchesFilter), [true]);
    assert.deepEqual((await client.triggers.test(trigger.id, { payload: { total: 5 } })).items.map((i) => i.matchesFilter), [false]);

    for (const total of [150, 5]) {
      const posted = await fetch(trigger.webhookUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: `o-${total}`, total }) });
      assert.equal(posted.status, 202);
    }
    const pending = await client.triggers.events(trigger.id, { state: 'pending' });
    assert.equal(pending.items.length, 1, 'the filter kept only the big order');
    const [event] = pending.items;
    assert.deepEqual((event!.payload.record as { body: unknown }).body, { order: 'o-150', total: 150 });
    assert.equal(event!.delivery, 'queue');

    assert.deepEqual(await client.triggers.ack(trigger.id, [event!.id]), { acked: [event!.id], unknown: [] });
    assert.deepEqual(await client.triggers.ack(trigger.id, [event!.id]), { acked: [], unknown: [event!.id] }, 'an event leaves the queue once');
    assert.deepEqual((await client.triggers.events(trigger.id, { state: 'pending' })).items, []);
    assert.deepEqual((await client.triggers.events(trigger.id, { state: 'acked' })).items.map((e) => e.id), [event!.id]);

    const replayed = await client.triggers.replay(trigger.id, event!.id);
    assert.equal(replayed.state, 'pending');
    assert.deepEqual((await client.triggers.events(trigger.id, { state: 'pending', limit: 10 })).items.map((e) => e.id), [event!.id], 'same id, back in the queue');

    const disabled = await client.triggers.update(trigger.id, { enabled: false });
    assert.equal(disabled.status, 'Disabled');
    assert.deepEqual((await client.triggers.list({ connectionId: hook.id, status: 'Disabled' })).items.map((t) => t.id), [trigger.id]);
    assert.deepEqual((await client.triggers.notices(trigger.id)).items.filter((n) => n.type === 'event.dead-lettered'), []);

    await client.triggers.delete(trigger.id);
    assert.equal((await problemOf(client.triggers.get(trigger.id))).code, 'TRIGGER_NOT_FOUND');
    assert.deepEqual(await client.connections.delete(hook.id), { deleted: true, tokensRevoked: false });
  });

  test('the error catalog and the quota', async () => {
    const { items } = await client.errors();
    const notFound = items.find((e) => e.code === 'CONNECTION_NOT_FOUND');
    assert.equal(notFound?.status, 404);
    assert.ok(notFound.fix.length > 0);

    assert.equal((await client.usage.quota()).source, 'default');
    const set = await client.usage.setQuota(1000);
    assert.deepEqual([set.source, set.monthlyActivityQuota], ['tenant', 1000]);
    assert.equal((await client.usage.resetQuota()).source, 'default');
  });
});
