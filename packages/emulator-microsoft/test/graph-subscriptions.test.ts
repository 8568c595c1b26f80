import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, DEFAULT_SEED_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { MULTI, SINGLE, start } from './helpers.ts';
import { ADELE, MEGAN, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';
import { startReceiver, type Receiver } from './notification-receiver.ts';

const IDS = DEFAULT_DATA_IDS.adele;
const ADELE_ID = DEFAULT_SEED_IDS.users.adele;
const CONTOSO = DEFAULT_SEED_IDS.tenants.contoso;
const NOW = Date.parse('2025-01-15T12:00:00Z');
const inHours = (h: number) => new Date(NOW + h * 3_600_000).toISOString();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VALIDATION_FAILED = 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.';

let emu: MicrosoftEmulator;
let adele: Client;
let hook: Receiver;

before(async () => {
  emu = await start({ now: () => NOW, validationTimeoutMs: 400, notificationTimeoutMs: 300, notificationRetryDelaysMs: [50, 100], notificationBatchMs: 30 });
});
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  emu.advanceClock(0);
  adele = client(emu.origins.global, await delegated(emu, ['Mail.Read', 'Calendars.Read', 'Contacts.Read', 'Mail.ReadWrite', 'Calendars.ReadWrite']));
  hook = await startReceiver();
});
afterEach(() => hook.close());

function body(o: Record<string, unknown> = {}) {
  return { changeType: 'created,updated,deleted', notificationUrl: hook.url(), resource: 'me/messages', expirationDateTime: inHours(24), clientState: 'secretClientValue', ...o };
}

async function subscribe(c: Client, o: Record<string, unknown> = {}): Promise<any> {
  const res = await c.post('/subscriptions', body(o));
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const addMail = (subject: string, folder = 'inbox') => emu.mail.add(ADELE, { subject, folder }).id as string;

describe('creating subscriptions', () => {
  test('the validation handshake, then 201 with the subscription as Graph returns it', async () => {
    const res = await adele.post('/subscriptions', body({ notificationUrl: hook.url('/hook?tenant=1'), resource: "/me/mailFolders('Inbox')/messages", changeType: 'created,updated' }));
    assert.equal(res.status, 201, res.text);
    const s = res.body;
    assert.equal(s['@odata.context'], `${emu.origins.global}/v1.0/$metadata#subscriptions/$entity`);
    assert.match(s.id, GUID);
    assert.deepEqual(
      { ...s, id: 'x', '@odata.context': 'x' },
      {
        '@odata.context': 'x',
        id: 'x',
        resource: "/me/mailFolders('Inbox')/messages",
        applicationId: MULTI.clientId,
        changeType: 'created,updated',
        clientState: 'secretClientValue',
        notificationUrl: hook.url('/hook?tenant=1'),
        notificationQueryOptions: null,
        lifecycleNotificationUrl: null,
        expirationDateTime: '2025-01-16T12:00:00.0000000Z',
        creatorId: ADELE_ID,
        includeResourceData: false,
        latestSupportedTlsVersion: 'v1_2',
        encryptionCertificate: null,
        encryptionCertificateId: null,
        notificationUrlAppId: null,
      },
    );
    assert.equal(Date.parse(s.expirationDateTime), NOW + 86_400_000);

    assert.equal(hook.requests.length, 1);
    const v = hook.requests[0]!;
    assert.equal(v.path, '/hook');
    assert.equal(v.query.get('tenant'), '1', 'the URL’s own query is kept');
    assert.match(v.query.get('validationToken')!, /^Validation: Testing client application reachability for subscription Request-Id: [0-9a-f-]{36}$/);
    assert.match(v.rawQuery, /^tenant=1&validationToken=Validation%3A\+Testing\+client\+application/, 'encoded the way Graph encodes it');
    assert.equal(v.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(v.body, '');

    assert.equal((await adele.get(`/subscriptions/${s.id}`)).body.id, s.id);
    assert.deepEqual((await adele.get('/subscriptions')).body.value.map((x: { id: string }) => x.id), [s.id]);
    const log = emu.subscriptions.notifications({ subscriptionId: s.id });
    assert.deepEqual(log.map((e) => [e.kind, e.status, e.ok]), [['validation', 200, true]]);
  });

  test('a failed handshake (wrong echo, not 200, too slow, unreachable, lifecycle URL) creates nothing', async () => {
    const cases: [string, Parameters<Receiver['setReply']>[0]][] = [
      ['encoded echo', (r) => ({ status: 200, body: encodeURIComponent(r.query.get('validationToken') ?? '') })],
      ['echo with a newline', (r) => ({ status: 200, body: `${r.query.get('validationToken')}\n` })],
      ['202', (r) => ({ status: 202, body: r.query.get('validationToken') ?? '' })],
      ['too slow', (r) => ({ status: 200, body: r.query.get('validationToken') ?? '', delayMs: 800 })],
    ];
    for (const [label, reply] of cases) {
      hook.setReply(reply);
      const res = await adele.post('/subscriptions', body());
      assertError(res, 400, 'InvalidRequest', VALIDATION_FAILED);
      assert.ok(label);
    }
    const gone = await startReceiver();
    const deadUrl = gone.url();
    await gone.close();
    assertError(await adele.post('/subscriptions', body({ notificationUrl: deadUrl })), 400, 'InvalidRequest', VALIDATION_FAILED);

    // The lifecycle URL is validated on its own, even on the same host.
    hook.setReply((r) => (r.path === '/lifecycle' ? { status: 500 } : { status: 200, body: r.query.get('validationToken') ?? '' }));
    assertError(await adele.post('/subscriptions', body({ lifecycleNotificationUrl: hook.url('/lifecycle') })), 400, 'InvalidRequest', VALIDATION_FAILED);
    assert.deepEqual(hook.requests.slice(-2).map((r) => r.path), ['/notify', '/lifecycle']);

    assert.deepEqual((await adele.get('/subscriptions')).body.value, []);
    assert.deepEqual(emu.subscriptions.list(), []);
    const attempts = emu.subscriptions.notifications({ kind: 'validation' });
    assert.equal(attempts.filter((a) => !a.ok).length, 6);
    assert.match(attempts[3]!.error!, /no answer within 400 ms/);
  });

  test('input rules: required properties, change types, clientState, lifetime, URLs, resources', async () => {
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ expirationDateTime: undefined }, 'InvalidRequest', 'expirationDateTime is a required property for subscription creation.'],
      [{ changeType: undefined }, 'InvalidRequest', 'changeType is a required property for subscription creation.'],
      [{ resource: '' }, 'InvalidRequest', 'resource is a required property for subscription creation.'],
      [{ changeType: 'created,moved' }, 'InvalidRequest', /'changeType'.*'moved'/],
      [{ expirationDateTime: inHours(-1) }, 'ExtensionError', 'Subscription expiration can only be in the future.'],
      [{ expirationDateTime: new Date(NOW + 10081 * 60_000).toISOString() }, 'ExtensionError', 'Subscription expiration can only be 10080 minutes in the future.'],
      [{ clientState: 'x'.repeat(129) }, 'InvalidRequest', /clientState/],
      [{ includeResourceData: true }, 'InvalidRequest', /includeResourceData is not supported by the emulator/],
      [{ notificationUrl: 'not a url' }, 'InvalidRequest', "Invalid notification url='not a url'."],
      [{ notificationUrl: 'ftp://example.com/x' }, 'InvalidRequest', "NotificationUrl scheme='ftp' is not supported."],
      [{ resource: 'me/drive/root' }, 'InvalidRequest', /Invalid 'resource' value 'me\/drive\/root'/],
      [{ resource: 'me/messages?$filter=isRead eq false' }, 'InvalidRequest', /rich notifications/],
      [{ resource: 'me/mailFolders/inbox/childFolders' }, 'InvalidRequest', /Invalid 'resource'/],
      [{ notificationUrlx: 'typo' }, 'BadRequest', 'Could not process subscription creation payload. Are all property names spelled and camelCased properly?'],
    ];
    for (const [patch, code, message] of cases) assertError(await adele.post('/subscriptions', body(patch)), 400, code, message);
    assert.equal(hook.requests.length, 0, 'bad input never reaches the endpoint');
    // The longest lifetime itself is fine, as are the resource spellings Graph accepts.
    await subscribe(adele, { expirationDateTime: new Date(NOW + 10080 * 60_000).toISOString() });
    for (const resource of ['/Me/MailFolders/inbox/Messages', `users/${ADELE}/messages`, `Users('${ADELE_ID}')/mailFolders('${IDS.folders.archive}')/messages`, 'me/events', 'me/calendar/events', 'me/contacts']) {
      await subscribe(adele, { resource });
    }
    assertError(await adele.post('/subscriptions', body({ resource: 'me/mailFolders/nowhere/messages' })), 400, 'ErrorInvalidIdMalformed');
  });

  test('permissions: 403 without read permission; others’ mailboxes need .Shared or an app role', async () => {
    const calendarOnly = client(emu.origins.global, await delegated(emu, ['Calendars.Read']));
    const res = await calendarOnly.post('/subscriptions', body());
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'ExtensionError');
    await subscribe(calendarOnly, { resource: 'me/events' });
    assert.equal((await calendarOnly.post('/subscriptions', body({ resource: 'me/contacts' }))).status, 403);
    assert.equal((await client(emu.origins.global, await delegated(emu, ['Mail.ReadBasic'])).post('/subscriptions', body())).status, 201, 'Mail.ReadBasic is enough');
    assert.equal((await adele.post('/subscriptions', body({ resource: `users/${MEGAN}/messages` }))).status, 403);
    const shared = client(emu.origins.global, await delegated(emu, ['Mail.Read.Shared']));
    assert.equal((await shared.post('/subscriptions', body({ resource: `users/${MEGAN}/messages` }))).status, 201);
    const app = client(emu.origins.global, await appOnly(emu, ['Mail.Read']));
    const appSub = await subscribe(app, { resource: `users/${MEGAN}/mailFolders('inbox')/messages` });
    assert.equal(appSub.applicationId, SINGLE.clientId);
    assert.match(appSub.creatorId, GUID);
    assert.notEqual(appSub.creatorId, SINGLE.clientId, 'the service principal, not the app id');
    assertError(await app.post('/subscriptions', body({ resource: `users/${MEGAN}/events` })), 403, 'ExtensionError');
    assertError(await app.post('/subscriptions', body({ resource: 'me/messages' })), 400, 'BadRequest', /delegated/);
    assertError(await app.post('/subscriptions', body({ resource: 'users/nobody@contoso.onmicrosoft.com/messages' })), 404, 'ErrorInvalidUser');
  });

  test('options: http refused when allowHttpNotificationUrls is false; a custom maximum lifetime', async () => {
    const strict = await start({ now: () => NOW, allowHttpNotificationUrls: false, subscriptionMaxLifetimeMinutes: 60 });
    try {
      const c = client(strict.origins.global, await delegated(strict, ['Mail.Read']));
      assertError(await c.post('/subscriptions', body()), 400, 'InvalidRequest', "NotificationUrl scheme='http' is not supported.");
      assertError(await c.post('/subscriptions', body({ notificationUrl: 'https://example.com/hook', lifecycleNotificationUrl: hook.url('/lc'), expirationDateTime: inHours(0.5) })), 400, 'InvalidRequest', "LifecycleNotificationUrl scheme='http' is not supported.");
      assertError(await c.post('/subscriptions', body({ notificationUrl: 'https://example.com/hook', expirationDateTime: inHours(1.5) })), 400, 'ExtensionError', 'Subscription expiration can only be 60 minutes in the future.');
    } finally {
      await strict.close();
    }
    await assert.rejects(start({ notificationRetryDelaysMs: [-1] }), /notificationRetryDelaysMs/);
  });
});

describe('managing subscriptions', () => {
  test('PATCH renews within the lifetime; the lifecycle URL cannot change; reauthorize; DELETE', async () => {
    const s = await subscribe(adele);
    const renewed = await adele.patch(`/subscriptions/${s.id}`, { expirationDateTime: inHours(48) });
    assert.equal(renewed.status, 200);
    assert.equal(renewed.body.expirationDateTime, '2025-01-17T12:00:00.0000000Z');
    assert.equal(renewed.body.id, s.id);
    assertError(await adele.patch(`/subscriptions/${s.id}`, { expirationDateTime: inHours(24 * 8) }), 400, 'ExtensionError', 'Subscription expiration can only be 10080 minutes in the future.');
    assertError(await adele.patch(`/subscriptions/${s.id}`, { lifecycleNotificationUrl: hook.url('/lc') }), 400, 'InvalidRequest', /lifecycleNotificationUrl/);
    assert.equal((await adele.get(`/subscriptions/${s.id}`)).body.expirationDateTime, '2025-01-17T12:00:00.0000000Z');
    const reauthorized = await adele.post(`/subscriptions/${s.id}/reauthorize`);
    assert.equal(reauthorized.status, 200);
    // Reauthorizing needs a token that may still read the resource.
    assertError(await client(emu.origins.global, await delegated(emu, ['Calendars.Read'])).post(`/subscriptions/${s.id}/reauthorize`), 403, 'ExtensionError');
    assert.equal((await adele.del(`/subscriptions/${s.id}`)).status, 204);
    assertError(await adele.get(`/subscriptions/${s.id}`), 404, 'ResourceNotFound', 'The object was not found.');
    assertError(await adele.del(`/subscriptions/${s.id}`), 404, 'ResourceNotFound');
    assertError(await adele.patch(`/subscriptions/${s.id}`, { expirationDateTime: inHours(2) }), 404, 'ResourceNotFound');
  });

  test('other apps and other users do not see a subscription; an app token sees its app’s', async () => {
    const s = await subscribe(adele);
    const otherApp = client(emu.origins.global, await emu.issueAccessToken({ clientId: SINGLE.clientId, user: ADELE, scopes: ['Mail.Read'] }));
    assertError(await otherApp.get(`/subscriptions/${s.id}`), 404, 'ResourceNotFound');
    assertError(await otherApp.del(`/subscriptions/${s.id}`), 404, 'ResourceNotFound');
    assert.deepEqual((await otherApp.get('/subscriptions')).body.value, []);
    const megan = client(emu.origins.global, await delegated(emu, ['Mail.Read'], MEGAN));
    assertError(await megan.get(`/subscriptions/${s.id}`), 404, 'ResourceNotFound');
    const sameApp = client(emu.origins.global, await emu.issueAccessToken({ clientId: MULTI.clientId, tenant: 'contoso', roles: ['Mail.Read'] }));
    assert.deepEqual((await sameApp.get('/subscriptions')).body.value.map((x: { id: string }) => x.id), [s.id]);
    assertError(await adele.get('/subscriptions/00000000-0000-4000-8000-000000000000'), 404, 'ResourceNotFound');
  });

  test('expired subscriptions are gone: 404 and no notifications (emulator clock, or the admin expire)', async () => {
    const short = await subscribe(adele, { expirationDateTime: inHours(1) });
    const other = await subscribe(adele);
    emu.advanceClock(3601);
    adele = client(emu.origins.global, await delegated(emu, ['Mail.Read']));
    assertError(await adele.get(`/subscriptions/${short.id}`), 404, 'ResourceNotFound');
    assert.deepEqual(emu.subscriptions.list().map((x) => x.id), [other.id]);
    const res = await fetch(`${emu.origins.global}/_emulator/subscriptions/${other.id}/expire`, { method: 'POST' });
    assert.equal(res.status, 204);
    assertError(await adele.get(`/subscriptions/${other.id}`), 404, 'ResourceNotFound');
    addMail('Nobody is listening');
    await emu.subscriptions.whenIdle();
    assert.deepEqual(hook.notifications(), []);
  });
});

describe('change notifications', () => {
  test('created, updated and deleted, with clientState, resource and resourceData, in one POST', async () => {
    const s = await subscribe(adele);
    const id = addMail('Hello');
    emu.mail.update(ADELE, id, { isRead: true });
    const etag = emu.mail.get(ADELE, id)['@odata.etag'];
    await adele.del(`/me/messages/${id}`);
    const [post] = await hook.waitFor(1);
    assert.equal(post!.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(post!.path, '/notify');
    const items = post!.json.value;
    assert.deepEqual(items.map((i: { changeType: string }) => i.changeType), ['created', 'updated', 'deleted'], 'the hidden Recoverable Items copy is not reported');
    const path = `Users/${ADELE_ID}/Messages/${id}`;
    assert.deepEqual({ ...items[1], id: 'x' }, {
      id: 'x',
      subscriptionId: s.id,
      subscriptionExpirationDateTime: s.expirationDateTime,
      changeType: 'updated',
      clientState: 'secretClientValue',
      resource: path,
      tenantId: CONTOSO,
      resourceData: { '@odata.type': '#Microsoft.Graph.Message', '@odata.id': path, '@odata.etag': etag, id },
    });
    assert.equal(typeof items[0].id, 'string');
    assert.notEqual(items[0].id, items[1].id);
    assert.equal(items[2].resourceData['@odata.etag'], undefined, 'a deleted item has no etag');
    await emu.subscriptions.whenIdle();
    assert.deepEqual(emu.subscriptions.get(s.id).notifications, { sent: 3, failed: 0, abandoned: 0, dropped: 0 });
  });

  test('folder subscriptions see their folder only; moves are deleted there and created in the target', async () => {
    const inbox = await subscribe(adele, { resource: "me/mailFolders('inbox')/messages", changeType: 'created', clientState: undefined });
    const archive = await subscribe(adele, { resource: `me/mailFolders/${IDS.folders.archive}/messages`, changeType: 'created,deleted' });
    addMail('Sent one', 'sentitems');
    const inInbox = addMail('Arrives');
    const moved = await adele.post(`/me/messages/${inInbox}/move`, { destinationId: 'archive' });
    await adele.del(`/me/messages/${moved.body.id}`);
    await hook.waitFor(1);
    await emu.subscriptions.flush();
    const items = hook.items();
    const summary = items.map((i) => [i.subscriptionId === inbox.id ? 'inbox' : 'archive', i.changeType, i.resourceData.id]);
    assert.deepEqual(summary, [
      ['inbox', 'created', inInbox],
      ['archive', 'created', moved.body.id],
      ['archive', 'deleted', moved.body.id],
    ]);
    assert.equal(hook.notifications().length, 1, 'two subscriptions with one URL share a POST');
    assert.equal(items[0].clientState, undefined, 'no clientState, none echoed');
  });

  test('events and contacts; a calendar subscription sees that calendar only', async () => {
    const other = (await adele.post('/me/calendars', { name: 'Team' })).body;
    const events = await subscribe(adele, { resource: 'me/events', changeType: 'created' });
    const team = await subscribe(adele, { resource: `me/calendars/${other.id}/events`, changeType: 'created,updated' });
    const contacts = await subscribe(adele, { resource: `users/${ADELE}/contacts`, changeType: 'created' });
    const when = { start: { dateTime: '2025-01-20T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2025-01-20T10:00:00', timeZone: 'UTC' } };
    const mine = emu.calendar.add(ADELE, { subject: 'Default calendar', ...when });
    const teamEvent = emu.calendar.add(ADELE, { subject: 'Team calendar', calendar: other.id, ...when });
    const contact = emu.contacts.add(ADELE, { givenName: 'Ada', surname: 'Lovelace' });
    await hook.waitFor(1);
    await emu.subscriptions.flush();
    const items = hook.items();
    const by = (s: { id: string }) => items.filter((i) => i.subscriptionId === s.id).map((i) => i.resourceData.id);
    assert.deepEqual(by(events), [mine.id, teamEvent.id]);
    assert.deepEqual(by(team), [teamEvent.id]);
    assert.deepEqual(by(contacts), [contact.id]);
    const e = items.find((i) => i.subscriptionId === team.id);
    assert.equal(e.resource, `Users/${ADELE_ID}/Events/${teamEvent.id}`);
    assert.equal(e.resourceData['@odata.type'], '#Microsoft.Graph.Event');
    assert.equal(items.find((i) => i.subscriptionId === contacts.id).resourceData['@odata.type'], '#Microsoft.Graph.Contact');
  });

  test('notifications for different URLs travel separately; more than 100 are split', async () => {
    const second = await startReceiver();
    try {
      await subscribe(adele, { resource: 'me/mailFolders/inbox/messages', changeType: 'created' });
      await subscribe(adele, { resource: 'me/mailFolders/inbox/messages', changeType: 'created', notificationUrl: second.url('/other') });
      for (let i = 0; i < 105; i++) addMail(`Bulk ${i}`);
      await emu.subscriptions.whenIdle();
      assert.deepEqual(hook.notifications().map((r) => r.json.value.length), [100, 5]);
      assert.deepEqual(second.notifications().map((r) => r.json.value.length), [100, 5]);
    } finally {
      await second.close();
    }
  });

  test('a receiver that fails gets retries with backoff; give up after the last; timeouts count as failures', async () => {
    const s = await subscribe(adele, { changeType: 'created' });
    let failures = 2;
    hook.setReply(() => (failures-- > 0 ? { status: 500 } : { status: 202 }));
    const id = addMail('Retry me');
    await emu.subscriptions.whenIdle();
    const attempts = emu.subscriptions.notifications({ subscriptionId: s.id, kind: 'change' });
    assert.deepEqual(attempts.map((a) => [a.attempt, a.status, a.ok]), [[1, 500, false], [2, 500, false], [3, 202, true]]);
    assert.deepEqual(hook.notifications().map((r) => r.json.value[0].resourceData.id), [id, id, id], 'the same notification each time');
    assert.deepEqual(emu.subscriptions.get(s.id).notifications, { sent: 1, failed: 2, abandoned: 0, dropped: 0 });

    hook.setReply(() => ({ status: 202, delayMs: 500 }));
    emu.subscriptions.clearNotifications();
    addMail('Too slow');
    await emu.subscriptions.whenIdle();
    const slow = emu.subscriptions.notifications({ kind: 'change' });
    assert.deepEqual(slow.map((a) => [a.attempt, a.ok, a.error]), [1, 2, 3].map((n) => [n, false, 'no answer within 300 ms']));
    assert.deepEqual(emu.subscriptions.get(s.id).notifications, { sent: 1, failed: 5, abandoned: 1, dropped: 0 });
  });

  test('the drop fault loses the next notifications of one subscription', async () => {
    const s = await subscribe(adele, { changeType: 'created' });
    const res = await fetch(`${emu.origins.global}/_emulator/subscriptions/${s.id}/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 2 }) });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).dropNext, 2);
    addMail('Lost 1');
    addMail('Lost 2');
    const kept = addMail('Delivered');
    await emu.subscriptions.whenIdle();
    assert.deepEqual(hook.items().map((i) => i.resourceData.id), [kept]);
    assert.deepEqual(emu.subscriptions.get(s.id).notifications, { sent: 1, failed: 0, abandoned: 0, dropped: 2 });
  });

  test('a reset removes subscriptions and pending notifications', async () => {
    await subscribe(adele);
    addMail('Pending');
    emu.reset();
    await emu.subscriptions.whenIdle();
    assert.deepEqual(emu.subscriptions.list(), []);
    assert.deepEqual(hook.notifications(), []);
    assert.deepEqual(emu.subscriptions.notifications(), []);
  });
});

describe('lifecycle notifications and the admin API', () => {
  test('reauthorizationRequired, missed and subscriptionRemoved go to the lifecycle URL', async () => {
    const s = await subscribe(adele, { lifecycleNotificationUrl: hook.url('/lifecycle') });
    const send = (event: string) =>
      fetch(`${emu.origins.global}/_emulator/subscriptions/${s.id}/lifecycle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lifecycleEvent: event }) });
    const res = await send('reauthorizationRequired');
    assert.equal(res.status, 202);
    const sent = await res.json();
    const expected = { subscriptionId: s.id, subscriptionExpirationDateTime: s.expirationDateTime, tenantId: CONTOSO, clientState: 'secretClientValue', lifecycleEvent: 'reauthorizationRequired' };
    assert.deepEqual(sent, { url: hook.url('/lifecycle'), body: { value: [expected] } });
    const [post] = await hook.waitFor(1, (r) => r.path === '/lifecycle' && !r.query.has('validationToken'));
    assert.deepEqual(post!.json, { value: [expected] });
    assert.equal(emu.subscriptions.lifecycle(s.id, 'missed').body.value[0]!.lifecycleEvent, 'missed');
    assert.equal((await send('subscriptionRemoved')).status, 202);
    assertError(await adele.get(`/subscriptions/${s.id}`), 404, 'ResourceNotFound');
    const lifecycle = await hook.waitFor(3, (r) => r.path === '/lifecycle' && !r.query.has('validationToken'));
    assert.deepEqual(lifecycle.map((r) => r.json.value[0].lifecycleEvent).sort(), ['missed', 'reauthorizationRequired', 'subscriptionRemoved']);
    await emu.subscriptions.whenIdle();
    assert.equal(emu.subscriptions.notifications({ kind: 'lifecycle' }).length, 3);
    assert.equal((await send('missed')).status, 404, 'it is gone');
  });

  test('admin errors: no lifecycle URL, unknown event or subscription', async () => {
    const s = await subscribe(adele);
    const post = (path: string, b: unknown) => fetch(`${emu.origins.global}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    assert.equal((await post(`/subscriptions/${s.id}/lifecycle`, { lifecycleEvent: 'missed' })).status, 400);
    const withUrl = await subscribe(adele, { lifecycleNotificationUrl: hook.url('/lc') });
    assert.equal((await post(`/subscriptions/${withUrl.id}/lifecycle`, { lifecycleEvent: 'deleted' })).status, 400);
    assert.equal((await post('/subscriptions/00000000-0000-4000-8000-000000000000/drop', { count: 1 })).status, 404);
    assert.equal((await post(`/subscriptions/${s.id}/drop`, { count: -1 })).status, 400);
  });

  test('GET /_emulator/subscriptions lists every app’s subscriptions with counts; the notification log', async () => {
    const mine = await subscribe(adele, { changeType: 'created' });
    const app = await subscribe(client(emu.origins.global, await appOnly(emu, ['Mail.Read'])), { resource: `users/${MEGAN}/messages` });
    addMail('Counted');
    await emu.subscriptions.whenIdle();
    const list = await (await fetch(`${emu.origins.global}/_emulator/subscriptions`)).json();
    assert.deepEqual(list.map((x: { id: string }) => x.id), [mine.id, app.id]);
    assert.deepEqual(list[0].notifications, { sent: 1, failed: 0, abandoned: 0, dropped: 0 });
    assert.deepEqual(list[0].target, { kind: 'message', userId: ADELE_ID });
    assert.equal(list[1].createdBy, 'app');
    const log = await (await fetch(`${emu.origins.global}/_emulator/notifications?subscriptionId=${mine.id}`)).json();
    assert.deepEqual(log.map((e: { kind: string }) => e.kind), ['validation', 'change']);
    assert.equal(log[1].body.value[0].changeType, 'created');
    assert.equal(log[1].url, hook.url());
    assert.match(log[1].at, /^2025-01-15T12:00:00/);
    assert.equal((await fetch(`${emu.origins.global}/_emulator/notifications`, { method: 'DELETE' })).status, 204);
    assert.deepEqual(await (await fetch(`${emu.origins.global}/_emulator/notifications`)).json(), []);
  });
});
