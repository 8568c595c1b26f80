import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ActivityClient } from './support/activity-client.ts';
import { ADELE, APP, CONTOSO, type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';

// Every Microsoft 365 activity, run through the API against the Microsoft Graph emulator: what
// the activity sends is checked by what the emulator then holds (a sent email is in the
// recipient's inbox, an uploaded file downloads the same), and every output is held to the
// activity's output schema by ActivityClient.

const MEGAN = 'MeganB@contoso.onmicrosoft.com';
const SCOPES = [
  'Mail.Read', 'Mail.Read.Shared', 'Mail.ReadWrite', 'Mail.ReadWrite.Shared', 'Mail.Send', 'Mail.Send.Shared', 'MailboxSettings.ReadWrite',
  'Calendars.Read', 'Calendars.Read.Shared', 'Calendars.ReadWrite', 'Calendars.ReadWrite.Shared', 'Contacts.ReadWrite',
  'Files.ReadWrite.All', 'Sites.ReadWrite.All', 'offline_access', 'User.Read', 'openid', 'profile', 'email',
];

const unique = (text: string) => `${text} ${randomUUID().slice(0, 8)}`;
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
/** An OData string literal for filters written by hand in tests. */
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

interface Message {
  id: string;
  subject: string;
  isRead: boolean;
  categories: string[];
  parentFolderId: string;
  hasAttachments: boolean;
  body: { contentType: string; content: string };
  [field: string]: any;
}

describe('Microsoft 365 activities against the Microsoft Graph emulator', () => {
  let m: MicrosoftSetup;
  let a: ActivityClient;
  let adele: string;
  let megan: string;

  before(async () => {
    m = await startWithEmulator();
    adele = (await connectDelegated(m, { scopes: SCOPES })).id;
    megan = (await connectDelegated(m, { user: MEGAN, scopes: SCOPES })).id;
    a = await ActivityClient.for(m.s, 'microsoft-365');
  });
  after(() => m.close());

  /** The emails with this exact subject in a folder of a connection's mailbox. */
  const find = (connection: string, subject: string, folder = 'inbox', extra: Record<string, unknown> = {}) =>
    a.out<Message[]>(connection, 'get-emails', { folder, filter: `subject eq ${lit(subject)}`, ...extra });

  /** Sends a plain email from Adele to Megan and returns Megan's copy. */
  async function mailToMegan(subject = unique('Hello')): Promise<Message> {
    await a.out(adele, 'send-email', { to: [MEGAN], subject, body: 'Plain text.' });
    const [copy] = await find(megan, subject);
    assert.ok(copy, `Megan received "${subject}"`);
    return copy;
  }

  describe('mail', () => {
    test('Send Email: HTML body, cc, bcc, reply-to, importance and an attachment reach the recipient', async () => {
      const subject = unique("Quarterly report (O'Brien)");
      const pdf = Buffer.from('%PDF-1.7 pretend pdf \u0000\u00ff');
      const sent = await a.run(adele, 'send-email', {
        to: [MEGAN], cc: ['partner@fabrikam.example'], bcc: ['auditor@fabrikam.example'], replyTo: ['reports@contoso.onmicrosoft.com'],
        subject, body: '<p>See <b>attached</b>.</p>', bodyType: 'HTML', importance: 'high',
        attachments: [{ name: 'q1.pdf', contentType: 'application/pdf', contentBase64: pdf.toString('base64') }],
      });
      assert.deepEqual(sent.output, { sent: true });
      assert.equal(sent.meta.calls, 1);

      const [copy] = await find(megan, subject);
      assert.ok(copy, 'in Megan\'s inbox');
      assert.equal(copy.isRead, false);
      assert.equal(copy.importance, 'high');
      assert.equal(copy.hasAttachments, true);
      assert.equal(copy.body.contentType, 'html');
      assert.match(copy.body.content, /<b>attached<\/b>/);
      assert.deepEqual(copy.ccRecipients.map((r: any) => r.emailAddress.address), ['partner@fabrikam.example']);
      assert.deepEqual(copy.bccRecipients ?? [], [], 'bcc is not shown to recipients');
      assert.deepEqual(copy.replyTo.map((r: any) => r.emailAddress.address), ['reports@contoso.onmicrosoft.com']);
      assert.equal(copy.from.emailAddress.address.toLowerCase(), ADELE.toLowerCase());

      const attachments = await a.out<any[]>(megan, 'list-email-attachments', { messageId: copy.id });
      assert.equal(attachments.length, 1);
      assert.equal(attachments[0].name, 'q1.pdf');
      assert.equal(attachments[0].size > 0, true);
      assert.equal(attachments[0].contentBytes, undefined, 'no content in the listing');
      const file = await a.out(megan, 'download-email-attachment', { messageId: copy.id, attachmentId: attachments[0].id });
      assert.equal(file.fileName, 'q1.pdf');
      assert.equal(file.contentType, 'application/pdf');
      assert.deepEqual(Buffer.from(file.contentBase64, 'base64'), pdf);

      const sentCopy = await find(adele, subject, 'sentitems');
      assert.equal(sentCopy.length, 1, 'a copy in Sent Items');
    });

    test('Download Email: the .eml as base64 JSON, or its bytes with Accept: application/octet-stream', async () => {
      const copy = await mailToMegan(unique('MIME'));
      const eml = await a.out(megan, 'download-email', { messageId: copy.id });
      const text = Buffer.from(eml.contentBase64, 'base64').toString('utf8');
      assert.match(text, new RegExp(`Subject: ${copy.subject}`));
      assert.equal(eml.size, Buffer.from(eml.contentBase64, 'base64').length);
      const raw = await a.call(megan, 'download-email', { messageId: copy.id }, { accept: 'application/octet-stream' });
      assert.equal(raw.statusCode, 200, raw.body);
      assert.match(raw.headers['content-type'] as string, /message\/rfc822|text\/plain|octet-stream/);
      assert.equal(raw.rawPayload.toString('utf8'), text);
      assert.match(raw.headers['content-disposition'] as string, /^attachment/);
    });

    test('Send Email with saveAsDraft makes a draft; Send Draft Email sends it', async () => {
      const subject = unique('Draft');
      const { sent, draft } = await a.out(adele, 'send-email', { to: [MEGAN], subject, body: 'later', saveAsDraft: true });
      assert.equal(sent, false);
      assert.equal(draft.isDraft, true);
      assert.equal(draft.subject, subject);
      assert.equal((await find(adele, subject, 'drafts')).length, 1);
      assert.equal((await find(megan, subject)).length, 0, 'not sent yet');
      assert.equal(await a.out(adele, 'send-draft-email', { messageId: draft.id }), null);
      assert.equal((await find(megan, subject)).length, 1);
      assert.equal((await find(adele, subject, 'drafts')).length, 0);
    });

    test('Reply, Reply All and Forward', async () => {
      const subject = unique('Question');
      await a.out(adele, 'send-email', { to: [MEGAN], cc: ['partner@fabrikam.example'], subject, body: 'Can you?' });
      const [question] = await find(megan, subject);
      assert.equal(await a.out(megan, 'reply-to-email', { messageId: question!.id, comment: 'Yes I can.' }), null);
      const [reply] = await find(adele, `RE: ${subject}`);
      assert.ok(reply, 'the reply reached Adele');
      assert.match(reply.body.content, /Yes I can\./);
      assert.deepEqual(reply.toRecipients.map((r: any) => r.emailAddress.address.toLowerCase()), [ADELE.toLowerCase()]);

      await a.out(megan, 'reply-all-to-email', { messageId: question!.id, comment: 'Everyone: yes.', attachments: [{ name: 'note.txt', contentType: 'text/plain', contentBase64: b64('note') }] });
      const all = (await find(adele, `RE: ${subject}`)).find((x) => /Everyone/.test(x.body.content));
      assert.ok(all, 'the reply-all reached Adele');
      assert.ok(all.ccRecipients.some((r: any) => r.emailAddress.address === 'partner@fabrikam.example'), 'and kept the cc');
      assert.equal(all.hasAttachments, true);

      await a.out(megan, 'forward-email', { messageId: question!.id, to: [ADELE], comment: 'FYI' });
      const [forwarded] = await find(adele, `FW: ${subject}`);
      assert.ok(forwarded, 'the forward reached Adele');
      assert.match(forwarded.body.content, /FYI/);
    });

    test('Get Email By Id, Mark As Read and Unread, Add and Remove Categories', async () => {
      const copy = await mailToMegan();
      const got = await a.out<Message>(megan, 'get-email-by-id', { messageId: copy.id, bodyType: 'text' });
      assert.equal(got.id, copy.id);
      assert.equal(got.body.contentType, 'text', 'Prefer: outlook.body-content-type');
      assert.equal((await a.out<Message>(megan, 'mark-email-as-read', { messageId: copy.id })).isRead, true);
      assert.equal((await a.out<Message>(megan, 'get-email-by-id', { messageId: copy.id })).isRead, true);
      assert.equal((await a.out<Message>(megan, 'mark-email-as-unread', { messageId: copy.id })).isRead, false);

      assert.deepEqual((await a.out<Message>(megan, 'add-email-categories', { messageId: copy.id, categories: ['Red category', 'Blue category'] })).categories, ['Red category', 'Blue category']);
      assert.deepEqual((await a.out<Message>(megan, 'add-email-categories', { messageId: copy.id, categories: ['blue category', 'Green category'] })).categories, ['Red category', 'Blue category', 'Green category'], 'kept, no duplicate');
      assert.deepEqual((await a.out<Message>(megan, 'remove-email-categories', { messageId: copy.id, categories: ['RED CATEGORY', 'Purple category'] })).categories, ['Blue category', 'Green category']);
      assert.deepEqual((await a.out<Message>(megan, 'get-email-by-id', { messageId: copy.id })).categories, ['Blue category', 'Green category']);
    });

    test('Move, Archive and Delete Email; Get Email Folders List and child folders', async () => {
      const folder = await a.out(megan, 'create-mail-folder', { record: { displayName: unique('Projects') } });
      const folders = await a.out<any[]>(megan, 'get-email-folders');
      assert.ok(folders.some((f) => f.id === folder.id));
      assert.ok(folders.some((f) => f.displayName === 'Inbox'));
      assert.deepEqual(await a.out<any[]>(megan, 'get-email-folders', { parentFolderId: folder.id }), []);

      const one = await mailToMegan();
      const moved = await a.out<Message>(megan, 'move-email', { messageId: one.id, destinationFolder: folder.id });
      assert.equal(moved.parentFolderId, folder.id);
      assert.equal((await find(megan, one.subject, folder.id)).length, 1);
      assert.equal((await find(megan, one.subject)).length, 0);

      const two = await mailToMegan();
      const archived = await a.out<Message>(megan, 'archive-email', { messageId: two.id });
      assert.equal((await find(megan, two.subject, 'archive')).length, 1);
      assert.equal(archived.subject, two.subject);

      const three = await mailToMegan();
      assert.equal(await a.out(megan, 'delete-email', { messageId: three.id }), null);
      assert.equal((await find(megan, three.subject)).length, 0, 'gone from the inbox');
      assert.equal((await find(megan, three.subject, 'deleteditems')).length, 0, 'and not in Deleted Items: Graph soft-deletes into Recoverable Items');
      assert.equal((await find(megan, three.subject, 'recoverableitemsdeletions')).length, 1);
    });

    test('Get Emails: filters, order, unread and attachment options, subfolders, mark as read, maxRecords', async () => {
      const tag = unique('Batch');
      const sub = await a.out(megan, 'create-mail-folder', { record: { displayName: unique('Sub') } });
      for (let i = 1; i <= 3; i++) await a.out(adele, 'send-email', { to: [MEGAN], subject: `${tag} ${i}`, body: 'x', ...(i === 2 ? { attachments: [{ name: 'a.txt', contentBase64: b64('a') }] } : {}) });
      const filter = `startswith(subject, ${lit(tag)})`;
      const all = await a.out<Message[]>(megan, 'get-emails', { filter });
      assert.deepEqual(all.map((x) => x.subject), [`${tag} 3`, `${tag} 2`, `${tag} 1`], 'newest first');
      assert.deepEqual((await a.out<Message[]>(megan, 'get-emails', { filter, orderBy: 'subject asc' })).map((x) => x.subject), [`${tag} 1`, `${tag} 2`, `${tag} 3`]);
      assert.deepEqual((await a.out<Message[]>(megan, 'get-emails', { filter, withAttachmentsOnly: true })).map((x) => x.subject), [`${tag} 2`]);

      const limited = await a.run<Message[]>(megan, 'get-emails', { filter, maxRecords: 2 });
      assert.equal(limited.output.length, 2);
      assert.equal(limited.meta.truncated?.reason, 'max-records');

      // Move one into a child folder of the inbox: found there only with includeSubfolders.
      await a.out(megan, 'move-email', { messageId: all[2]!.id, destinationFolder: sub.id });
      assert.equal((await a.out<Message[]>(megan, 'get-emails', { filter })).length, 2);
      // The folder sits at the top level: walking from the root folder (every folder) finds it.
      const everywhere = await a.run<Message[]>(megan, 'get-emails', { folder: 'msgfolderroot', filter, includeSubfolders: true, unreadOnly: true, markAsRead: true });
      assert.deepEqual(everywhere.output.map((x) => x.subject), [`${tag} 3`, `${tag} 2`, `${tag} 1`], 'merged, newest first');
      assert.ok(everywhere.output.every((x) => x.isRead), 'marked as read in the output');
      assert.ok(everywhere.meta.calls > 4, 'folders walked and emails marked one by one');
      assert.equal((await a.out<Message[]>(megan, 'get-emails', { filter, unreadOnly: true, folder: 'msgfolderroot', includeSubfolders: true })).length, 0, 'and in the mailbox');
    });

    test('Get Newest Email', async () => {
      const tag = unique('Newest');
      await a.out(adele, 'send-email', { to: [MEGAN], subject: `${tag} old`, body: 'x' });
      m.em.advanceClock(5);
      await a.out(adele, 'send-email', { to: [MEGAN], subject: `${tag} new`, body: 'x' });
      const newest = await a.out<Message>(megan, 'get-newest-email', { filter: `startswith(subject, ${lit(tag)})` });
      assert.equal(newest.subject, `${tag} new`);
      assert.equal(await a.out(megan, 'get-newest-email', { filter: `subject eq ${lit(unique('none'))}` }), null);
    });

    test('Turn On and Turn Off Automatic Replies; senders get one automatic reply', async () => {
      const on = await a.out(megan, 'turn-on-automatic-replies', { internalReplyMessage: 'I am away.', externalAudience: 'none' });
      assert.equal(on.status, 'alwaysEnabled');
      const subject = unique('While away');
      await a.out(adele, 'send-email', { to: [MEGAN], subject, body: 'x' });
      const replies = await a.out<Message[]>(adele, 'get-emails', { filter: `contains(subject, ${lit(subject)})` });
      assert.ok(replies.some((r) => /I am away/.test(r.body.content)), 'Adele got the automatic reply');
      const scheduled = await a.out(megan, 'turn-on-automatic-replies', { internalReplyMessage: 'Holiday', start: '2030-07-01T00:00:00', end: '2030-07-15T00:00:00', timeZone: 'W. Europe Standard Time' });
      assert.equal(scheduled.status, 'scheduled');
      assert.equal(scheduled.scheduledStartDateTime.dateTime.slice(0, 19), '2030-07-01T00:00:00');
      assert.equal((await a.out(megan, 'turn-off-automatic-replies')).status, 'disabled');
      const bad = await a.fails(megan, 'turn-on-automatic-replies', { internalReplyMessage: 'x', start: '2030-07-01T00:00:00' }, 400);
      assert.equal(bad.errors[0].path, '/input/end');
    });

    test('a shared mailbox: Adele works in Megan\'s mailbox with the .Shared permissions', async () => {
      const subject = unique('Shared');
      await a.out(adele, 'send-email', { to: [MEGAN], subject, body: 'x' });
      const [copy] = await a.out<Message[]>(adele, 'get-emails', { mailbox: MEGAN, filter: `subject eq ${lit(subject)}` });
      assert.ok(copy, 'Adele lists Megan\'s inbox');
      assert.equal((await a.out<Message>(adele, 'mark-email-as-read', { mailbox: MEGAN, messageId: copy.id })).isRead, true);
      assert.equal((await a.out<Message>(adele, 'get-email-by-id', { mailbox: MEGAN, messageId: copy.id })).isRead, true);
      await a.out(adele, 'send-email', { mailbox: MEGAN, to: [ADELE], subject: `${subject} from Megan`, body: 'x' });
      const [fromMegan] = await find(adele, `${subject} from Megan`);
      assert.equal(fromMegan?.from.emailAddress.address.toLowerCase(), MEGAN.toLowerCase(), 'sent as the shared mailbox');
      // Graph has no delegated access to another user's mailbox settings: Microsoft's 403 comes through.
      const denied = await a.fails(adele, 'turn-off-automatic-replies', { mailbox: MEGAN }, 403);
      assert.equal(denied.code, 'VENDOR_FORBIDDEN');
      assert.equal(denied.vendorStatus, 403);
      assert.equal(denied.vendorCode, 'ErrorAccessDenied');
    });

    test('Graph throttling: a 429 with Retry-After is waited out and retried, the activity succeeds', async () => {
      m.em.failGraphRequests({ count: 1, status: 429, retryAfterSeconds: 1, path: '/mailFolders' });
      const started = Date.now();
      const folders = await a.out<any[]>(megan, 'get-email-folders');
      assert.ok(folders.length > 0);
      assert.ok(Date.now() - started >= 900, 'Retry-After honoured');
      m.em.failGraphRequests({ count: 10, status: 429, retryAfterSeconds: 3600, path: '/mailFolders' });
      const limited = await a.fails(megan, 'get-email-folders', {}, 429);
      assert.equal(limited.code, 'VENDOR_RATE_LIMITED');
      assert.equal(limited.vendorCode, 'TooManyRequests');
      m.em.clearFaults();
    });

    test('vendor errors keep Graph\'s status, code and message', async () => {
      const missing = await a.fails(megan, 'get-email-by-id', { messageId: 'AAMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAADhwAAAA==' }, 404);
      assert.equal(missing.code, 'VENDOR_NOT_FOUND');
      assert.equal(missing.vendorStatus, 404);
      assert.ok(missing.vendorCode, JSON.stringify(missing));
      assert.ok(missing.vendorMessage);
      const malformed = await a.fails(megan, 'get-email-by-id', { messageId: 'not-an-id' }, 400);
      assert.equal(malformed.code, 'VENDOR_BAD_REQUEST');
      const badFolder = await a.fails(megan, 'get-emails', { folder: 'nosuchfolder' }, 400);
      assert.ok(badFolder.vendorCode);
    });
  });

  describe('calendar', () => {
    test('Get Calendars, Create Event with attendees and a Teams meeting, Get Events, Get Event By Id', async () => {
      const calendars = await a.out<any[]>(adele, 'get-calendars');
      const main = calendars.find((c) => c.isDefaultCalendar);
      assert.ok(main, JSON.stringify(calendars));
      const subject = unique('Planning');
      const event = await a.out(adele, 'create-event', {
        subject, start: '2030-03-04T10:00:00', end: '2030-03-04T11:00:00', timeZone: 'Pacific Standard Time',
        body: '<p>Agenda</p>', location: 'Room 1', requiredAttendees: [MEGAN], optionalAttendees: ['partner@fabrikam.example'],
        isOnlineMeeting: true, importance: 'high', showAs: 'busy', categories: ['Blue category'],
      });
      assert.equal(event.subject, subject);
      assert.equal(event.start.timeZone, 'Pacific Standard Time', 'the output in the event\'s time zone (Prefer: outlook.timezone)');
      assert.equal(event.start.dateTime.slice(0, 19), '2030-03-04T10:00:00');
      assert.equal(event.location.displayName, 'Room 1');
      assert.deepEqual(event.attendees.map((x: any) => [x.emailAddress.address, x.type]), [[MEGAN, 'required'], ['partner@fabrikam.example', 'optional']]);
      assert.equal(event.isOnlineMeeting, true);
      assert.ok(event.onlineMeeting?.joinUrl, 'a join link');

      const inWindow = await a.out<any[]>(adele, 'get-events', { start: '2030-03-04T00:00:00Z', end: '2030-03-05T00:00:00Z' });
      assert.ok(inWindow.some((e) => e.id === event.id));
      assert.equal((await a.out<any[]>(adele, 'get-events', { start: '2030-03-06T00:00:00Z', end: '2030-03-07T00:00:00Z' })).some((e) => e.id === event.id), false);
      const inCalendar = await a.out<any[]>(adele, 'get-events', { start: '2030-03-04T00:00:00Z', end: '2030-03-05T00:00:00Z', calendarId: main.id, timeZone: 'UTC' });
      const same = inCalendar.find((e) => e.id === event.id);
      assert.equal(same.start.timeZone, 'UTC');
      assert.equal(same.start.dateTime.slice(0, 19), '2030-03-04T18:00:00', '10:00 Pacific is 18:00 UTC');
      const byId = await a.out(adele, 'get-event-by-id', { eventId: event.id, timeZone: 'Pacific Standard Time' });
      assert.equal(byId.start.dateTime.slice(0, 19), '2030-03-04T10:00:00');

      const allDay = await a.out(adele, 'create-event', { subject: unique('Offsite'), start: '2030-03-10', end: '2030-03-11', isAllDay: true, calendarId: main.id });
      assert.equal(allDay.isAllDay, true);
      assert.equal(allDay.start.dateTime.slice(0, 19), '2030-03-10T00:00:00');
    });

    test('Update Event, Respond To Event (as the attendee), Forward Event, Delete Event', async () => {
      const subject = unique('Review');
      const event = await a.out(adele, 'create-event', { subject, start: '2030-04-01T09:00:00', end: '2030-04-01T10:00:00', requiredAttendees: [MEGAN] });
      const updated = await a.out(adele, 'update-event', { eventId: event.id, subject: `${subject} (moved)`, start: '2030-04-01T13:00:00', end: '2030-04-01T14:00:00', location: 'Room 2' });
      assert.equal(updated.subject, `${subject} (moved)`);
      assert.equal(updated.start.dateTime.slice(0, 19), '2030-04-01T13:00:00');
      assert.equal(updated.location.displayName, 'Room 2');
      assert.equal(updated.attendees.length, 1, 'attendees not given are kept');

      const invitation = (await a.out<any[]>(megan, 'get-events', { start: '2030-04-01T00:00:00Z', end: '2030-04-02T00:00:00Z' })).find((e) => e.subject.startsWith(subject));
      assert.ok(invitation, 'Megan has the invitation in her calendar');
      assert.equal(await a.out(megan, 'respond-to-event', { eventId: invitation.id, response: 'tentativelyAccept', comment: 'Maybe' }), null);
      const seen = await a.out(adele, 'get-event-by-id', { eventId: event.id });
      assert.equal(seen.attendees[0].status.response, 'tentativelyAccepted');

      assert.equal(await a.out(adele, 'forward-event', { eventId: event.id, to: ['partner@fabrikam.example'], comment: 'Join us' }), null);
      assert.equal(await a.out(adele, 'delete-event', { eventId: event.id }), null);
      const gone = await a.fails(adele, 'get-event-by-id', { eventId: event.id }, 404);
      assert.equal(gone.code, 'VENDOR_NOT_FOUND');
      const bad = await a.fails(megan, 'respond-to-event', { eventId: invitation.id, response: 'maybe' }, 400);
      assert.equal(bad.errors[0].path, '/input/response');
    });
  });

  describe('files', () => {
    const root = unique('Switchboard tests').replace(/ /g, '-');

    test('Create Folder, Upload File, Get File or Folder (by path and id), File or Folder Exists, Get Files and Folders', async () => {
      const folder = await a.out(adele, 'create-folder', { name: root });
      assert.ok(folder.folder, 'a folder');
      const sub = await a.out(adele, 'create-folder', { name: 'Reports', parentPath: root });
      assert.equal(sub.parentReference.id, folder.id);
      const again = await a.fails(adele, 'create-folder', { name: 'Reports', parentId: folder.id }, 409);
      assert.equal(again.code, 'VENDOR_CONFLICT');
      assert.equal((await a.out(adele, 'create-folder', { name: 'Reports', parentId: folder.id, conflictBehavior: 'rename' })).name !== 'Reports', true);

      const text = 'quarter,total\nq1,10\n';
      const uploaded = await a.out(adele, 'upload-file', { fileName: 'q1 report.csv', parentPath: `${root}/Reports`, contentBase64: b64(text), contentType: 'text/csv' });
      assert.equal(uploaded.name, 'q1 report.csv');
      assert.equal(uploaded.size, Buffer.byteLength(text));
      assert.ok(uploaded.file);
      const replaced = await a.out(adele, 'upload-file', { fileName: 'q1 report.csv', parentId: sub.id, contentBase64: b64(`${text}q2,20\n`) });
      assert.equal(replaced.id, uploaded.id, 'replace keeps the item');
      const refused = await a.fails(adele, 'upload-file', { fileName: 'q1 report.csv', parentId: sub.id, contentBase64: b64('x'), conflictBehavior: 'fail' }, 409);
      assert.equal(refused.code, 'VENDOR_CONFLICT');

      const byPath = await a.out(adele, 'get-item', { path: `${root}/Reports/q1 report.csv` });
      assert.equal(byPath.id, uploaded.id);
      assert.equal((await a.out(adele, 'get-item', { itemId: uploaded.id })).name, 'q1 report.csv');
      assert.deepEqual(await a.out(adele, 'item-exists', { path: `${root}/Reports/q1 report.csv` }).then((x) => x.exists), true);
      assert.deepEqual(await a.out(adele, 'item-exists', { path: `${root}/Reports/nope.csv` }), { exists: false, item: null });
      const neither = await a.fails(adele, 'get-item', {}, 400);
      assert.deepEqual(neither.errors.map((e: any) => e.path).sort(), ['/input/itemId', '/input/path']);

      const children = await a.out<any[]>(adele, 'list-children', { folderPath: `${root}/Reports` });
      assert.deepEqual(children.map((c) => c.name), ['q1 report.csv']);
      assert.ok((await a.out<any[]>(adele, 'list-children')).some((c) => c.name === root), 'the drive root by default');
    });

    test('Upload File above 4 MB: an upload session in 3.2 MB chunks', async () => {
      const big = Buffer.alloc(4 * 1024 * 1024 + 1000, 7);
      big.write('start');
      m.em.clearRequests();
      const item = await a.run(adele, 'upload-file', { fileName: 'big.bin', parentPath: root, contentBase64: big.toString('base64') });
      assert.equal(item.output.size, big.length);
      assert.equal(item.meta.calls, 3, 'createUploadSession and two chunks');
      const downloaded = await a.call(adele, 'download-file', { itemId: item.output.id }, { accept: 'application/octet-stream' });
      assert.deepEqual(downloaded.rawPayload, big);
    });

    test('Download File: base64 in JSON, the bytes themselves, and as PDF', async () => {
      const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2, 0xff]);
      const item = await a.out(adele, 'upload-file', { fileName: 'raw.bin', parentPath: root, contentBase64: bytes.toString('base64') });
      const json = await a.out(adele, 'download-file', { itemId: item.id });
      assert.deepEqual(Buffer.from(json.contentBase64, 'base64'), bytes);
      assert.equal(json.size, bytes.length);
      const raw = await a.call(adele, 'download-file', { path: `${root}/raw.bin` }, { accept: 'application/octet-stream' });
      assert.equal(raw.statusCode, 200, raw.body);
      assert.deepEqual(raw.rawPayload, bytes);
      const doc = await a.out(adele, 'upload-file', { fileName: 'memo.docx', parentPath: root, contentBase64: b64('pretend docx') });
      const pdf = await a.call(adele, 'download-file', { itemId: doc.id, convertToPdf: true });
      assert.ok(pdf.statusCode === 200 || pdf.json().vendorStatus !== undefined, pdf.body);
    });

    test('Copy File or Folder waits for the background copy (monitor URL) and returns the copy', async () => {
      const item = await a.out(adele, 'upload-file', { fileName: 'to-copy.txt', parentPath: root, contentBase64: b64('copy me') });
      const target = await a.out(adele, 'create-folder', { name: 'Copies', parentPath: root });
      const copy = await a.out(adele, 'copy-item', { itemId: item.id, destinationParentId: target.id, newName: 'copied.txt' });
      assert.equal(copy.status, 'completed');
      assert.equal(copy.item.name, 'copied.txt');
      assert.equal(copy.item.parentReference.id, target.id);
    });

    test('Move or Rename, Delete', async () => {
      const item = await a.out(adele, 'upload-file', { fileName: 'to-move.txt', parentPath: root, contentBase64: b64('move me') });
      const target = await a.out(adele, 'create-folder', { name: 'Moved', parentPath: root });
      const moved = await a.out(adele, 'move-item', { itemId: item.id, destinationParentId: target.id, newName: 'moved.txt' });
      assert.equal(moved.name, 'moved.txt');
      assert.equal(moved.parentReference.id, target.id);
      assert.equal((await a.out(adele, 'move-item', { path: `${root}/Moved/moved.txt`, newName: 'renamed.txt' })).name, 'renamed.txt');
      const nothing = await a.fails(adele, 'move-item', { itemId: item.id }, 400);
      assert.equal(nothing.code, 'ACTIVITY_INPUT_INVALID');
      assert.equal(await a.out(adele, 'delete-item', { itemId: item.id }), null);
      assert.equal((await a.out(adele, 'item-exists', { itemId: item.id })).exists, false);
    });

    test('Share File or Folder: a link', async () => {
      const item = await a.out(adele, 'upload-file', { fileName: 'shared.txt', parentPath: root, contentBase64: b64('share me') });
      const link = await a.out(adele, 'share-item', { itemId: item.id, linkType: 'edit', scope: 'organization' });
      assert.match(link.webUrl, /^https?:\/\//);
      assert.equal(link.type, 'edit');
      assert.equal(link.scope, 'organization');
      assert.deepEqual(link.roles, ['write']);
      const view = await a.out(adele, 'share-item', { path: `${root}/shared.txt` });
      assert.equal(view.type, 'view');
    });

    test('Share File or Folder With People', async () => {
      const item = await a.out(adele, 'upload-file', { fileName: 'invite.txt', parentPath: root, contentBase64: b64('x') });
      const granted = await a.out<any[]>(adele, 'invite-to-item', { itemId: item.id, recipients: [MEGAN], role: 'write', sendInvitation: false });
      assert.equal(granted.length, 1);
      assert.deepEqual(granted[0].roles, ['write']);
    });
  });

  describe('excel', () => {
    test('an uploaded workbook: Get Sheets, Write Range from a start cell, Read Range with headers, Append Row', async () => {
      const folder = unique('Books').replace(/ /g, '-');
      await a.out(adele, 'create-folder', { name: folder });
      const book = await a.out(adele, 'upload-file', { fileName: 'sales.xlsx', parentPath: folder, contentBase64: b64('PK pretend xlsx') });
      const sheets = await a.out<any[]>(adele, 'get-sheets', { itemId: book.id });
      assert.deepEqual(sheets.map((x) => x.name), ['Sheet1']);

      const written = await a.out(adele, 'write-range', { itemId: book.id, sheet: 'Sheet1', address: 'B2', values: [['Region', 'Total'], ['North', 10], ['South', 20]] });
      assert.match(written.address, /B2:C4$/);
      const bad = await a.fails(adele, 'write-range', { itemId: book.id, sheet: 'Sheet1', address: 'A1', values: [['a', 'b'], ['c']] }, 400);
      assert.equal(bad.errors[0].path, '/input/values/1');

      const read = await a.out(adele, 'read-range', { path: `${folder}/sales.xlsx`, sheet: 'Sheet1', address: 'B2:C4', hasHeaders: true });
      assert.deepEqual(read.values, [['Region', 'Total'], ['North', 10], ['South', 20]]);
      assert.deepEqual(read.rows, [{ Region: 'North', Total: 10 }, { Region: 'South', Total: 20 }]);
      const used = await a.out(adele, 'read-range', { itemId: book.id, sheet: 'Sheet1' });
      assert.match(used.address, /B2:C4$/);
      assert.equal(used.rows, null);

      const appended = await a.out(adele, 'append-row', { itemId: book.id, sheet: 'Sheet1', row: ['East', 30] });
      assert.match(appended.address, /A5:B5$/, 'below the last used row, from column A');
      const after = await a.out(adele, 'read-range', { itemId: book.id, sheet: 'Sheet1', address: 'A5:B5' });
      assert.deepEqual(after.values, [['East', 30]]);

      const empty = await a.out(adele, 'upload-file', { fileName: 'empty.xlsx', parentPath: folder, contentBase64: b64('PK') });
      assert.match((await a.out(adele, 'append-row', { itemId: empty.id, sheet: 'Sheet1', row: ['first'] })).address, /A1(:A1)?$/, 'an empty sheet starts at row 1');
    });

    test('Append Row to a table', async () => {
      const book = await a.out(adele, 'upload-file', { fileName: `${unique('t').replace(/ /g, '')}.xlsx`, contentBase64: b64('PK') });
      await a.out(adele, 'write-range', { itemId: book.id, sheet: 'Sheet1', address: 'A1', values: [['Name', 'Qty'], ['a', 1]] });
      // Making a table is not an activity; the HTTP Request activity does it.
      const table = await m.s.api('POST', `/api/v1/connections/${adele}/http`, {
        body: { method: 'POST', path: `/me/drive/items/${book.id}/workbook/worksheets/Sheet1/tables/add`, body: { address: 'A1:B2', hasHeaders: true } },
      });
      assert.ok([200, 201].includes(table.json().status), table.body);
      const name = table.json().body.name;
      const added = await a.out(adele, 'append-row', { itemId: book.id, sheet: 'Sheet1', table: name, row: ['b', 2] });
      assert.deepEqual(added.values, [['b', 2]]);
      const read = await a.out(adele, 'read-range', { itemId: book.id, sheet: 'Sheet1', address: 'A1:B3', hasHeaders: true });
      assert.deepEqual(read.rows, [{ Name: 'a', Qty: 1 }, { Name: 'b', Qty: 2 }]);
    });
  });

  describe('SharePoint lists', () => {
    test('Get Lists, Create, Get (with a filter), Update and Delete List Item', async () => {
      const name = unique('Tickets').replace(/ /g, '');
      // An app-only connection, with the application permissions an administrator granted: lists
      // are created (Sites.Manage.All) with the HTTP Request activity, items with activities.
      m.em.setApplicationPermissions(APP.clientId, CONTOSO, ['Sites.Manage.All', 'Sites.ReadWrite.All', 'Mail.ReadWrite']);
      const app = await m.s.api('POST', '/api/v1/connections', {
        body: { folderId: m.folderId, connector: 'microsoft-365', authType: 'oauth2-client-credentials', fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: CONTOSO, mailbox: ADELE, environment: 'office365' } },
      });
      assert.equal(app.statusCode, 201, app.body);
      const adele = app.json().id as string;
      const created = await m.s.api('POST', `/api/v1/connections/${adele}/http`, {
        body: { method: 'POST', path: '/sites/root/lists', body: { displayName: name, columns: [{ name: 'Status', text: {} }, { name: 'Priority', number: {} }], list: { template: 'genericList' } } },
      });
      assert.equal(created.statusCode, 200, created.body);
      assert.equal(created.json().status, 201, JSON.stringify(created.json().body));
      const lists = await a.out<any[]>(adele, 'get-lists', { siteId: 'root' });
      const list = lists.find((l) => l.displayName === name);
      assert.ok(list, JSON.stringify(lists.map((l) => l.displayName)));

      const item = await a.out(adele, 'create-list-item', { siteId: 'root', listId: list.id, fields: { Title: "Printer's broken", Status: 'Open', Priority: 2 } });
      assert.equal(item.fields.Title, "Printer's broken");
      await a.out(adele, 'create-list-item', { siteId: 'root', listId: name, fields: { Title: 'Other', Status: 'Closed', Priority: 1 } });
      const open = await a.out<any[]>(adele, 'get-list-items', { siteId: 'root', listId: list.id, filter: "fields/Status eq 'Open'" });
      assert.deepEqual(open.map((i) => i.fields.Title), ["Printer's broken"]);
      const narrow = await a.out<any[]>(adele, 'get-list-items', { siteId: 'root', listId: list.id, select: ['Title'] });
      assert.equal(narrow.length, 2);
      assert.equal(narrow[0].fields.Status, undefined, 'only the selected columns');

      const updated = await a.out(adele, 'update-list-item', { siteId: 'root', listId: list.id, itemId: item.id, fields: { Status: 'Closed' } });
      assert.equal(updated.Status, 'Closed');
      assert.equal(await a.out(adele, 'delete-list-item', { siteId: 'root', listId: list.id, itemId: item.id }), null);
      assert.equal((await a.out<any[]>(adele, 'get-list-items', { siteId: 'root', listId: list.id })).length, 1);
      const missing = await a.fails(adele, 'delete-list-item', { siteId: 'root', listId: list.id, itemId: item.id }, 404);
      assert.equal(missing.code, 'VENDOR_NOT_FOUND');

      // The same app-only connection acts on its configured mailbox: {connection.userPath} is /users/{mailbox}.
      m.em.clearRequests();
      const inbox = await a.out<any[]>(adele, 'get-emails', { maxRecords: 1 });
      assert.ok(Array.isArray(inbox));
      assert.ok(m.em.requests().some((r) => r.path.startsWith(`/v1.0/users/${encodeURIComponent(ADELE)}/mailFolders/inbox/messages`) || r.path.startsWith(`/v1.0/users/${ADELE}/mailFolders/inbox/messages`)), JSON.stringify(m.em.requests().map((r) => r.path)));
    });
  });

  describe('generic record activities', () => {
    test('messages: list with where (quotes, dates, and/or), get, create a draft, update, delete', async () => {
      const subject = unique("It's here");
      await a.out(adele, 'send-email', { to: [MEGAN], subject, body: 'x' });
      const listed = await a.out<Message[]>(megan, 'list-message', {
        where: { and: [{ field: 'subject', op: 'eq', value: subject }, { field: 'receivedDateTime', op: 'ge', value: '2000-01-01T00:00:00Z' }, { or: [{ field: 'isRead', op: 'eq', value: false }, { field: 'importance', op: 'eq', value: 'high' }] }] },
        orderBy: 'receivedDateTime desc',
        select: ['subject', 'isRead'],
      });
      assert.equal(listed.length, 1);
      assert.equal(listed[0]!.subject, subject);
      assert.equal(listed[0]!.body, undefined, '$select');
      const got = await a.out<Message>(megan, 'get-message', { id: listed[0]!.id });
      assert.equal(got.subject, subject);

      const draft = await a.out<Message>(megan, 'create-message', { record: { subject: 'Draft via records', toRecipients: [{ emailAddress: { address: ADELE } }] } });
      assert.equal(draft.isDraft, true);
      const changed = await a.out<Message>(megan, 'update-message', { id: draft.id, record: { subject: 'Draft, renamed', importance: 'low' } });
      assert.equal(changed.subject, 'Draft, renamed');
      assert.equal(await a.out(megan, 'delete-message', { id: draft.id }), null);
      assert.equal((await a.fails(megan, 'get-message', { id: draft.id }, 404)).code, 'VENDOR_NOT_FOUND');
    });

    test('events, mail folders and calendars', async () => {
      const event = await a.out(adele, 'create-event', { subject: unique('Record'), start: '2030-05-01T09:00:00', end: '2030-05-01T09:30:00' });
      const events = await a.out<any[]>(adele, 'list-event', { where: { field: 'subject', op: 'eq', value: event.subject } });
      assert.deepEqual(events.map((e) => e.id), [event.id]);
      assert.equal((await a.out(adele, 'update-event', { eventId: event.id, subject: `${event.subject}!` })).subject, `${event.subject}!`);
      assert.equal(await a.out(adele, 'delete-event', { eventId: event.id }), null);

      const folders = await a.out<any[]>(adele, 'list-mail-folder', { where: { field: 'displayName', op: 'eq', value: 'Inbox' } });
      assert.equal(folders.length, 1);
      const calendars = await a.out<any[]>(adele, 'list-calendar');
      assert.ok(calendars.length >= 1);
    });

    test('mail folders and events by id: get, update, delete', async () => {
      const folder = await a.out(adele, 'create-mail-folder', { record: { displayName: unique('Folder') } });
      assert.equal((await a.out(adele, 'get-mail-folder', { id: folder.id })).displayName, folder.displayName);
      assert.equal((await a.out(adele, 'update-mail-folder', { id: folder.id, record: { displayName: `${folder.displayName} 2` } })).displayName, `${folder.displayName} 2`);
      assert.equal(await a.out(adele, 'delete-mail-folder', { id: folder.id }), null);
      const event = await a.out(adele, 'create-event', { subject: unique('By id'), start: '2030-06-01T09:00:00', end: '2030-06-01T09:30:00' });
      assert.equal((await a.out(adele, 'get-event', { id: event.id })).subject, event.subject);
      const viaRecord = await a.out(adele, 'create-event', { subject: unique('Created'), start: '2030-06-02T09:00:00', end: '2030-06-02T09:30:00' });
      assert.equal((await a.out(adele, 'update-event', { eventId: viaRecord.id, showAs: 'free' })).showAs, 'free');
    });

    test('calendars by id: create, get, update, delete', async () => {
      const calendar = await a.out(adele, 'create-calendar', { record: { name: unique('Team') } });
      assert.equal((await a.out(adele, 'get-calendar', { id: calendar.id })).name, calendar.name);
      assert.equal((await a.out(adele, 'update-calendar', { id: calendar.id, record: { name: `${calendar.name} 2` } })).name, `${calendar.name} 2`);
      assert.equal(await a.out(adele, 'delete-calendar', { id: calendar.id }), null);
    });

    test('contacts', async () => {
      const contact = await a.out(adele, 'create-contact', { record: { givenName: 'Pat', surname: "O'Neil", emailAddresses: [{ address: 'pat@fabrikam.example', name: 'Pat' }] } });
      assert.ok(contact.id);
      const found = await a.out<any[]>(adele, 'list-contact', { where: { field: 'surname', op: 'eq', value: "O'Neil" } });
      assert.deepEqual(found.map((c) => c.id), [contact.id]);
      assert.equal((await a.out(adele, 'get-contact', { id: contact.id })).surname, "O'Neil");
      assert.equal((await a.out(adele, 'update-contact', { id: contact.id, record: { jobTitle: 'Buyer' } })).jobTitle, 'Buyer');
      assert.equal(await a.out(adele, 'delete-contact', { id: contact.id }), null);
    });

    test('paging: a list longer than a page follows @odata.nextLink (on the emulator\'s origin) until maxRecords', async () => {
      const tag = unique('Paged');
      for (let i = 0; i < 55; i++) await a.out(megan, 'create-message', { record: { subject: `${tag} ${String(i).padStart(2, '0')}` } });
      // Get Emails asks for pages of 50: 55 drafts take two pages.
      const filter = `startswith(subject, ${lit(tag)})`;
      const all = await a.run<Message[]>(megan, 'get-emails', { folder: 'drafts', filter, maxRecords: 100 });
      assert.equal(all.output.length, 55);
      assert.equal(new Set(all.output.map((x) => x.id)).size, 55, 'no duplicates across pages');
      assert.equal(all.meta.pages, 2);
      assert.equal(all.meta.truncated, undefined);
      const some = await a.run<Message[]>(megan, 'get-emails', { folder: 'drafts', filter, maxRecords: 52 });
      assert.equal(some.output.length, 52);
      assert.equal(some.meta.pages, 2);
      assert.equal(some.meta.truncated?.reason, 'max-records');
      const few = await a.run<Message[]>(megan, 'list-message', { where: { field: 'subject', op: 'startsWith', value: tag }, maxRecords: 5 });
      assert.equal(few.output.length, 5);
      assert.equal(few.meta.pages, 1, 'maxRecords below a page asks for a smaller page');
      assert.equal(few.meta.truncated?.reason, 'max-records');
    });
  });
});
