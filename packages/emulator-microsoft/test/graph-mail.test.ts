import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, DEFAULT_SEED_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, LEE, MEGAN, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const IDS = DEFAULT_DATA_IDS.adele;
let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite', 'Mail.Send', 'MailboxSettings.ReadWrite']));
});

const subjects = (res: { body: { value: { subject: string }[] } }) => res.body.value.map((m) => m.subject);

describe('mail folders', () => {
  test('top-level folders, by well-known name or id, with counts', async () => {
    const list = await adele.get('/me/mailFolders');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value.map((f: { displayName: string }) => f.displayName), [
      'Archive',
      'Conversation History',
      'Deleted Items',
      'Drafts',
      'Inbox',
      'Junk Email',
      'Outbox',
      'Sent Items',
      'Sync Issues',
    ]);
    assert.equal(list.body['@odata.context'], `${emu.origins.global}/v1.0/$metadata#users('${DEFAULT_SEED_IDS.users.adele}')/mailFolders`);
    const inbox = await adele.get('/me/mailFolders/inbox');
    assert.equal(inbox.body.id, IDS.folders.inbox);
    assert.equal(inbox.body.totalItemCount, 3);
    assert.equal(inbox.body.unreadItemCount, 2);
    assert.equal(inbox.body.childFolderCount, 1);
    assert.deepEqual((await adele.get(`/me/mailFolders('${IDS.folders.inbox}')`)).body, inbox.body);
    assert.equal((await adele.get('/me/mailFolders/SentItems')).body.displayName, 'Sent Items', 'names are case-insensitive');
  });

  test('child folders, creating folders, and the errors for bad ids', async () => {
    const children = await adele.get('/me/mailFolders/inbox/childFolders');
    assert.deepEqual(children.body.value.map((f: { id: string }) => f.id), [IDS.folders.invoices]);
    const created = await adele.post('/me/mailFolders/inbox/childFolders', { displayName: 'Receipts' });
    assert.equal(created.status, 201);
    assert.equal(created.body.parentFolderId, IDS.folders.inbox);
    assertError(await adele.post('/me/mailFolders/inbox/childFolders', { displayName: 'receipts' }), 409, 'ErrorFolderExists');
    assert.equal((await adele.get(`/me/mailFolders/inbox/childFolders/${created.body.id}`)).body.displayName, 'Receipts');
    assertError(await adele.get('/me/mailFolders/notAFolder'), 400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
    assertError(await adele.get(`/me/mailFolders/${IDS.messages.welcome}`), 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    assertError(await adele.del('/me/mailFolders/inbox'), 400, 'ErrorDeleteDistinguishedFolder');
    assert.equal((await adele.del(`/me/mailFolders/${created.body.id}`)).status, 204);
  });
});

describe('messages', () => {
  test('list a folder newest first in Graph’s shape; get one; seeded ids are fixed', async () => {
    const inbox = await adele.get('/me/mailFolders/inbox/messages');
    assert.deepEqual(subjects(inbox), ['Partnership proposal', 'Q3 marketing plan - please review', 'Welcome to Microsoft 365']);
    const m = inbox.body.value[1];
    assert.equal(m.id, IDS.messages.q3Plan);
    assert.match(m['@odata.etag'], /^W\/"CQAAABYAAA/);
    assert.equal(m.importance, 'high');
    assert.equal(m.hasAttachments, true);
    assert.equal(m.isRead, false);
    assert.equal(m.parentFolderId, IDS.folders.inbox);
    assert.equal(m.body.contentType, 'html');
    assert.match(m.webLink, /^https:\/\/outlook\.office365\.com\/owa\/\?ItemID=/);
    assert.match(m.receivedDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(m.from, { emailAddress: { name: 'Megan Bowen', address: MEGAN } });
    const one = await adele.get(`/me/messages/${IDS.messages.q3Plan}`);
    assert.equal(one.body['@odata.context'], `${emu.origins.global}/v1.0/$metadata#users('${DEFAULT_SEED_IDS.users.adele}')/messages/$entity`);
    assert.equal(one.body.subject, 'Q3 marketing plan - please review');
    const viaFolder = await adele.get(`/me/mailFolders/inbox/messages/${IDS.messages.q3Plan}`);
    assert.equal(viaFolder.body.id, IDS.messages.q3Plan);
  });

  test('Prefer: outlook.body-content-type="text" converts bodies and says so', async () => {
    const res = await adele.get(`/me/messages/${IDS.messages.welcome}`, { headers: { prefer: 'outlook.body-content-type="text"' } });
    assert.deepEqual(res.body.body, { contentType: 'text', content: 'Welcome, Adele! Your Microsoft 365 account is ready.' });
    assert.equal(res.headers.get('preference-applied'), 'outlook.body-content-type="text"');
  });

  test('create a draft, edit it, send it: it moves to Sent Items and reaches the recipient', async () => {
    const draft = await adele.post('/me/messages', { subject: 'Plan', body: { contentType: 'Text', content: 'See you' }, toRecipients: [{ emailAddress: { address: MEGAN } }] });
    assert.equal(draft.status, 201);
    assert.equal(draft.body.isDraft, true);
    assert.equal(draft.body.parentFolderId, IDS.folders.drafts);
    const edited = await adele.patch(`/me/messages/${draft.body.id}`, { subject: 'Plan v2', importance: 'low' });
    assert.equal(edited.body.subject, 'Plan v2');
    assert.notEqual(edited.body['@odata.etag'], draft.body['@odata.etag']);
    assert.equal((await adele.post(`/me/messages/${draft.body.id}/send`)).status, 202);
    assertError(await adele.get(`/me/messages/${draft.body.id}`), 404, 'ErrorItemNotFound');
    const sent = await adele.get("/me/mailFolders/sentitems/messages?$filter=subject eq 'Plan v2'");
    assert.equal(sent.body.value.length, 1);
    assert.equal(sent.body.value[0].isDraft, false);
    const megan = emu.mail.list(MEGAN, { folder: 'inbox' });
    assert.equal(megan[0]!.subject, 'Plan v2');
    assert.equal(megan[0]!.isRead, false);
    assert.equal((megan[0]!.from as { emailAddress: { address: string } }).emailAddress.address, ADELE);
  });

  test('subject and body change only on drafts; flags, categories and isRead always', async () => {
    const id = IDS.messages.q3Plan;
    assertError(await adele.patch(`/me/messages/${id}`, { subject: 'Changed' }), 400, 'ErrorInvalidPropertyUpdateSentMessage');
    const res = await adele.patch(`/me/messages/${id}`, { isRead: true, categories: ['Blue category'], flag: { flagStatus: 'complete' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.isRead, true);
    assert.deepEqual(res.body.categories, ['Blue category']);
    assert.equal(res.body.flag.flagStatus, 'complete');
    assertError(await adele.patch(`/me/messages/${id}`, { shoeSize: 42 }), 400, 'RequestBodyRead');
  });

  test('move gives a new id (201); copy keeps the original; delete hides the message', async () => {
    const moved = await adele.post(`/me/messages/${IDS.messages.welcome}/move`, { destinationId: 'archive' });
    assert.equal(moved.status, 201);
    assert.notEqual(moved.body.id, IDS.messages.welcome);
    assert.equal(moved.body.parentFolderId, IDS.folders.archive);
    assertError(await adele.get(`/me/messages/${IDS.messages.welcome}`), 404, 'ErrorItemNotFound');
    const copied = await adele.post(`/me/messages/${moved.body.id}/copy`, { destinationId: IDS.folders.invoices });
    assert.equal(copied.status, 201);
    assert.equal((await adele.get(`/me/messages/${moved.body.id}`)).status, 200);
    assertError(await adele.post(`/me/messages/${moved.body.id}/move`, { destinationId: 'nowhere' }), 400, 'ErrorInvalidIdMalformed');
    assert.equal((await adele.del(`/me/messages/${copied.body.id}`)).status, 204);
    assertError(await adele.get(`/me/messages/${copied.body.id}`), 404, 'ErrorItemNotFound');
    const all = await adele.get('/me/messages?$top=100&$select=id');
    assert.ok(!all.body.value.some((m: { id: string }) => m.id === copied.body.id), 'deleted mail is not listed');
    // The move is visible to a delta-style consumer as delete + create.
    const changes = emu.changes({ user: ADELE, resource: 'message', since: 0 });
    const moveChanges = changes.filter((c) => c.id === IDS.messages.welcome || c.id === moved.body.id);
    assert.deepEqual(moveChanges.slice(-2).map((c) => [c.changeType, c.id, c.container]), [
      ['deleted', IDS.messages.welcome, IDS.folders.inbox],
      ['created', moved.body.id, IDS.folders.archive],
    ]);
  });

  test('ids: malformed is 400, unknown is 404', async () => {
    assertError(await adele.get('/me/messages/not-an-id'), 400, 'ErrorInvalidIdMalformed');
    assertError(await adele.get(`/me/messages/${IDS.folders.invoices.replace('AAMkA', 'AAMkB')}`), 404, 'ErrorItemNotFound');
  });

  test('$search matches subject, body and sender', async () => {
    assert.deepEqual(subjects(await adele.get('/me/messages?$search="joint campaign"&$select=subject')), ['Partnership proposal']);
    assert.deepEqual(subjects(await adele.get('/me/messages?$search=INV-1042&$select=subject')), ['Invoice INV-1042']);
    assert.deepEqual(subjects(await adele.get('/me/messages?$search=diegos&$select=subject')), ['Partnership proposal']);
  });

  test('MIME content is RFC 5322 text', async () => {
    const res = await adele.get(`/me/messages/${IDS.messages.q3Plan}/$value`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/plain/);
    assert.match(res.text, /^From: "Megan Bowen" <MeganB@contoso\.onmicrosoft\.com>\r\n/);
    assert.match(res.text, /\r\nSubject: Q3 marketing plan - please review\r\n/);
    assert.match(res.text, /\r\nMessage-ID: <[^>]+@[^>]+>\r\n/);
    assert.match(res.text, /\r\nContent-Type: multipart\/mixed; boundary="([^"]+)"\r\n/);
    assert.match(res.text, /Content-Disposition: attachment; filename="Q3-plan\.txt"/);
  });
});

describe('sending', () => {
  test('sendMail: 202, saved to Sent Items, delivered to emulator users (bcc too, but hidden)', async () => {
    const res = await adele.post('/me/sendMail', {
      message: {
        subject: 'Launch',
        body: { contentType: 'HTML', content: '<b>Go</b>' },
        toRecipients: [{ emailAddress: { address: MEGAN, name: 'Megan' } }],
        bccRecipients: [{ emailAddress: { address: 'DiegoS@fabrikam.onmicrosoft.com' } }],
        ccRecipients: [{ emailAddress: { address: 'someone@example.com' } }],
        attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'a.txt', contentType: 'text/plain', contentBytes: Buffer.from('hi').toString('base64') }],
      },
    });
    assert.equal(res.status, 202);
    assert.equal(res.text, '');
    const sent = emu.mail.list(ADELE, { folder: 'sentitems' })[0]!;
    assert.equal(sent.subject, 'Launch');
    assert.equal((sent.bccRecipients as unknown[]).length, 1);
    const atMegan = emu.mail.list(MEGAN, { folder: 'inbox' })[0]!;
    assert.equal(atMegan.subject, 'Launch');
    assert.deepEqual(atMegan.bccRecipients, []);
    assert.equal(atMegan.hasAttachments, true);
    assert.equal(atMegan.internetMessageId, sent.internetMessageId);
    assert.equal(emu.mail.list('DiegoS@fabrikam.onmicrosoft.com', { folder: 'inbox' })[0]!.subject, 'Launch');
    const log = emu.mail.transport().at(-1)!;
    assert.deepEqual(log.cc, ['someone@example.com']);
    assert.deepEqual(log.deliveredTo.sort(), ['diegos@fabrikam.onmicrosoft.com', 'meganb@contoso.onmicrosoft.com']);
  });

  test('saveToSentItems: false keeps nothing; no recipients is 400', async () => {
    const before = emu.mail.list(ADELE, { folder: 'sentitems' }).length;
    assert.equal((await adele.post('/me/sendMail', { message: { subject: 'Quiet', toRecipients: [{ emailAddress: { address: MEGAN } }] }, saveToSentItems: false })).status, 202);
    assert.equal(emu.mail.list(ADELE, { folder: 'sentitems' }).length, before);
    assertError(await adele.post('/me/sendMail', { message: { subject: 'Nobody' } }), 400, 'ErrorInvalidRecipients');
  });

  test('reply, replyAll and forward (202) thread with the original', async () => {
    assert.equal((await adele.post(`/me/messages/${IDS.messages.partnership}/reply`, { comment: 'Yes, Tuesday works.' })).status, 202);
    const reply = emu.mail.list('DiegoS@fabrikam.onmicrosoft.com', { folder: 'inbox' })[0]!;
    assert.equal(reply.subject, 'RE: Partnership proposal');
    assert.match((reply.body as { content: string }).content, /Yes, Tuesday works\./);
    assert.equal((await adele.post(`/me/messages/${IDS.messages.partnership}/replyAll`, { comment: 'Adding everyone.' })).status, 202);
    const all = emu.mail.list(MEGAN, { folder: 'inbox' })[0]!;
    assert.equal(all.subject, 'RE: Partnership proposal', 'Megan was on cc, so reply-all reaches her');
    assert.equal((await adele.post(`/me/messages/${IDS.messages.q3Plan}/forward`, { comment: 'FYI', toRecipients: [{ emailAddress: { address: 'DiegoS@fabrikam.onmicrosoft.com' } }] })).status, 202);
    const fwd = emu.mail.list('DiegoS@fabrikam.onmicrosoft.com', { folder: 'inbox' })[0]!;
    assert.equal(fwd.subject, 'FW: Q3 marketing plan - please review');
    assert.equal(fwd.hasAttachments, true, 'forward carries the attachments');
    assertError(await adele.post(`/me/messages/${IDS.messages.q3Plan}/forward`, { comment: 'x' }), 400, 'ErrorInvalidRequest');
    assertError(
      await adele.post(`/me/messages/${IDS.messages.q3Plan}/reply`, { comment: 'x', message: { body: { contentType: 'Text', content: 'y' } } }),
      400,
      'ErrorInvalidRequest',
    );
    const sent = emu.mail.list(ADELE, { folder: 'sentitems' }).find((m) => m.subject === 'RE: Partnership proposal')!;
    const original = emu.mail.get(ADELE, IDS.messages.partnership);
    assert.equal(sent.conversationId, original.conversationId, 'a reply joins the conversation');
  });

  test('MIME variant: base64 MIME in a text/plain body sends (and round-trips $value); bad base64 is 400', async () => {
    const mime = [
      'From: Adele Vance <AdeleV@contoso.onmicrosoft.com>',
      `To: "Megan Bowen" <${MEGAN}>, outside@example.org`,
      'Subject: =?utf-8?B?' + Buffer.from('Résumé attached').toString('base64') + '?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/plain; charset="utf-8"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Hello Megan,=0D=0Ahere it is.',
      '--XYZ',
      'Content-Type: application/pdf; name="cv.pdf"',
      'Content-Disposition: attachment; filename="cv.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 cv').toString('base64'),
      '--XYZ--',
      '',
    ].join('\r\n');
    const res = await adele.call('POST', '/me/sendMail', { raw: Buffer.from(mime).toString('base64'), headers: { 'content-type': 'text/plain' } });
    assert.equal(res.status, 202, res.text);
    const got = emu.mail.list(MEGAN, { folder: 'inbox' })[0]!;
    assert.equal(got.subject, 'Résumé attached');
    assert.equal((got.body as { content: string }).content, 'Hello Megan,\r\nhere it is.');
    assert.equal((got.attachments as { name: string }[])[0]!.name, 'cv.pdf');
    assert.deepEqual(emu.mail.transport().at(-1)!.to, [MEGAN, 'outside@example.org']);
    const eml = (await adele.get(`/me/messages/${IDS.messages.q3Plan}/$value`)).text;
    const draft = await adele.call('POST', '/me/messages', { raw: Buffer.from(eml).toString('base64'), headers: { 'content-type': 'text/plain' } });
    assert.equal(draft.status, 201);
    assert.equal(draft.body.subject, 'Q3 marketing plan - please review');
    assert.equal(draft.body.hasAttachments, true);
    assertError(await adele.call('POST', '/me/sendMail', { raw: 'not base64 at all!', headers: { 'content-type': 'text/plain' } }), 400, 'ErrorMimeContentInvalidBase64String');
  });

  test('createReply / createForward make drafts (201)', async () => {
    const draft = await adele.post(`/me/messages/${IDS.messages.q3Plan}/createReply`, {});
    assert.equal(draft.status, 201);
    assert.equal(draft.body.isDraft, true);
    assert.equal(draft.body.subject, 'RE: Q3 marketing plan - please review');
    assert.deepEqual(draft.body.toRecipients, [{ emailAddress: { name: 'Megan Bowen', address: MEGAN } }]);
    const fwd = await adele.post(`/me/messages/${IDS.messages.q3Plan}/createForward`, {});
    assert.equal(fwd.status, 201);
    assert.deepEqual(fwd.body.toRecipients, []);
    assert.equal((await adele.patch(`/me/messages/${fwd.body.id}`, { toRecipients: [{ emailAddress: { address: MEGAN } }] })).status, 200);
    assert.equal((await adele.post(`/me/messages/${fwd.body.id}/send`)).status, 202);
    assert.equal(emu.mail.list(MEGAN, { folder: 'inbox' })[0]!.subject, 'FW: Q3 marketing plan - please review');
  });
});

describe('attachments', () => {
  test('list, get, raw bytes, add and delete', async () => {
    const list = await adele.get(`/me/messages/${IDS.messages.invoice}/attachments`);
    assert.equal(list.body.value.length, 1);
    const a = list.body.value[0];
    assert.equal(a['@odata.type'], '#microsoft.graph.fileAttachment');
    assert.equal(a.name, 'INV-1042.pdf');
    assert.equal(a.contentType, 'application/pdf');
    assert.match(Buffer.from(a.contentBytes, 'base64').toString(), /^%PDF-1\.4/);
    const raw = await adele.get(`/me/messages/${IDS.messages.invoice}/attachments/${a.id}/$value`);
    assert.equal(raw.headers.get('content-type'), 'application/pdf');
    assert.match(raw.text, /^%PDF-1\.4/);
    const added = await adele.post(`/me/messages/${IDS.messages.draft}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: 'notes.txt', contentBytes: Buffer.from('n').toString('base64') });
    assert.equal(added.status, 201);
    assert.equal((await adele.get(`/me/messages/${IDS.messages.draft}`)).body.hasAttachments, true);
    assert.equal((await adele.del(`/me/messages/${IDS.messages.draft}/attachments/${added.body.id}`)).status, 204);
    assertError(await adele.get(`/me/messages/${IDS.messages.draft}/attachments/${added.body.id}`), 404, 'ErrorItemNotFound');
  });
});

describe('mailbox settings', () => {
  test('GET the settings; PATCH automatic replies; a sender gets one automatic reply', async () => {
    const res = await adele.get('/me/mailboxSettings');
    assert.equal(res.body.automaticRepliesSetting.status, 'disabled');
    assert.equal(res.body.timeZone, 'UTC');
    assert.equal(res.body.archiveFolder, IDS.folders.archive);
    const patched = await adele.patch('/me/mailboxSettings', { automaticRepliesSetting: { status: 'alwaysEnabled', internalReplyMessage: 'Out until Monday', externalReplyMessage: 'Away' } });
    assert.equal(patched.status, 200);
    assert.deepEqual(Object.keys(patched.body), ['@odata.context', 'automaticRepliesSetting'], 'only what was patched comes back');
    assert.equal(patched.body.automaticRepliesSetting.status, 'alwaysEnabled');
    assert.equal((await adele.get('/me/mailboxSettings/automaticRepliesSetting')).body.internalReplyMessage, 'Out until Monday');
    const megan = client(emu.origins.global, await delegated(emu, ['Mail.Send'], MEGAN));
    for (let i = 0; i < 2; i++) await megan.post('/me/sendMail', { message: { subject: `Q${i}`, toRecipients: [{ emailAddress: { address: ADELE } }] } });
    const autoReplies = emu.mail.list(MEGAN, { folder: 'inbox' }).filter((m) => String(m.subject).startsWith('Automatic reply:'));
    assert.equal(autoReplies.length, 1, 'Exchange answers once per sender');
    assert.match((autoReplies[0]!.body as { content: string }).content, /Out until Monday/);
    assertError(await adele.patch('/me/mailboxSettings', { automaticRepliesSetting: { status: 'sometimes' } }), 400, 'RequestBodyRead', "Requested value 'sometimes' was not found.");
    assertError(await adele.patch('/me/mailboxSettings', { timeZone: 'Mars/Olympus' }), 400, 'TimeZoneNotSupportedException');
  });

  test('scheduled automatic replies apply only in their window', async () => {
    await adele.patch('/me/mailboxSettings', {
      automaticRepliesSetting: {
        status: 'scheduled',
        scheduledStartDateTime: { dateTime: new Date(emu.now() + 3600_000).toISOString().slice(0, 19), timeZone: 'UTC' },
        scheduledEndDateTime: { dateTime: new Date(emu.now() + 7200_000).toISOString().slice(0, 19), timeZone: 'UTC' },
      },
    });
    emu.mail.add(ADELE, { from: `Megan <${MEGAN}>`, subject: 'ignored' });
    const megan = client(emu.origins.global, await delegated(emu, ['Mail.Send'], MEGAN));
    await megan.post('/me/sendMail', { message: { subject: 'Before', toRecipients: [{ emailAddress: { address: ADELE } }] } });
    assert.equal(emu.mail.list(MEGAN).filter((m) => String(m.subject).startsWith('Automatic reply')).length, 0);
    emu.advanceClock(5400);
    const later = client(emu.origins.global, await delegated(emu, ['Mail.Send'], MEGAN));
    assert.equal((await later.post('/me/sendMail', { message: { subject: 'During', toRecipients: [{ emailAddress: { address: ADELE } }] } })).status, 202);
    assert.equal(emu.mail.list(MEGAN).filter((m) => String(m.subject).startsWith('Automatic reply')).length, 1);
  });
});

describe('permissions and addressing', () => {
  test('Mail.Read reads but cannot write; Mail.ReadWrite cannot send; Mail.ReadBasic has no bodies', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Mail.Read']));
    assert.equal((await reader.get('/me/messages')).status, 200);
    const denied = await reader.patch(`/me/messages/${IDS.messages.q3Plan}`, { isRead: true });
    assertError(denied, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const writer = client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite']));
    assertError(await writer.post('/me/sendMail', { message: { subject: 'x', toRecipients: [{ emailAddress: { address: MEGAN } }] } }), 403, 'ErrorAccessDenied');
    const basic = client(emu.origins.global, await delegated(emu, ['Mail.ReadBasic']));
    const m = (await basic.get(`/me/messages/${IDS.messages.q3Plan}`)).body;
    assert.equal(m.subject, 'Q3 marketing plan - please review');
    assert.equal(m.body, undefined);
    assert.equal(m.bodyPreview, undefined);
    assertError(await basic.get(`/me/messages/${IDS.messages.q3Plan}/attachments`), 403, 'ErrorAccessDenied');
    const none = client(emu.origins.global, await delegated(emu, ['User.Read']));
    assertError(await none.get('/me/mailFolders'), 403, 'ErrorAccessDenied');
  });

  test('another user’s mailbox needs the .Shared scopes when delegated', async () => {
    const own = client(emu.origins.global, await delegated(emu, ['Mail.Read']));
    assertError(await own.get(`/users/${MEGAN}/messages`), 403, 'ErrorAccessDenied');
    const shared = client(emu.origins.global, await delegated(emu, ['Mail.Read.Shared']));
    assert.deepEqual(subjects(await shared.get(`/users/${MEGAN}/messages?$select=subject`)), ['Lunch on Friday?']);
    assert.equal((await shared.get(`/users/${ADELE}/messages`)).status, 200, '.Shared covers one’s own mailbox too');
  });

  test('app-only: /users/{id | upn} with roles; /me is 400; unknown user and mailbox-less user', async () => {
    const app = client(emu.origins.global, await appOnly(emu, ['Mail.ReadWrite', 'Mail.Send']));
    assert.equal((await app.get(`/users/${DEFAULT_SEED_IDS.users.megan}/mailFolders/inbox/messages`)).status, 200);
    assert.equal((await app.post(`/users/${MEGAN}/sendMail`, { message: { subject: 'From the app', toRecipients: [{ emailAddress: { address: ADELE } }] } })).status, 202);
    assert.equal(emu.mail.list(ADELE, { folder: 'inbox' })[0]!.subject, 'From the app');
    assertError(await app.get('/me/messages'), 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    assertError(await app.get('/users/nobody@contoso.onmicrosoft.com/messages'), 404, 'ErrorInvalidUser', "The requested user 'nobody@contoso.onmicrosoft.com' is invalid.");
    assertError(await app.get(`/users/${LEE}/messages`), 404, 'MailboxNotEnabledForRESTAPI');
    assertError(await app.get('/users/DiegoS@fabrikam.onmicrosoft.com/messages'), 404, 'ErrorInvalidUser', undefined);
    const readOnly = client(emu.origins.global, await appOnly(emu, ['Mail.Read']));
    assertError(await readOnly.post(`/users/${MEGAN}/sendMail`, { message: { subject: 'x', toRecipients: [{ emailAddress: { address: ADELE } }] } }), 403, 'ErrorAccessDenied');
  });

  test('routing errors: unknown segment 400, wrong method 405', async () => {
    assertError(await adele.get('/me/mailFolders/inbox/widgets'), 400, 'BadRequest', "Resource not found for the segment 'widgets'.");
    assertError(await adele.call('PUT', '/me/messages'), 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
  });

  test('every cloud’s Graph serves the same data, with its own Outlook host in links', async () => {
    const l4 = await emu.issueAccessToken({ clientId: DEFAULT_SEED_IDS.apps.multiTenant.clientId, user: ADELE, cloud: 'usgov', audience: 'https://graph.microsoft.us', scopes: ['Mail.Read'] });
    const gov = client(emu.origins.usgov, l4);
    const m = (await gov.get(`/me/messages/${IDS.messages.q3Plan}`)).body;
    assert.equal(m.subject, 'Q3 marketing plan - please review');
    assert.match(m.webLink, /^https:\/\/outlook\.office365\.us\//);
    const l5 = await emu.issueAccessToken({ clientId: DEFAULT_SEED_IDS.apps.multiTenant.clientId, user: ADELE, cloud: 'usgov', audience: 'https://dod-graph.microsoft.us', scopes: ['Mail.Read'] });
    assert.equal((await client(emu.origins.dod, l5).get('/me/mailFolders/inbox')).body.totalItemCount, 3);
    assertError(await client(emu.origins.dod, l4).get('/me/messages'), 401, 'InvalidAuthenticationToken');
  });

  test('the personal account’s mailbox has AQMk ids', async () => {
    const pat = client(emu.origins.global, await delegated(emu, ['Mail.Read'], 'pat.kim@outlook.com'));
    const res = await pat.get('/me/messages');
    assert.equal(res.body.value[0].id, DEFAULT_DATA_IDS.pat.messages.welcome);
    assert.match(res.body.value[0].id, /^AQMk/);
  });
});
