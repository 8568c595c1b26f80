import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, DIEGO, MEGAN, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const IDS = DEFAULT_DATA_IDS.adele.events;
// A fixed clock keeps dates deterministic: Wednesday 2025-01-15 12:00 UTC.
const NOW = Date.parse('2025-01-15T12:00:00Z');
let emu: MicrosoftEmulator;
let adele: Client;
let megan: Client;

before(async () => (emu = await start({ now: () => NOW })));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Calendars.ReadWrite']));
  megan = client(emu.origins.global, await delegated(emu, ['Calendars.ReadWrite'], MEGAN));
});

const meeting = {
  subject: "Let's go for lunch",
  body: { contentType: 'HTML', content: 'Does noon work for you?' },
  start: { dateTime: '2025-01-20T12:00:00', timeZone: 'Pacific Standard Time' },
  end: { dateTime: '2025-01-20T14:00:00', timeZone: 'Pacific Standard Time' },
  location: { displayName: "Harry's Bar" },
  attendees: [{ emailAddress: { address: MEGAN, name: 'Megan Bowen' }, type: 'required' }],
};

function meganCopy(subject: string) {
  return emu.calendar.list(MEGAN).find((e) => e.subject === subject)!;
}

describe('calendars', () => {
  test('list, the default calendar, one by id, create', async () => {
    const list = await adele.get('/me/calendars');
    assert.equal(list.body.value.length, 1);
    const cal = list.body.value[0];
    assert.equal(cal.name, 'Calendar');
    assert.equal(cal.isDefaultCalendar, true);
    assert.deepEqual(cal.owner, { name: 'Adele Vance', address: ADELE });
    assert.equal((await adele.get('/me/calendar')).body.id, cal.id);
    assert.equal((await adele.get(`/me/calendars/${cal.id}`)).body.name, 'Calendar');
    const created = await adele.post('/me/calendars', { name: 'Team' });
    assert.equal(created.status, 201);
    assert.equal(created.body.isDefaultCalendar, false);
    const ev = await adele.post(`/me/calendars/${created.body.id}/events`, { subject: 'Off-site', start: { dateTime: '2025-02-01T09:00:00' }, end: { dateTime: '2025-02-01T17:00:00' } });
    assert.equal(ev.status, 201);
    const inTeam = await adele.get(`/me/calendars/${created.body.id}/events`);
    assert.deepEqual(inTeam.body.value.map((e: { subject: string }) => e.subject), ['Off-site']);
    assert.equal((await adele.get('/me/calendar/events')).body.value.some((e: { subject: string }) => e.subject === 'Off-site'), false);
    assert.equal((await adele.patch(`/me/calendars/${created.body.id}`, { name: 'Team events' })).body.name, 'Team events');
    assertError(await adele.del(`/me/calendars/${cal.id}`), 400, 'ErrorInvalidRequest');
    assert.equal((await adele.del(`/me/calendars/${created.body.id}`)).status, 204);
    assertError(await adele.get(`/me/events/${ev.body.id}`), 404, 'ErrorItemNotFound');
  });
});

describe('events', () => {
  test('create (201): shape, UTC times by default, attendee invited in their own calendar', async () => {
    const res = await adele.post('/me/events', meeting);
    assert.equal(res.status, 201);
    const e = res.body;
    assert.equal(e.subject, "Let's go for lunch");
    assert.equal(e.type, 'singleInstance');
    assert.equal(e.isOrganizer, true);
    assert.deepEqual(e.responseStatus, { response: 'organizer', time: '0001-01-01T00:00:00Z' });
    assert.equal(e.originalStartTimeZone, 'Pacific Standard Time');
    assert.deepEqual(e.start, { dateTime: '2025-01-20T20:00:00.0000000', timeZone: 'UTC' });
    assert.deepEqual(e.end, { dateTime: '2025-01-20T22:00:00.0000000', timeZone: 'UTC' });
    assert.equal(e.location.displayName, "Harry's Bar");
    assert.deepEqual(e.attendees, [{ type: 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: 'Megan Bowen', address: MEGAN } }]);
    assert.deepEqual(e.organizer, { emailAddress: { name: 'Adele Vance', address: ADELE } });
    assert.equal(e.onlineMeeting, null);
    const copy = meganCopy("Let's go for lunch");
    assert.equal(copy.isOrganizer, false);
    assert.equal(copy.iCalUId, e.iCalUId);
    assert.equal((copy.responseStatus as { response: string }).response, 'notResponded');
  });

  test('Prefer: outlook.timezone returns times in that zone and says so', async () => {
    const created = (await adele.post('/me/events', meeting)).body;
    const res = await adele.get(`/me/events/${created.id}`, { headers: { prefer: 'outlook.timezone="Pacific Standard Time"' } });
    assert.deepEqual(res.body.start, { dateTime: '2025-01-20T12:00:00.0000000', timeZone: 'Pacific Standard Time' });
    assert.equal(res.headers.get('preference-applied'), 'outlook.timezone="Pacific Standard Time"');
    const tokyo = await adele.get(`/me/events/${created.id}`, { headers: { prefer: 'outlook.timezone="Tokyo Standard Time"' } });
    assert.equal(tokyo.body.start.dateTime, '2025-01-21T05:00:00.0000000');
  });

  test('isOnlineMeeting gives a Teams join URL; unknown time zones are refused', async () => {
    const res = await adele.post('/me/events', { ...meeting, attendees: [], isOnlineMeeting: true });
    assert.equal(res.body.onlineMeetingProvider, 'teamsForBusiness');
    assert.match(res.body.onlineMeeting.joinUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_/);
    assertError(
      await adele.post('/me/events', { ...meeting, start: { dateTime: '2025-01-20T12:00:00', timeZone: 'Narnia Time' } }),
      400,
      'TimeZoneNotSupportedException',
      "A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Narnia Time'.",
    );
    assertError(await adele.post('/me/events', { subject: 'No times' }), 400, 'ErrorInvalidRequest');
  });

  test('all-day events keep their dates', async () => {
    const res = await adele.post('/me/events', { subject: 'Holiday', isAllDay: true, start: { dateTime: '2025-02-03T00:00:00', timeZone: 'UTC' }, end: { dateTime: '2025-02-04T00:00:00', timeZone: 'UTC' } });
    assert.equal(res.body.isAllDay, true);
    assert.equal(res.body.start.dateTime, '2025-02-03T00:00:00.0000000');
  });

  test('update (PATCH) reaches attendees; delete by the organizer cancels for them', async () => {
    const created = (await adele.post('/me/events', meeting)).body;
    const patched = await adele.patch(`/me/events/${created.id}`, { subject: 'Lunch (moved)', start: { dateTime: '2025-01-21T12:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2025-01-21T13:00:00', timeZone: 'Pacific Standard Time' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.start.dateTime, '2025-01-21T20:00:00.0000000');
    assert.notEqual(patched.body['@odata.etag'], created['@odata.etag']);
    const copy = meganCopy('Lunch (moved)');
    assert.equal((copy.start as { dateTime: string }).dateTime, '2025-01-21T20:00:00.0000000');
    assertError(await adele.patch(`/me/events/${created.id}`, { end: { dateTime: '2025-01-01T00:00:00' } }), 400, 'ErrorInvalidRequest');
    assert.equal((await adele.del(`/me/events/${created.id}`)).status, 204);
    assertError(await adele.get(`/me/events/${created.id}`), 404, 'ErrorItemNotFound');
    const cancelled = meganCopy('Canceled: Lunch (moved)');
    assert.equal(cancelled.isCancelled, true);
  });

  test('accept / tentativelyAccept / decline (202) update the organizer’s attendee list unless sendResponse is false', async () => {
    const created = (await adele.post('/me/events', meeting)).body;
    const copyId = meganCopy("Let's go for lunch").id as string;
    assertError(await adele.post(`/me/events/${created.id}/accept`, {}), 400, 'ErrorInvalidRequest');
    assert.equal((await megan.post(`/me/events/${copyId}/tentativelyAccept`, { comment: 'Maybe', sendResponse: false })).status, 202);
    assert.equal((await adele.get(`/me/events/${created.id}`)).body.attendees[0].status.response, 'none');
    assert.equal((await megan.get(`/me/events/${copyId}`)).body.responseStatus.response, 'tentativelyAccepted');
    assert.equal((await megan.post(`/me/events/${copyId}/accept`, { comment: 'See you', sendResponse: true })).status, 202);
    const organizer = (await adele.get(`/me/events/${created.id}`)).body;
    assert.equal(organizer.attendees[0].status.response, 'accepted');
    assert.equal(organizer.attendees[0].status.time, '2025-01-15T12:00:00Z');
    const mine = (await megan.get(`/me/events/${copyId}`)).body;
    assert.equal(mine.responseStatus.response, 'accepted');
    assert.equal(mine.showAs, 'busy');
    assert.equal((await megan.post(`/me/events/${copyId}/decline`, {})).status, 202);
    assert.equal((await adele.get(`/me/events/${created.id}`)).body.attendees[0].status.response, 'declined');
  });

  test('forward (202) invites new people; cancel (202) is for organizers only', async () => {
    const created = (await adele.post('/me/events', meeting)).body;
    assert.equal((await adele.post(`/me/events/${created.id}/forward`, { ToRecipients: [{ emailAddress: { address: DIEGO } }], Comment: 'Join us' })).status, 202);
    assert.ok(emu.calendar.list(DIEGO).some((e) => e.iCalUId === created.iCalUId));
    const copyId = meganCopy("Let's go for lunch").id as string;
    assertError(await megan.post(`/me/events/${copyId}/cancel`, { Comment: 'no' }), 400, 'ErrorInvalidRequest');
    assert.equal((await adele.post(`/me/events/${created.id}/cancel`, { Comment: 'Sorry' })).status, 202);
    assert.equal(meganCopy("Canceled: Let's go for lunch").isCancelled, true);
  });

  test('list and $filter on start/dateTime', async () => {
    const all = await adele.get('/me/events?$select=subject');
    assert.deepEqual(all.body.value.map((e: { subject: string }) => e.subject).sort(), ['Focus time', 'Quarterly business review', 'Weekly marketing sync']);
    const later = await adele.get("/me/events?$filter=start/dateTime ge '2025-01-16T00:00:00'&$select=subject&$orderby=start/dateTime");
    assert.deepEqual(later.body.value.map((e: { subject: string }) => e.subject), ['Focus time', 'Quarterly business review']);
  });
});

describe('calendarView', () => {
  test('requires startDateTime and endDateTime', async () => {
    assertError(
      await adele.get('/me/calendarView'),
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
    assertError(await adele.get('/me/calendarView?startDateTime=2025-01-01T00:00:00'), 400, 'ErrorInvalidParameter');
    assertError(await adele.get('/me/calendarView?startDateTime=soon&endDateTime=later'), 400, 'ErrorInvalidParameter', "The value 'soon' of parameter 'StartDateTime' is invalid.");
  });

  test('single instances and expanded occurrences in the window, in start order', async () => {
    const res = await adele.get('/me/calendarView?startDateTime=2025-01-13T00:00:00Z&endDateTime=2025-01-28T00:00:00Z&$select=subject,type,start,seriesMasterId&$top=50');
    assert.equal(res.status, 200, res.text);
    const rows = res.body.value.map((e: { subject: string; type: string; start: { dateTime: string } }) => [e.subject, e.type, e.start.dateTime]);
    assert.deepEqual(rows, [
      // Mondays at 10:00 Pacific = 18:00 UTC; the seeded series starts 2025-01-08.
      ['Weekly marketing sync', 'occurrence', '2025-01-13T18:00:00.0000000'],
      ['Focus time', 'singleInstance', '2025-01-16T09:00:00.0000000'],
      ['Quarterly business review', 'singleInstance', '2025-01-17T14:00:00.0000000'],
      ['Weekly marketing sync', 'occurrence', '2025-01-20T18:00:00.0000000'],
      ['Weekly marketing sync', 'occurrence', '2025-01-27T18:00:00.0000000'],
    ]);
    assert.equal(res.body.value[0].seriesMasterId, IDS.weeklySync);
    const viaCalendar = await adele.get('/me/calendar/calendarView?startDateTime=2025-01-16T00:00:00&endDateTime=2025-01-17T00:00:00');
    assert.deepEqual(viaCalendar.body.value.map((e: { subject: string }) => e.subject), ['Focus time']);
  });
});

describe('calendar permissions', () => {
  test('Calendars.Read cannot write; others’ calendars need .Shared or an app role', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Calendars.Read']));
    assert.equal((await reader.get('/me/events')).status, 200);
    assertError(await reader.post('/me/events', meeting), 403, 'ErrorAccessDenied');
    assertError(await reader.get(`/users/${MEGAN}/events`), 403, 'ErrorAccessDenied');
    const shared = client(emu.origins.global, await delegated(emu, ['Calendars.Read.Shared']));
    assert.equal((await shared.get(`/users/${MEGAN}/events`)).status, 200);
    const app = client(emu.origins.global, await appOnly(emu, ['Calendars.ReadWrite']));
    const created = await app.post(`/users/${MEGAN}/calendar/events`, { ...meeting, attendees: [{ emailAddress: { address: ADELE } }] });
    assert.equal(created.status, 201);
    assert.ok(emu.calendar.list(ADELE).some((e) => e.iCalUId === created.body.iCalUId), 'the app’s meeting invites Adele');
    assertError(await app.get('/me/events'), 400, 'BadRequest');
  });
});
