import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, MEGAN, allPages, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const IDS = DEFAULT_DATA_IDS.adele;
// Wednesday 2025-01-15 12:00 UTC; tests move it forward with emu.advanceClock.
const NOW = Date.parse('2025-01-15T12:00:00Z');
let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start({ now: () => NOW })));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite', 'Calendars.ReadWrite']));
});

const INBOX_DELTA = '/me/mailFolders/inbox/messages/delta';
const ids = (values: { id: string }[]) => values.map((v) => v.id);

/** Pages through a round: the values, the links followed, and the deltaLink that ends it. */
async function round(c: Client, url: string, headers: Record<string, string> = {}) {
  const values: any[] = [];
  const pages: any[] = [];
  let next: string | undefined = url;
  for (let i = 0; next; i++) {
    assert.ok(i < 100, 'the round does not end');
    const res = await c.get(next, { headers });
    assert.equal(res.status, 200, res.text);
    pages.push(res);
    values.push(...res.body.value);
    assert.ok(!(res.body['@odata.nextLink'] && res.body['@odata.deltaLink']), 'a page has a nextLink or a deltaLink, not both');
    next = res.body['@odata.nextLink'];
    if (!next) {
      assert.match(res.body['@odata.deltaLink'], /\?\$deltatoken=[A-Za-z0-9_-]+$/);
      return { values, pages, deltaLink: res.body['@odata.deltaLink'] as string };
    }
  }
  throw new Error('unreachable');
}

function addInbox(subject: string, extra: Record<string, unknown> = {}) {
  return emu.mail.add(ADELE, { subject, from: 'Megan Bowen <MeganB@contoso.onmicrosoft.com>', body: 'Hello', ...extra }).id as string;
}

describe('message delta', () => {
  test('the first round pages the folder newest first, ends with a deltaLink, links on the client’s host', async () => {
    for (let i = 0; i < 12; i++) addInbox(`Bulk ${i}`, { receivedDateTime: `now-${i + 1}m` });
    const preferred = await round(adele, INBOX_DELTA, { prefer: 'odata.maxpagesize=4' });
    assert.deepEqual(preferred.pages.map((p) => p.body.value.length), [4, 4, 4, 3]);
    assert.equal(preferred.pages[0].headers.get('preference-applied'), 'odata.maxpagesize=4');
    assert.equal(preferred.pages[0].body['@odata.context'], `${emu.origins.global}/v1.0/$metadata#Collection(message)`);
    const next = preferred.pages[0].body['@odata.nextLink'] as string;
    assert.match(next, new RegExp(`^${emu.origins.global}/v1.0/me/mailFolders/inbox/messages/delta\\?\\$skiptoken=[A-Za-z0-9_-]+$`));
    assert.ok(preferred.deltaLink.startsWith(`${emu.origins.global}/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=`));
    assert.equal(new Set(ids(preferred.values)).size, 15);
    assert.deepEqual(preferred.values.slice(0, 2).map((m) => m.subject), ['Bulk 0', 'Bulk 1'], 'newest first');
    assert.equal(preferred.values[14].id, IDS.messages.welcome, 'the oldest last');
    const m = preferred.values.find((v) => v.id === IDS.messages.q3Plan);
    assert.equal(m.subject, 'Q3 marketing plan - please review');
    assert.match(m['@odata.etag'], /^W\/"/);
    assert.equal(m.parentFolderId, IDS.folders.inbox);

    // Without a preference, pages of 10; the same works by folder id and through the key syntax.
    const plain = await round(adele, `/me/mailFolders('${IDS.folders.inbox}')/messages/delta`);
    assert.deepEqual(plain.pages.map((p) => p.body.value.length), [10, 5]);
    assert.deepEqual(ids(plain.values), ids(preferred.values));
  });

  test('a proxy that keeps the vendor Host gets links on that host', async () => {
    // fetch cannot send another Host header; node:http can.
    const token = await delegated(emu, ['Mail.Read']);
    const body = await new Promise<any>((resolve, reject) => {
      const req = httpGet(`${emu.origins.global}/v1.0${INBOX_DELTA}`, { headers: { host: 'graph.microsoft.com', authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
    });
    assert.ok(body['@odata.deltaLink'].startsWith('https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken='), body['@odata.deltaLink']);
  });

  test('a new message appears once in the next round; a round without changes is empty', async () => {
    const first = await round(adele, INBOX_DELTA);
    emu.advanceClock(60);
    const id = addInbox('Fresh news');
    const second = await round(adele, first.deltaLink);
    assert.deepEqual(ids(second.values), [id]);
    const m = second.values[0];
    assert.equal(m.subject, 'Fresh news');
    assert.equal(m.isRead, false);
    assert.equal(m.createdDateTime, m.lastModifiedDateTime, 'a new message was never modified');
    const third = await round(adele, second.deltaLink);
    assert.deepEqual(third.values, []);
    // A deltaLink can be replayed: the same changes come again.
    assert.deepEqual(ids((await round(adele, first.deltaLink)).values), [id]);
  });

  test('updates appear once, with the latest state and a later lastModifiedDateTime', async () => {
    const first = await round(adele, INBOX_DELTA);
    emu.advanceClock(120);
    assert.equal((await adele.patch(`/me/messages/${IDS.messages.q3Plan}`, { isRead: true })).status, 200);
    assert.equal((await adele.patch(`/me/messages/${IDS.messages.q3Plan}`, { categories: ['Red category'] })).status, 200);
    emu.mail.update(ADELE, IDS.messages.partnership, { flag: { flagStatus: 'complete' } });
    const second = await round(adele, first.deltaLink);
    assert.deepEqual(ids(second.values), [IDS.messages.q3Plan, IDS.messages.partnership]);
    const q3 = second.values[0];
    assert.equal(q3.isRead, true);
    assert.deepEqual(q3.categories, ['Red category']);
    assert.ok(Date.parse(q3.lastModifiedDateTime) - Date.parse(q3.createdDateTime) >= 120_000, 'lastModifiedDateTime moved');
    assert.equal(second.values[1].flag.flagStatus, 'complete');
  });

  test('deleting and moving: @removed in the source folder, created under a new id in the target', async () => {
    const inbox = await round(adele, INBOX_DELTA);
    const archive = await round(adele, '/me/mailFolders/archive/messages/delta');
    assert.deepEqual(archive.values, []);
    assert.equal((await adele.del(`/me/messages/${IDS.messages.welcome}`)).status, 204);
    const moved = await adele.post(`/me/messages/${IDS.messages.q3Plan}/move`, { destinationId: 'archive' });
    assert.equal(moved.status, 201);
    emu.mail.remove(ADELE, IDS.messages.partnership);

    const inboxChanges = await round(adele, inbox.deltaLink);
    assert.deepEqual(inboxChanges.values, [IDS.messages.welcome, IDS.messages.q3Plan, IDS.messages.partnership].map((id) => ({ '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } })));
    const archiveChanges = await round(adele, archive.deltaLink);
    assert.deepEqual(ids(archiveChanges.values), [moved.body.id]);
    assert.equal(archiveChanges.values[0].subject, 'Q3 marketing plan - please review');
    assert.equal(archiveChanges.values[0].parentFolderId, IDS.folders.archive);
  });

  test('a message created and deleted between two rounds is not reported at all', async () => {
    const first = await round(adele, INBOX_DELTA);
    const id = addInbox('Here and gone');
    emu.mail.remove(ADELE, id);
    assert.deepEqual((await round(adele, first.deltaLink)).values, []);
  });

  test('changeType=created reports only new messages in later rounds (the first round has everything)', async () => {
    const first = await round(adele, `${INBOX_DELTA}?changeType=created`);
    assert.equal(first.values.length, 3);
    assert.doesNotMatch(first.deltaLink, /changeType/i, 'options travel inside the token');
    await adele.patch(`/me/messages/${IDS.messages.q3Plan}`, { isRead: true });
    await adele.del(`/me/messages/${IDS.messages.welcome}`);
    const id = addInbox('Created one');
    assert.deepEqual(ids((await round(adele, first.deltaLink)).values), [id]);

    const deletedOnly = await round(adele, `${INBOX_DELTA}?changeType=deleted`);
    await adele.patch(`/me/messages/${IDS.messages.partnership}`, { isRead: true });
    await adele.del(`/me/messages/${id}`);
    addInbox('Another');
    assert.deepEqual((await round(adele, deletedOnly.deltaLink)).values, [{ '@odata.type': '#microsoft.graph.message', id, '@removed': { reason: 'deleted' } }]);

    const updatedOnly = await round(adele, `${INBOX_DELTA}?changeType=updated`);
    addInbox('Yet another');
    await adele.patch(`/me/messages/${IDS.messages.partnership}`, { flag: { flagStatus: 'flagged' } });
    assert.deepEqual(ids((await round(adele, updatedOnly.deltaLink)).values), [IDS.messages.partnership]);
  });

  test('$select and $filter on receivedDateTime are kept for every round', async () => {
    const since = new Date(NOW - 2 * 86_400_000 - 60_000).toISOString();
    const first = await round(adele, `${INBOX_DELTA}?$select=subject,isRead&$filter=receivedDateTime ge ${since}`);
    assert.deepEqual(first.values.map((m) => m.subject).sort(), ['Partnership proposal', 'Q3 marketing plan - please review']);
    assert.deepEqual(Object.keys(first.values[0]).sort(), ['@odata.etag', 'id', 'isRead', 'subject']);
    const recent = addInbox('Recent');
    addInbox('Old news', { receivedDateTime: 'now-30d' });
    const second = await round(adele, first.deltaLink);
    assert.deepEqual(second.values.map((m) => [m.id, Object.keys(m).sort()]), [[recent, ['@odata.etag', 'id', 'isRead', 'subject']]]);
    // gt is strict, and the orderby Graph allows is accepted.
    const received = (await adele.get(`/me/messages/${recent}`)).body.receivedDateTime;
    const gt = await round(adele, `${INBOX_DELTA}?$filter=receivedDateTime gt ${received}&$orderby=receivedDateTime desc`);
    assert.deepEqual(gt.values, []);
  });

  test('$top sets the page size; Prefer can only make it smaller', async () => {
    const top = await round(adele, `${INBOX_DELTA}?$top=2`);
    assert.deepEqual(top.pages.map((p) => p.body.value.length), [2, 1]);
    const both = await round(adele, `${INBOX_DELTA}?$top=2`, { prefer: 'odata.maxpagesize=1' });
    assert.deepEqual(both.pages.map((p) => p.body.value.length), [1, 1, 1]);
  });

  test('options delta cannot take are refused with 400', async () => {
    assertError(await adele.get(`${INBOX_DELTA}?$filter=subject eq 'x'`), 400, 'ErrorInvalidUrlQueryFilter');
    assertError(await adele.get(`${INBOX_DELTA}?$filter=receivedDateTime lt 2025-01-01T00:00:00Z`), 400, 'ErrorInvalidUrlQueryFilter');
    assertError(await adele.get(`${INBOX_DELTA}?$orderby=subject`), 400, 'ErrorInvalidUrlQuery');
    assertError(await adele.get(`${INBOX_DELTA}?$orderby=receivedDateTime asc`), 400, 'ErrorInvalidUrlQuery');
    assertError(await adele.get(`${INBOX_DELTA}?$search="lunch"`), 400, 'ErrorInvalidUrlQuery', /\$search/);
    assertError(await adele.get(`${INBOX_DELTA}?changeType=moved`), 400, 'BadRequest', "Invalid value 'moved' for query option 'changeType'.");
    assertError(await adele.get(`${INBOX_DELTA}?$top=0`), 400, 'BadRequest');
    assertError(await adele.get(`${INBOX_DELTA}?$select=nonsense`), 400, 'RequestBroker--ParseUri');
    assertError(await adele.get('/me/mailFolders/nowhere/messages/delta'), 400, 'ErrorInvalidIdMalformed');
  });

  test('tokens invalidated through the admin fault, after a reset, or garbage: 410 syncStateNotFound', async () => {
    const first = await round(adele, INBOX_DELTA);
    const paging = await adele.get(INBOX_DELTA, { headers: { prefer: 'odata.maxpagesize=1' } });
    const skip = paging.body['@odata.nextLink'];
    assert.equal((await adele.get(first.deltaLink)).status, 200);
    emu.invalidateDeltaTokens();
    assertError(await adele.get(first.deltaLink), 410, 'syncStateNotFound', /^The sync state generation is not found; generation=\d+;\[highest=\d+\]\.$/);
    assertError(await adele.get(skip), 410, 'syncStateNotFound');
    // The HTTP admin fault does the same for the tokens issued since.
    const again = await round(adele, INBOX_DELTA);
    const res = await fetch(`${emu.origins.global}/_emulator/faults/delta-tokens/invalidate`, { method: 'POST' });
    assert.equal(res.status, 200);
    assertError(await adele.get(again.deltaLink), 410, 'syncStateNotFound');
    assertError(await adele.get(`${INBOX_DELTA}?$deltatoken=not-a-token`), 410, 'syncStateNotFound');
    assertError(await adele.get(`${INBOX_DELTA}?$skiptoken=${Buffer.from('{"g":1}').toString('base64url')}`), 410, 'syncStateNotFound');
    const third = await round(adele, INBOX_DELTA);
    emu.reset();
    assertError(await adele.get(third.deltaLink), 410, 'syncStateNotFound');
  });

  test('a token only works for the folder and mailbox it was issued for', async () => {
    const inbox = await round(adele, INBOX_DELTA);
    const token = new URL(inbox.deltaLink).searchParams.get('$deltatoken');
    assertError(await adele.get(`/me/mailFolders/archive/messages/delta?$deltatoken=${token}`), 410, 'syncStateNotFound');
  });

  test('changes made while a round is being paged go to the next round', async () => {
    const page1 = await adele.get(INBOX_DELTA, { headers: { prefer: 'odata.maxpagesize=2' } });
    const late = addInbox('Arrived while paging');
    // A message already listed is deleted: the rest of the round must not lose anything.
    emu.mail.remove(ADELE, page1.body.value[0].id);
    const rest = await round(adele, page1.body['@odata.nextLink'], { prefer: 'odata.maxpagesize=2' });
    assert.deepEqual(ids([...page1.body.value, ...rest.values]), [IDS.messages.partnership, IDS.messages.q3Plan, IDS.messages.welcome]);
    const next = await round(adele, rest.deltaLink);
    assert.deepEqual(next.values.map((v) => v.id), [late, IDS.messages.partnership]);
    assert.ok(next.values[1]['@removed']);

    // Incremental rounds pin their window too: a change during paging waits for the next one.
    const a = addInbox('A');
    const b = addInbox('B');
    const c = addInbox('C');
    const p1 = await adele.get(next.deltaLink, { headers: { prefer: 'odata.maxpagesize=2' } });
    assert.deepEqual(ids(p1.body.value), [a, b]);
    const d = addInbox('D');
    const restOfRound = await round(adele, p1.body['@odata.nextLink']);
    assert.deepEqual(ids(restOfRound.values), [c]);
    assert.deepEqual(ids((await round(adele, restOfRound.deltaLink)).values), [d]);
  });

  test('permissions: Mail.ReadBasic (no bodies), none (403), app-only and other users', async () => {
    const basic = client(emu.origins.global, await delegated(emu, ['Mail.ReadBasic']));
    const first = await round(basic, INBOX_DELTA);
    assert.equal(first.values.length, 3);
    assert.equal(first.values[0].body, undefined);
    assert.equal(first.values[0].bodyPreview, undefined);
    assertError(await client(emu.origins.global, await delegated(emu, ['Calendars.Read'])).get(INBOX_DELTA), 403, 'ErrorAccessDenied');
    assertError(await adele.get(`/users/${MEGAN}/mailFolders/inbox/messages/delta`), 403, 'ErrorAccessDenied');
    const app = client(emu.origins.global, await appOnly(emu, ['Mail.Read']));
    const megan = await round(app, `/users/${MEGAN}/mailFolders/inbox/messages/delta`);
    assert.deepEqual(megan.values.map((m) => m.subject), ['Lunch on Friday?']);
    assert.ok(megan.deltaLink.includes(`/v1.0/users/${MEGAN}/mailFolders/inbox/messages/delta?$deltatoken=`));
    assertError(await client(emu.origins.global, await appOnly(emu, ['Calendars.Read'])).get(`/users/${MEGAN}/mailFolders/inbox/messages/delta`), 403, 'ErrorAccessDenied');
  });

  test('mail delivered by sendMail and admin mail with a past receivedDateTime look new (created = lastModified)', async () => {
    const megan = client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite', 'Mail.Send'], MEGAN));
    const first = await round(adele, INBOX_DELTA);
    emu.advanceClock(30);
    assert.equal((await megan.post('/me/sendMail', { message: { subject: 'Ping', body: { contentType: 'Text', content: 'hi' }, toRecipients: [{ emailAddress: { address: ADELE } }] } })).status, 202);
    addInbox('Backdated', { receivedDateTime: 'now-3d' });
    const second = await round(adele, first.deltaLink);
    assert.deepEqual(second.values.map((m) => m.subject), ['Ping', 'Backdated']);
    for (const m of second.values) assert.equal(m.createdDateTime, m.lastModifiedDateTime, m.subject);
  });
});

describe('calendarView delta', () => {
  const WINDOW = 'startDateTime=2025-01-15T00:00:00Z&endDateTime=2025-01-29T00:00:00Z';
  const event = (subject: string, day: string, extra: Record<string, unknown> = {}) => ({
    subject,
    start: { dateTime: `${day}T09:00:00`, timeZone: 'UTC' },
    end: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' },
    ...extra,
  });

  test('startDateTime and endDateTime are required; $select, $filter and friends are refused', async () => {
    assertError(await adele.get('/me/calendarView/delta'), 400, 'ErrorInvalidParameter', /StartDateTime and EndDateTime/);
    assertError(await adele.get('/me/calendarView/delta?startDateTime=2025-01-15T00:00:00Z'), 400, 'ErrorInvalidParameter');
    assertError(
      await adele.get(`/me/calendarView/delta?${WINDOW}&$select=subject&$filter=isAllDay eq false`),
      400,
      'ErrorInvalidUrlQuery',
      "The following parameters are not supported with change tracking over the 'CalendarView' resource: '$filter, $select'.",
    );
    assertError(await adele.get(`/me/calendarView/delta?${WINDOW}&$orderby=start/dateTime`), 400, 'ErrorInvalidUrlQuery');
    assertError(await client(emu.origins.global, await delegated(emu, ['Mail.Read'])).get(`/me/calendarView/delta?${WINDOW}`), 403, 'ErrorAccessDenied');
  });

  test('the first round is the calendar view (occurrences included), paged; the window travels in the tokens', async () => {
    const view = await allPages(adele, `/me/calendarView?${WINDOW}&$top=100`);
    const first = await round(adele, `/me/calendarView/delta?${WINDOW}`, { prefer: 'odata.maxpagesize=2' });
    assert.deepEqual(new Set(ids(first.values)), new Set(ids(view.values)));
    assert.equal(first.values.length, view.values.length);
    assert.ok(first.values.filter((e) => e.type === 'occurrence' && e.seriesMasterId === IDS.events.weeklySync).length >= 2, 'the weekly series is expanded');
    assert.ok(first.pages.every((p) => p.body.value.length <= 2));
    assert.equal(first.pages[0].body['@odata.context'], `${emu.origins.global}/v1.0/$metadata#Collection(event)`);
    assert.doesNotMatch(first.deltaLink, /startDateTime/);
    const starts = first.values.map((e) => Date.parse(`${e.start.dateTime}Z`));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'earliest first');
  });

  test('later rounds: new and changed events in the window, @removed for deleted ones and those moved out', async () => {
    const first = await round(adele, `/me/calendarView/delta?${WINDOW}`);
    const weeklyOccurrences = ids(first.values.filter((e) => e.seriesMasterId === IDS.events.weeklySync));
    emu.advanceClock(60);
    const inside = (await adele.post('/me/events', event('Planning', '2025-01-20'))).body;
    await adele.post('/me/events', event('Far away', '2025-03-01'));
    assert.equal((await adele.patch(`/me/events/${IDS.events.focusTime}`, { subject: 'Deep work' })).status, 200);
    assert.equal((await adele.patch(`/me/events/${IDS.events.quarterlyReview}`, event('QBR (postponed)', '2025-02-20'))).status, 200);
    assert.equal((await adele.del(`/me/events/${IDS.events.weeklySync}`)).status, 204);

    const second = await round(adele, first.deltaLink);
    const removed = second.values.filter((v) => v['@removed']);
    const present = second.values.filter((v) => !v['@removed']);
    assert.deepEqual(present.map((e) => e.subject), ['Planning', 'Deep work']);
    assert.equal(present[0].id, inside.id);
    assert.ok(Date.parse(present[1].lastModifiedDateTime) > Date.parse(present[1].createdDateTime));
    assert.deepEqual(ids(removed), [IDS.events.quarterlyReview, ...weeklyOccurrences]);
    for (const r of removed) assert.deepEqual(r, { '@odata.type': '#microsoft.graph.event', id: r.id, '@removed': { reason: 'deleted' } });
    assert.deepEqual((await round(adele, second.deltaLink)).values, []);
  });

  test('events added through the admin API appear; a calendar’s own delta sees only that calendar', async () => {
    const other = (await adele.post('/me/calendars', { name: 'Side projects' })).body;
    const all = await round(adele, `/me/calendarView/delta?${WINDOW}`);
    const side = await round(adele, `/me/calendars/${other.id}/calendarView/delta?${WINDOW}`);
    const main = await round(adele, `/me/calendar/calendarView/delta?${WINDOW}`);
    assert.deepEqual(side.values, []);
    const sideEvent = (await adele.post(`/me/calendars/${other.id}/events`, event('Hackathon', '2025-01-22'))).body;
    const adminEvent = emu.calendar.add(ADELE, event('Added by admin', '2025-01-23'));
    assert.deepEqual(ids((await round(adele, all.deltaLink)).values), [sideEvent.id, adminEvent.id]);
    assert.deepEqual(ids((await round(adele, side.deltaLink)).values), [sideEvent.id]);
    assert.deepEqual(ids((await round(adele, main.deltaLink)).values), [adminEvent.id]);
    const token = new URL(side.deltaLink).searchParams.get('$deltatoken');
    assertError(await adele.get(`/me/calendar/calendarView/delta?$deltatoken=${token}`), 410, 'syncStateNotFound');
  });

  test('meeting copies in attendees’ calendars change too; 410 after invalidation', async () => {
    const megan = client(emu.origins.global, await delegated(emu, ['Calendars.Read'], MEGAN));
    const first = await round(megan, `/me/calendarView/delta?${WINDOW}`);
    const meeting = (await adele.post('/me/events', event('Design review', '2025-01-21', { attendees: [{ emailAddress: { address: MEGAN } }] }))).body;
    const second = await round(megan, first.deltaLink);
    assert.deepEqual(second.values.map((e) => e.subject), ['Design review']);
    assert.notEqual(second.values[0].id, meeting.id, 'the attendee has a copy of her own');
    emu.invalidateDeltaTokens();
    assertError(await megan.get(second.deltaLink), 410, 'syncStateNotFound');
  });
});
