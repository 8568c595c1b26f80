import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type MicrosoftEmulator, startMicrosoftEmulator } from '@switchboard/emulator-microsoft';
import { ADELE, APP } from './support/microsoft.ts';
import { type TriggerService, sharedFolder, startReceiver, startTriggerService, waitFor } from './support/triggers.ts';

// Microsoft 365 triggers end to end against the Microsoft Graph emulator, both ways Switchboard
// learns about mail and calendar changes:
//  - polling: a delta query of the mail folder (Graph's @odata.deltaLink kept as the cursor) and
//    a last-modified watermark over the calendar's events, at the connection's interval;
//  - webhooks: a Graph subscription whose notifications (validated, clientState-checked) wake
//    the same read at once, so events carry whole records and filters see every field.
// Both run on the real clock (tokens are checked against it); "the next poll" is made due in the
// store, as the interval passing would make it.

const SCOPES = ['Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'offline_access', 'User.Read', 'openid', 'profile', 'email'];
const MEGAN = 'MeganB@contoso.onmicrosoft.com';
const unique = (text: string) => `${text} ${randomUUID().slice(0, 8)}`;

interface EventItem {
  id: string;
  event: string;
  objectType: string;
  objectId: string;
  payload: { record: Record<string, any>; connector: string; event: string };
}

describe('Microsoft 365 triggers against the Microsoft Graph emulator', () => {
  let s: TriggerService;
  let em: MicrosoftEmulator;
  let folderId: string;
  let adele: string;
  let megan: string;

  before(async () => {
    em = await startMicrosoftEmulator({ port: 0, transferLinks: 'sharepoint' });
    s = await startTriggerService('embedded', { listen: true, env: { SWITCHBOARD_HOST_MAP: em.hostMap } });
    // The app registration lists this instance's callback, as a real one lists the deployment's.
    const app = em.seed.apps.find((a) => a.clientId === APP.clientId)!;
    em.upsertApp({ ...app, redirectUris: [...(app.redirectUris ?? []), `${s.publicUrl}/api/v1/oauth/callback`] });
    folderId = await sharedFolder(s);
    adele = await connect(ADELE);
    // Megan's connection has no polling trigger: her instant triggers' events can only come from notifications.
    megan = await connect(MEGAN);
  });
  after(async () => {
    await s?.close();
    await em?.close();
  });

  async function connect(user: string): Promise<string> {
    const created = await s.api('POST', '/api/v1/connections', {
      body: { folderId, connector: 'microsoft-365', authType: 'oauth2-byoa', fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: 'common', scopes: SCOPES } },
    });
    assert.equal(created.statusCode, 202, created.body);
    const location = new URL(await em.consent(created.json().authorizationUrl, { user }));
    const done = await s.api('GET', location.pathname + location.search, { key: null, headers: { accept: 'application/json' } });
    assert.equal(done.statusCode, 200, done.body);
    return created.json().id as string;
  }

  async function trigger(body: Record<string, unknown>, connectionId = adele): Promise<string> {
    const res = await s.api('POST', '/api/v1/triggers', { body: { connectionId, target: { type: 'queue' }, ...body } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  }

  async function events(id: string): Promise<EventItem[]> {
    const res = await s.api('GET', `/api/v1/triggers/${id}/events`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items;
  }

  async function view(id: string) {
    return (await s.api('GET', `/api/v1/triggers/${id}`)).json();
  }

  async function lastFinished(conn: string): Promise<number> {
    const [row] = await s.sb.db.query<{ last_finished_at: Date | null }>('SELECT last_finished_at FROM trigger_polls WHERE connection_id = $1', [conn]);
    return row?.last_finished_at?.getTime() ?? 0;
  }

  /** The connection's next poll, as if its interval had passed; waits until it finished. */
  async function poll(conn = adele): Promise<void> {
    const before = await lastFinished(conn);
    await s.sb.db.query('UPDATE trigger_polls SET next_poll_at = $2 WHERE connection_id = $1', [conn, new Date(Date.now() - 1000)]);
    await s.sb.triggerEngine.tick();
    await waitFor('the poll', async () => (await lastFinished(conn)) > before);
  }

  async function firstPoll(id: string): Promise<void> {
    await waitFor('the first poll', async () => (await view(id)).health.polls > 0);
  }

  async function remove(...ids: string[]): Promise<void> {
    for (const id of ids) assert.equal((await s.api('DELETE', `/api/v1/triggers/${id}`)).statusCode, 204);
  }

  /** Graph requests the emulator saw whose path ends like this. */
  const graphCalls = (suffix: string) => em.requests().filter((r) => r.path.split('?')[0]!.endsWith(suffix));

  describe('polling', () => {
    test('Email Received: a new email fires once with the whole message, through a Graph delta link', async () => {
      em.mail.add(ADELE, { subject: unique('Before the trigger'), from: MEGAN });
      const id = await trigger({ trigger: 'email-received' });
      await firstPoll(id);
      assert.equal((await events(id)).length, 0, 'what was in the inbox before the trigger does not fire');

      const subject = unique('Quarterly numbers');
      const mail = em.mail.add(ADELE, { subject, from: `Megan Bowen <${MEGAN}>`, body: 'See attached.' }) as { id: string };
      await poll();
      const fired = await events(id);
      assert.equal(fired.length, 1);
      assert.equal(fired[0]!.event, 'received');
      assert.equal(fired[0]!.objectType, 'message');
      assert.equal(fired[0]!.objectId, mail.id);
      assert.equal(fired[0]!.payload.record.subject, subject);
      assert.equal(fired[0]!.payload.record.from.emailAddress.address, MEGAN);

      const [row] = await s.sb.db.query<{ cursor: { deltaLink?: string } }>('SELECT cursor FROM triggers WHERE id = $1', [id]);
      assert.match(row!.cursor.deltaLink ?? '', /\/mailFolders\/inbox\/messages\/delta\?.*deltatoken=/i, 'the cursor is Graph\'s delta link');
      const deltaCalls = graphCalls('/messages/delta').length;
      await poll();
      assert.equal(graphCalls('/messages/delta').length, deltaCalls + 1, 'one delta request per poll when nothing changed');

      await poll();
      assert.equal((await events(id)).length, 1, 'an unchanged email never fires twice');
      em.mail.update(ADELE, mail.id, { isRead: true });
      await poll();
      assert.equal((await events(id)).length, 1, 'reading it is not a new email');
      await remove(id);
    });

    test('a filter drops what it should: Email Received from one sender only', async () => {
      const id = await trigger({
        trigger: 'email-received',
        filter: { all: [{ field: 'from.emailAddress.address', op: 'eq', value: MEGAN }] },
      });
      await firstPoll(id);
      const wanted = em.mail.add(ADELE, { subject: unique('From Megan'), from: MEGAN }) as { id: string };
      em.mail.add(ADELE, { subject: unique('Newsletter'), from: 'news@fabrikam.example' });
      await poll();
      const fired = await events(id);
      assert.deepEqual(fired.map((e) => e.objectId), [wanted.id]);
      await remove(id);
    });

    test('Email Received watches the chosen folder only; Email Sent and Email Moved to Trash fire on theirs', async () => {
      const folder = em.mail.addFolder(ADELE, { displayName: unique('Invoices') }) as { id: string };
      const inFolder = await trigger({ trigger: 'email-received', input: { folder: folder.id } });
      const sent = await trigger({ trigger: 'email-sent' });
      const trashed = await trigger({ trigger: 'email-moved-to-trash' });
      await firstPoll(inFolder);
      await firstPoll(sent);
      await firstPoll(trashed);

      em.mail.add(ADELE, { subject: unique('To the inbox') });
      const invoice = em.mail.add(ADELE, { subject: unique('Invoice 42'), folder: folder.id }) as { id: string };
      const subject = unique('Sent by the activity');
      const run = await s.api('POST', `/api/v1/connections/${adele}/activities/send-email`, { body: { input: { to: [MEGAN], subject, body: 'Hello' } } });
      assert.equal(run.statusCode, 200, run.body);
      const doomed = em.mail.add(ADELE, { subject: unique('Spam') }) as { id: string };
      // Outlook's Delete moves to Deleted Items (Graph's DELETE goes past it to Recoverable Items).
      const del = await s.api('POST', `/api/v1/connections/${adele}/activities/move-email`, { body: { input: { messageId: doomed.id, destinationFolder: 'deleteditems' } } });
      assert.equal(del.statusCode, 200, del.body);
      await poll();

      assert.deepEqual((await events(inFolder)).map((e) => e.objectId), [invoice.id]);
      const sentEvents = await events(sent);
      assert.equal(sentEvents.length, 1);
      assert.equal(sentEvents[0]!.event, 'sent');
      assert.equal(sentEvents[0]!.payload.record.subject, subject);
      const trashEvents = await events(trashed);
      assert.equal(trashEvents.length, 1);
      assert.equal(trashEvents[0]!.event, 'moved-to-trash');
      assert.equal(trashEvents[0]!.payload.record.subject.startsWith('Spam'), true);
      await remove(inFolder, sent, trashed);
    });

    test('Calendar Event Created and Updated: a new event fires Created only; a change fires Updated once', async () => {
      const created = await trigger({ trigger: 'calendar-event-created' });
      const updated = await trigger({ trigger: 'calendar-event-updated' });
      await firstPoll(created);
      await firstPoll(updated);

      const subject = unique('Planning');
      const ev = em.calendar.add(ADELE, { subject, start: { dateTime: 'today+1d@10:00' }, end: { dateTime: 'today+1d@11:00' } }) as { id: string };
      // Changed twenty seconds later, before anyone looked: still a new event, since it was created
      // after the last poll (comparing its creation and modification times would say "changed").
      em.advanceClock(20);
      em.calendar.update(ADELE, ev.id, { subject: `${subject} (room 4)` });
      await poll();
      assert.deepEqual((await events(created)).map((e) => [e.event, e.objectId]), [['created', ev.id]]);
      assert.equal((await events(updated)).length, 0, 'a new event is not an update');

      await poll();
      assert.equal((await events(created)).length, 1);
      assert.equal((await events(updated)).length, 0, 'nothing changed: nothing fires');

      em.calendar.update(ADELE, ev.id, { subject: `${subject} (moved)` });
      await poll();
      const changes = await events(updated);
      assert.deepEqual(changes.map((e) => [e.event, e.objectId]), [['updated', ev.id]]);
      assert.equal(changes[0]!.payload.record.subject, `${subject} (moved)`);
      assert.equal((await events(created)).length, 1, 'a change is not a new event');
      await remove(created, updated);
    });

    test('an expired delta link starts over from now, with a notice', async () => {
      const id = await trigger({ trigger: 'email-received' });
      await firstPoll(id);
      await poll();
      em.invalidateDeltaTokens();
      await poll();
      const notices = (await s.api('GET', `/api/v1/triggers/${id}/notices`)).json().items as Array<{ type: string }>;
      assert.ok(notices.some((n) => n.type === 'cursor.reset'), 'the reset is recorded for notifications');
      const later = em.mail.add(ADELE, { subject: unique('After the reset') }) as { id: string };
      await poll();
      assert.deepEqual((await events(id)).map((e) => e.objectId), [later.id], 'the trigger goes on from the new delta link');
      assert.equal((await view(id)).status, 'Enabled');
      await remove(id);
    });
  });

  describe('instant, through Graph change notifications', () => {
    const subscriptionOf = (triggerWebhookUrl: string) => em.subscriptions.list().find((x) => x.notificationUrl === triggerWebhookUrl);
    const notified = async () => {
      await em.subscriptions.flush();
      await em.subscriptions.whenIdle();
    };

    test('Email Received (instant): Graph validates the URL, a new email is delivered at once, signed, with the whole message', async () => {
      const receiver = await startReceiver();
      try {
        const res = await s.api('POST', '/api/v1/triggers', {
          body: { connectionId: megan, trigger: 'email-received-instant', target: { type: 'webhook', url: receiver.url },
            filter: { all: [{ field: 'subject', op: 'startsWith', value: 'Invoice' }] } },
        });
        assert.equal(res.statusCode, 201, res.body);
        const t = res.json();
        const sub = subscriptionOf(t.webhookUrl);
        assert.ok(sub, 'a Graph subscription points at the trigger\'s URL');
        assert.match(sub.resource, /^\/me\/mailFolders\('inbox'\)\/messages$/);
        assert.equal(sub.changeType, 'created');
        assert.equal(sub.lifecycleNotificationUrl, t.webhookUrl);
        assert.ok(sub.clientState && sub.clientState.length <= 128);
        assert.ok(!JSON.stringify(t).includes(sub.clientState!), 'the client state never leaves the vault');
        const validation = em.subscriptions.notifications({ subscriptionId: sub.id }).find((n) => n.kind === 'validation');
        assert.equal(validation?.status, 200, 'Switchboard answered the validationToken handshake');
        assert.equal(t.subscription.status, 'Active');
        assert.equal(Date.parse(t.subscription.expiresAt), Date.parse(sub.expirationDateTime));
        const pollsBefore = graphCalls('/messages/delta').length;

        const invoice = em.mail.add(MEGAN, { subject: unique('Invoice 7'), from: ADELE }) as { id: string; subject: string };
        em.mail.add(MEGAN, { subject: unique('Lunch?'), from: ADELE });
        await notified();
        const delivered = await waitFor('the delivery', () => receiver.deliveries.length > 0 && receiver.deliveries);
        const fired = await events(t.id);
        assert.deepEqual(fired.map((e) => e.objectId), [invoice.id], 'one event, the filter dropped the other email');
        assert.equal(fired[0]!.event, 'received');
        assert.equal(fired[0]!.payload.record.subject, invoice.subject, 'the whole message, read after the notification');
        assert.ok(graphCalls('/messages/delta').length > pollsBefore, 'the notification woke the delta read');
        assert.equal(delivered[0]!.json.id, fired[0]!.id);
        assert.equal((delivered[0]!.json.record as { subject: string }).subject, invoice.subject);
        assert.ok(delivered[0]!.headers['webhook-signature'], 'Standard Webhooks signature');

        em.mail.update(MEGAN, invoice.id, { isRead: true });
        await notified();
        await s.sb.triggerEngine.tick();
        await new Promise((r) => setTimeout(r, 300));
        assert.equal((await events(t.id)).length, 1, 'reading the email is not a new one');
        await remove(t.id);
        assert.equal(subscriptionOf(t.webhookUrl), undefined, 'deleting the trigger deletes the Graph subscription');
      } finally {
        await receiver.close();
      }
    });

    test('Calendar Event Updated (instant): a change delivers Updated with the event', async () => {
      const id = await trigger({ trigger: 'calendar-event-updated-instant' }, megan);
      const t = await view(id);
      // Creations too: the read must have seen an event to tell a later change of it.
      assert.equal(subscriptionOf(t.webhookUrl)?.changeType, 'created,updated');
      const ev = em.calendar.add(MEGAN, { subject: unique('Design review'), start: { dateTime: 'today+2d@09:00' }, end: { dateTime: 'today+2d@10:00' } }) as { id: string; subject: string };
      await notified();
      await waitFor('the read after the creation', async () => {
        const [row] = await s.sb.db.query<{ cursor: { seen: Record<string, unknown> } }>('SELECT cursor FROM triggers WHERE id = $1', [id]);
        return row!.cursor.seen[ev.id] !== undefined;
      });
      assert.equal((await events(id)).length, 0, 'a new event is not an update');
      em.calendar.update(MEGAN, ev.id, { subject: `${ev.subject} (new room)` });
      await notified();
      const fired = await waitFor('the Updated event', async () => {
        const list = await events(id);
        return list.length > 0 && list;
      });
      assert.deepEqual(fired.map((e) => [e.event, e.objectId]), [['updated', ev.id]]);
      assert.equal(fired[0]!.payload.record.subject, `${ev.subject} (new room)`);
      await remove(id);
    });

    test('tampered, unsigned and forged notifications are refused and store nothing', async () => {
      const id = await trigger({ trigger: 'email-received-instant' }, megan);
      const t = await view(id);
      const sub = subscriptionOf(t.webhookUrl)!;
      const item = (clientState?: string) => ({
        value: [{ subscriptionId: sub.id, changeType: 'created', resource: 'Users/x/Messages/y', tenantId: 'x', resourceData: { id: 'y' }, ...(clientState !== undefined ? { clientState } : {}) }],
      });
      const post = (body: unknown) => fetch(t.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post(item('forged-client-state'))).status, 401);
      assert.equal((await post(item())).status, 401, 'no clientState at all');
      assert.equal((await post(item(`${sub.clientState}x`))).status, 401, 'a clientState that only starts right');
      const notices = await fetch(t.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
      assert.equal(notices.status, 400);
      await s.sb.triggerEngine.tick();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await events(id)).length, 0);
      await remove(id);
    });

    test('lifecycle: missed notifications are caught up through delta; a removed subscription is re-created; reauthorization renews', async () => {
      const id = await trigger({ trigger: 'email-received-instant' }, megan);
      const t = await view(id);
      const sub = subscriptionOf(t.webhookUrl)!;
      // The read where the trigger starts, then the one right after subscribing: both done.
      await waitFor('the read after subscribing', async () => (await s.sb.db.query<{ cursor_version: number }>('SELECT cursor_version FROM triggers WHERE id = $1', [id]))[0]!.cursor_version >= 2);

      em.subscriptions.drop(sub.id, 1);
      const lost = em.mail.add(MEGAN, { subject: unique('Never notified') }) as { id: string };
      await notified();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await events(id)).length, 0, 'the notification was lost');
      em.subscriptions.lifecycle(sub.id, 'missed');
      await notified();
      await waitFor('the catch-up', async () => (await events(id)).some((e) => e.objectId === lost.id));

      const patches = graphCalls(`/subscriptions/${sub.id}`).filter((r) => r.method === 'PATCH').length;
      em.subscriptions.lifecycle(sub.id, 'reauthorizationRequired');
      await notified();
      await waitFor('the renewal', () => graphCalls(`/subscriptions/${sub.id}`).filter((r) => r.method === 'PATCH').length > patches);

      em.subscriptions.lifecycle(sub.id, 'subscriptionRemoved');
      const meanwhile = em.mail.add(MEGAN, { subject: unique('While unsubscribed') }) as { id: string };
      await notified();
      const again = await waitFor('a new subscription', () => {
        const next = subscriptionOf(t.webhookUrl);
        return next && next.id !== sub.id && next;
      });
      await waitFor('the email received while unsubscribed', async () => (await events(id)).some((e) => e.objectId === meanwhile.id));
      const notices = (await s.api('GET', `/api/v1/triggers/${id}/notices`)).json().items as Array<{ type: string }>;
      assert.ok(notices.some((n) => n.type === 'subscription.recreated'));
      assert.equal((await view(id)).subscription.vendorId, again.id);

      const after = em.mail.add(MEGAN, { subject: unique('After re-subscribing') }) as { id: string };
      await notified();
      await waitFor('notifications of the new subscription', async () => (await events(id)).some((e) => e.objectId === after.id));
      const ids = (await events(id)).map((e) => e.objectId);
      assert.equal(new Set(ids).size, ids.length, 'no email fired twice');
      await remove(id);
    });

    test('deleting the connection deletes its triggers and their Graph subscriptions', async () => {
      const conn = await connect(MEGAN);
      const id = await trigger({ trigger: 'email-received-instant' }, conn);
      const url = (await view(id)).webhookUrl as string;
      assert.ok(subscriptionOf(url));
      const deleted = await s.api('DELETE', `/api/v1/connections/${conn}`);
      assert.equal(deleted.statusCode, 200, deleted.body);
      assert.equal(subscriptionOf(url), undefined, 'deleted at Graph while the credentials still worked');
      assert.equal((await s.api('GET', `/api/v1/triggers/${id}`)).statusCode, 404);
      const late = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: [] }) });
      assert.equal(late.status, 404, 'its URL no longer answers');
    });

    test('the subscription is renewed before it expires', async () => {
      const id = await trigger({ trigger: 'calendar-event-created-instant' }, megan);
      const t = await view(id);
      const sub = subscriptionOf(t.webhookUrl)!;
      const first = Date.parse(sub.expirationDateTime);
      assert.ok(first - Date.now() > 60 * 3600_000, 'a lifetime of about 70 hours');
      // Six hours before the end, as the definition says; the store is told it is that time.
      const [row] = await s.sb.db.query<{ renew_at: Date }>('SELECT renew_at FROM trigger_subscriptions WHERE trigger_id = $1', [id]);
      assert.equal(first - row!.renew_at.getTime(), 6 * 3600_000);
      await s.sb.db.query('UPDATE trigger_subscriptions SET renew_at = $2 WHERE trigger_id = $1', [id, new Date(Date.now() - 1000)]);
      await s.sb.triggerEngine.tick();
      await waitFor('the renewal', () => Date.parse(subscriptionOf(t.webhookUrl)?.expirationDateTime ?? '0') > first);
      assert.equal(subscriptionOf(t.webhookUrl)!.id, sub.id, 'renewed, not replaced');
      await remove(id);
    });
  });

});
