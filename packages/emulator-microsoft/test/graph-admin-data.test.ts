import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, defaultSeed, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, LEE, MEGAN, client, delegated } from './graph-helpers.ts';

let emu: MicrosoftEmulator;
before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(() => emu.reset());

async function admin(method: string, path: string, body?: unknown, raw?: { type: string; data: string | Uint8Array }) {
  const init: RequestInit = { method };
  if (raw) init.headers = { 'content-type': raw.type };
  if (raw) init.body = typeof raw.data === 'string' ? raw.data : new Uint8Array(raw.data);
  else if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${emu.origins.global}/_emulator${path}`, init);
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, type: res.headers.get('content-type') };
}

describe('mail data (in-process)', () => {
  test('add puts mail in a folder as received mail; relative times use the emulator clock', async () => {
    const m = emu.mail.add(MEGAN, { from: 'Contoso HR <hr@contoso.com>', subject: 'Benefits', body: 'Open enrolment starts Monday.', receivedDateTime: 'now-2h', categories: ['HR'] });
    assert.equal(m.isRead, false);
    assert.ok(Math.abs(Date.parse(m.receivedDateTime as string) - (emu.now() - 7200_000)) < 2000, 'two hours ago on the emulator clock');
    const c = client(emu.origins.global, await delegated(emu, ['Mail.Read'], MEGAN));
    const inbox = await c.get('/me/mailFolders/inbox/messages?$select=subject,from');
    assert.deepEqual(inbox.body.value.map((x: { subject: string }) => x.subject), ['Benefits', 'Lunch on Friday?']);
    const sent = emu.mail.add(MEGAN, { folder: 'sentitems', toRecipients: [ADELE], subject: 'Mine' });
    assert.equal(sent.isRead, true);
    assert.deepEqual((sent.from as { emailAddress: { address: string } }).emailAddress.address, MEGAN);
  });

  test('update (even subjects of sent mail), move by folder, remove; folders and settings', () => {
    const updated = emu.mail.update(ADELE, DEFAULT_DATA_IDS.adele.messages.welcome, { subject: 'Renamed', isRead: false });
    assert.equal(updated.subject, 'Renamed');
    const moved = emu.mail.update(ADELE, DEFAULT_DATA_IDS.adele.messages.welcome, { folder: 'archive' });
    assert.equal(moved.parentFolderId, DEFAULT_DATA_IDS.adele.folders.archive);
    emu.mail.remove(ADELE, moved.id as string);
    assert.throws(() => emu.mail.get(ADELE, moved.id as string), /no message/);
    const folders = emu.mail.folders(ADELE);
    assert.ok(folders.some((f) => f.wellKnownName === 'recoverableitemsdeletions' && f.isHidden === true));
    const projects = emu.mail.addFolder(ADELE, { displayName: 'Projects' });
    emu.mail.add(ADELE, { folder: projects.id as string, subject: 'Filed', from: 'a@b.c' });
    assert.equal(emu.mail.list(ADELE, { folder: projects.id as string }).length, 1);
    assert.equal(emu.mail.updateSettings(ADELE, { timeZone: 'Pacific Standard Time' }).timeZone, 'Pacific Standard Time');
    assert.throws(() => emu.mail.add(LEE, { subject: 'x' }), /has no mailbox/);
    assert.throws(() => emu.mail.add('nobody@contoso.onmicrosoft.com', { subject: 'x' }), /no user/);
    assert.throws(() => emu.mail.add(ADELE, { toRecipients: ['not an address'] }), /email address/);
  });
});

describe('HTTP admin API for data', () => {
  test('messages: POST, GET list and one, PATCH, DELETE', async () => {
    const created = await admin('POST', `/users/${MEGAN}/messages`, { folder: 'inbox', from: 'x@example.com', subject: 'Via HTTP', attachments: [{ name: 'a.txt', content: 'hello' }] });
    assert.equal(created.status, 201);
    assert.equal(created.body.hasAttachments, true);
    const list = await admin('GET', `/users/${MEGAN}/messages?folder=inbox`);
    assert.deepEqual(list.body.map((m: { subject: string }) => m.subject), ['Via HTTP', 'Lunch on Friday?']);
    assert.equal((await admin('PATCH', `/users/${MEGAN}/messages/${created.body.id}`, { isRead: true })).body.isRead, true);
    assert.equal((await admin('DELETE', `/users/${MEGAN}/messages/${created.body.id}`)).status, 204);
    const missing = await admin('GET', `/users/${MEGAN}/messages/${created.body.id}`);
    assert.equal(missing.status, 404);
    assert.match(missing.type!, /^application\/problem\+json/);
    assert.equal((await admin('POST', `/users/${LEE}/messages`, { subject: 'x' })).status, 400);
    assert.equal((await admin('POST', `/users/${MEGAN}/messages`, '{not json', { type: 'application/json', data: '{not json' })).status, 400);
  });

  test('mail folders, mailbox settings and the transport log', async () => {
    assert.equal((await admin('POST', `/users/${ADELE}/mailFolders`, { displayName: 'Receipts', parent: 'inbox' })).status, 201);
    assert.ok((await admin('GET', `/users/${ADELE}/mailFolders`)).body.some((f: { displayName: string }) => f.displayName === 'Receipts'));
    const settings = await admin('PATCH', `/users/${ADELE}/mailboxSettings`, { automaticRepliesSetting: { status: 'alwaysEnabled' } });
    assert.equal(settings.body.automaticRepliesSetting.status, 'alwaysEnabled');
    const c = client(emu.origins.global, await delegated(emu, ['Mail.Send'], MEGAN));
    await c.post('/me/sendMail', { message: { subject: 'Ping', toRecipients: [{ emailAddress: { address: ADELE } }, { emailAddress: { address: 'outside@example.org' } }] } });
    const transport = await admin('GET', '/mail/transport');
    assert.deepEqual(transport.body.map((t: { subject: string; autoReply: boolean }) => [t.subject, t.autoReply]), [['Ping', false], ['Automatic reply: Ping', true]]);
    assert.deepEqual(transport.body[0].to, [ADELE, 'outside@example.org']);
  });

  test('events: POST with relative times and attendees, GET, PATCH, DELETE', async () => {
    const created = await admin('POST', `/users/${ADELE}/events`, { subject: 'Standup', start: { dateTime: 'today+1d@09:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: 'today+1d@09:15', timeZone: 'W. Europe Standard Time' }, attendees: [`Megan <${MEGAN}>`] });
    assert.equal(created.status, 201);
    assert.match(created.body.start.dateTime, /T0[78]:00:00\.0000000$/, '09:00 Berlin is 08:00 or 07:00 UTC');
    assert.ok((await admin('GET', `/users/${MEGAN}/events`)).body.some((e: { subject: string }) => e.subject === 'Standup'));
    assert.equal((await admin('PATCH', `/users/${ADELE}/events/${created.body.id}`, { subject: 'Daily standup' })).body.subject, 'Daily standup');
    assert.ok((await admin('GET', `/users/${MEGAN}/events`)).body.some((e: { subject: string }) => e.subject === 'Daily standup'));
    assert.equal((await admin('DELETE', `/users/${ADELE}/events/${created.body.id}`)).status, 204);
    assert.equal((await admin('GET', `/users/${ADELE}/events/${created.body.id}`)).status, 404);
  });

  test('drive: PUT raw content, GET it back, folders, listing, delete', async () => {
    const put = await admin('PUT', `/users/${MEGAN}/drive/content?path=/Docs/data.json`, undefined, { type: 'application/json', data: '{"raw":true}' });
    assert.equal(put.status, 200);
    assert.equal(put.body.path, '/Docs/data.json');
    const bytes = await admin('GET', `/users/${MEGAN}/drive/content?path=/Docs/data.json`);
    assert.deepEqual(bytes.body, { raw: true });
    assert.equal((await admin('POST', `/users/${MEGAN}/drive/folders`, { path: '/Docs/Archive/2024' })).status, 201);
    const tree = await admin('GET', `/users/${MEGAN}/drive/items?recursive=true`);
    assert.deepEqual(tree.body.map((i: { path: string }) => i.path), ['/Docs', '/Docs/Archive', '/Docs/Archive/2024', '/Docs/data.json']);
    assert.equal((await admin('DELETE', `/users/${MEGAN}/drive/items?path=/Docs/Archive`)).status, 204);
    assert.equal((await admin('GET', `/users/${MEGAN}/drive/items?path=/Docs/Archive`)).status, 404);
  });

  test('workbooks: PUT grids, read them through Graph, GET them back', async () => {
    const made = await admin('PUT', `/users/${MEGAN}/drive/workbooks`, { path: '/Sheets/Plan.xlsx', worksheets: [{ name: 'Plan', values: [['Task', 'Hours'], ['Design', 5], ['Build', '=B2*3']] }], tables: [{ name: 'Tasks', address: 'Plan!A1:B3' }] });
    assert.equal(made.status, 200);
    const c = client(emu.origins.global, await delegated(emu, ['Files.ReadWrite'], MEGAN));
    const range = await c.get(`/me/drive/items/${made.body.id}/workbook/worksheets('Plan')/range(address='B3')`);
    assert.deepEqual(range.body.values, [[15]]);
    const grids = await admin('GET', `/users/${MEGAN}/drive/workbooks?path=/Sheets/Plan.xlsx`);
    assert.deepEqual(grids.body.worksheets[0].values[2], ['Build', '=B2*3']);
    assert.equal((await admin('PUT', `/users/${MEGAN}/drive/workbooks`, { path: '/x.txt' })).status, 400);
  });

  test('sites, lists and items; a site drive', async () => {
    const site = await admin('POST', '/tenants/contoso/sites', { path: '/sites/Sales', displayName: 'Sales', lists: [{ displayName: 'Leads', columns: [{ name: 'Stage', type: 'choice', choices: ['New', 'Won'] }], items: [{ Title: 'Acme', Stage: 'New' }] }] });
    assert.equal(site.status, 201);
    assert.equal(site.body.webUrl, 'https://contoso.sharepoint.com/sites/Sales');
    assert.equal((await admin('POST', '/tenants/contoso/sites', { path: '/sites/Sales', displayName: 'Again' })).status, 409);
    const lists = await admin('GET', `/sites/${site.body.id}/lists`);
    assert.deepEqual(lists.body.map((l: { displayName: string }) => l.displayName), ['Documents', 'Leads']);
    const item = await admin('POST', `/sites/${site.body.id}/lists/Leads/items`, { Title: 'Globex', Stage: 'Won' });
    assert.equal(item.body.id, '2');
    assert.equal((await admin('PATCH', `/sites/${site.body.id}/lists/Leads/items/2`, { Stage: 'New' })).body.fields.Stage, 'New');
    assert.equal((await admin('POST', `/sites/${site.body.id}/lists/Leads/items`, { Title: 'Bad', Stage: 'Lost' })).status, 400);
    assert.equal((await admin('DELETE', `/sites/${site.body.id}/lists/Leads/items/1`)).status, 204);
    assert.equal((await admin('GET', `/sites/${site.body.id}/lists/Leads/items`)).body.length, 1);
    assert.equal((await admin('PUT', `/sites/${encodeURIComponent(site.body.id)}/drive/content?path=/Pitch.txt`, undefined, { type: 'text/plain', data: 'pitch' })).status, 200);
    const c = client(emu.origins.global, await delegated(emu, ['Sites.Read.All']));
    const files = await c.get('/sites/contoso.sharepoint.com:/sites/Sales:/drive/root/children');
    assert.deepEqual(files.body.value.map((f: { name: string }) => f.name), ['Pitch.txt']);
    assert.equal((await admin('GET', '/tenants/contoso/sites')).body.length, 3);
  });

  test('the change log: created / updated / deleted per user and resource, with a cursor', async () => {
    const { latest } = (await admin('GET', '/changes')).body;
    const m = emu.mail.add(ADELE, { subject: 'Watch me', from: 'a@b.c' });
    emu.mail.update(ADELE, m.id as string, { isRead: true });
    emu.mail.remove(ADELE, m.id as string);
    emu.files.put(MEGAN, '/w.txt', 'w');
    const mine = await admin('GET', `/changes?since=${latest}&user=${ADELE}&resource=message`);
    assert.deepEqual(mine.body.changes.map((c: { changeType: string; id: string }) => [c.changeType, c.id]), [['created', m.id], ['updated', m.id], ['deleted', m.id]]);
    assert.equal(mine.body.changes[0].container, DEFAULT_DATA_IDS.adele.folders.inbox);
    const all = await admin('GET', `/changes?since=${latest}`);
    assert.equal(all.body.changes.at(-1).resource, 'driveItem');
    assert.ok(all.body.latest > latest);
    assert.equal((await admin('GET', '/changes?since=soon')).status, 400);
  });
});

describe('seeds', () => {
  test('reset brings the default data back', async () => {
    emu.mail.remove(ADELE, DEFAULT_DATA_IDS.adele.messages.q3Plan);
    emu.files.remove(ADELE, '/Budget.xlsx');
    emu.reset();
    assert.equal(emu.mail.get(ADELE, DEFAULT_DATA_IDS.adele.messages.q3Plan).subject, 'Q3 marketing plan - please review');
    assert.equal(emu.files.get(ADELE, '/Budget.xlsx').id, DEFAULT_DATA_IDS.adele.drive.budgetWorkbook);
  });

  test('a custom seed can carry its own data, or none', async () => {
    const seed = defaultSeed();
    seed.data = {
      messages: [{ user: MEGAN, subject: 'Only this', from: 'x@y.z' }],
      files: [{ owner: MEGAN, path: '/Only.txt', content: 'only' }],
    };
    const custom = await start({ seed });
    try {
      assert.deepEqual(custom.mail.list(MEGAN).map((m) => m.subject), ['Only this']);
      assert.deepEqual(custom.mail.list(ADELE), []);
      assert.deepEqual(custom.files.list(MEGAN).map((f) => f.name), ['Only.txt']);
    } finally {
      await custom.close();
    }
    const bad = defaultSeed();
    bad.data = { messages: [{ user: 'ghost@contoso.onmicrosoft.com', subject: 'x' }] };
    await assert.rejects(start({ seed: bad }), /no user 'ghost@contoso\.onmicrosoft\.com'/);
  });

  test('removing a user removes their data', async () => {
    emu.removeUser(MEGAN);
    emu.upsertUser({ tenant: 'contoso', userPrincipalName: MEGAN, displayName: 'Megan Bowen' });
    assert.deepEqual(emu.mail.list(MEGAN), []);
  });
});
