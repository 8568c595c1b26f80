import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { quickXorHash } from '../src/data/files/quick-xor.ts';
import { DEFAULT_DATA_IDS, DEFAULT_SEED_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, LEE, MEGAN, allPages, appOnly, assertError, client, delegated, type Client } from './graph-helpers.ts';

const IDS = DEFAULT_DATA_IDS.adele.drive;
const CHUNK = 327_680;
let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Files.ReadWrite']));
});

const names = (res: { body: { value: { name: string }[] } }) => res.body.value.map((i) => i.name);

describe('quickXorHash', () => {
  test('matches published test vectors (rclone’s quickxorhash suite)', () => {
    const vectors: [string, string][] = [
      ['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
      ['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
      ['2fuxhBJXtpWFe8dOfdGeHw==', 'O9tHLAghgSvYohKFyMMxnNCHaHg='],
      ['DWAAX5/CIfrmErgZa8ot6ZraeSbu', 'LR2Z0PjuRYGKQB/mhQAuMrAGZbQ='],
    ];
    for (const [input, hash] of vectors) assert.equal(quickXorHash(Buffer.from(input, 'base64')), hash, input);
  });
});

describe('drives and items', () => {
  test('/me/drive, /drives/{id}, root and children in OneDrive for Business shape', async () => {
    const drive = await adele.get('/me/drive');
    assert.equal(drive.status, 200);
    assert.equal(drive.body.id, IDS.id);
    assert.equal(drive.body.driveType, 'business');
    assert.equal(drive.body.owner.user.displayName, 'Adele Vance');
    assert.equal((await adele.get(`/drives/${IDS.id}`)).body.id, IDS.id);
    const root = await adele.get('/me/drive/root');
    assert.equal(root.body.id, IDS.root);
    assert.deepEqual(root.body.root, {});
    assert.equal(root.body.folder.childCount, 3);
    assert.deepEqual(names(await adele.get('/me/drive/root/children')), ['Budget.xlsx', 'Projects', 'Welcome.txt']);
    const plan = await adele.get(`/me/drive/items/${IDS.projectPlan}`);
    const b = plan.body;
    assert.equal(b.name, 'Project-Plan.txt');
    assert.equal(b.file.mimeType, 'text/plain');
    assert.equal(b.file.hashes.quickXorHash, quickXorHash(Buffer.from('Project plan\n1. Research\n2. Design\n3. Launch\n')));
    assert.match(b.eTag, /^"\{[0-9A-F-]{36}\},\d+"$/);
    assert.match(b.cTag, /^"c:\{[0-9A-F-]{36}\},\d+"$/);
    assert.deepEqual(b.parentReference, { driveType: 'business', driveId: IDS.id, id: IDS.projectsFolder, name: 'Projects', path: '/drive/root:/Projects' });
    assert.equal(b.webUrl, 'https://contoso-my.sharepoint.com/personal/adelev_contoso_onmicrosoft_com/Documents/Projects/Project-Plan.txt');
    assert.deepEqual(b.createdBy, { user: { displayName: 'System Account', id: '' } });
  });

  test('path addressing: root:/a/b, root:/a:/children, items/{id}:/name', async () => {
    assert.equal((await adele.get('/me/drive/root:/Projects/Project-Plan.txt')).body.id, IDS.projectPlan);
    assert.equal((await adele.get('/me/drive/root:/projects/project-plan.TXT:')).body.id, IDS.projectPlan, 'names ignore case');
    assert.deepEqual(names(await adele.get('/me/drive/root:/Projects:/children')), ['Project-Plan.txt', 'Requirements.md']);
    assert.equal((await adele.get(`/me/drive/items/${IDS.projectsFolder}:/Requirements.md`)).body.id, IDS.requirements);
    assert.equal((await adele.get(`/drives/${IDS.id}/root:/Welcome.txt`)).body.id, IDS.welcome);
    assertError(await adele.get('/me/drive/root:/Nope.txt'), 404, 'itemNotFound', 'The resource could not be found.');
    assertError(await adele.get('/me/drive/items/01AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 404, 'itemNotFound');
  });

  test('children page at 200 by default with a nextLink; $top pages; $orderby and $filter', async () => {
    for (let i = 0; i < 205; i++) emu.files.put(ADELE, `/Many/file-${String(i).padStart(3, '0')}.txt`, `#${i}`);
    const first = await adele.get('/me/drive/root:/Many:/children');
    assert.equal(first.body.value.length, 200);
    assert.match(first.body['@odata.nextLink'], /\$skiptoken=|%24skiptoken=/);
    const { values, links } = await allPages(adele, '/me/drive/root:/Many:/children?$top=60&$select=name');
    assert.equal(values.length, 205);
    assert.equal(links.length, 3);
    const ordered = await adele.get('/me/drive/root:/Many:/children?$orderby=name desc&$top=2&$select=name');
    assert.deepEqual(names(ordered), ['file-204.txt', 'file-203.txt']);
    const filtered = await adele.get("/me/drive/root:/Many:/children?$filter=startswith(name,'file-10')&$select=name");
    assert.equal(filtered.body.value.length, 10);
    const found = await adele.get("/me/drive/root/search(q='file-20')?$select=name");
    assert.deepEqual(names(found), ['file-200.txt', 'file-201.txt', 'file-202.txt', 'file-203.txt', 'file-204.txt']);
  });

  test('create folders: 201, nameAlreadyExists with fail, rename and replace', async () => {
    const made = await adele.post('/me/drive/root/children', { name: 'Reports', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' });
    assert.equal(made.status, 201);
    assert.deepEqual(made.body.folder, { childCount: 0 });
    assertError(await adele.post('/me/drive/root/children', { name: 'reports', folder: {} }), 409, 'nameAlreadyExists');
    const renamed = await adele.post('/me/drive/root/children', { name: 'Reports', folder: {}, '@microsoft.graph.conflictBehavior': 'rename' });
    assert.equal(renamed.body.name, 'Reports 1');
    const replaced = await adele.post('/me/drive/root/children', { name: 'Reports', folder: {}, '@microsoft.graph.conflictBehavior': 'replace' });
    assert.notEqual(replaced.body.id, made.body.id);
    assertError(await adele.post('/me/drive/root/children', { name: 'x.txt', file: {} }), 400, 'invalidRequest');
    assertError(await adele.post(`/me/drive/items/${IDS.welcome}/children`, { name: 'Sub', folder: {} }), 400, 'invalidRequest');
  });

  test('simple upload: new path 201 (folders created), replace 200 with the same id, by item id', async () => {
    const created = await adele.put('/me/drive/root:/Inbox files/report.csv:/content', 'a,b\n1,2\n', { headers: { 'content-type': 'text/csv' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.size, 8);
    assert.equal(created.body.file.mimeType, 'text/csv');
    assert.equal(created.body.parentReference.path, '/drive/root:/Inbox%20files');
    const replaced = await adele.put(`/me/drive/items/${created.body.id}/content`, 'a,b\n3,4\n5,6\n');
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.id, created.body.id);
    assert.notEqual(replaced.body.cTag, created.body.cTag);
    const byParent = await adele.put(`/me/drive/items/${IDS.projectsFolder}:/notes.json:/content`, '{"a":1}', { headers: { 'content-type': 'application/json' } });
    assert.equal(byParent.status, 201);
    assert.equal(emu.files.read(ADELE, '/Projects/notes.json').toString(), '{"a":1}', 'a JSON file is stored as bytes, not parsed');
    const conflict = await adele.put('/me/drive/root:/Welcome.txt:/content?@microsoft.graph.conflictBehavior=fail', 'x');
    assertError(conflict, 409, 'nameAlreadyExists');
    const renamed = await adele.put('/me/drive/root:/Welcome.txt:/content?@microsoft.graph.conflictBehavior=rename', 'x');
    assert.equal(renamed.body.name, 'Welcome 1.txt');
  });

  test('download: 302 to a pre-authenticated URL that needs no token; Range works', async () => {
    const res = await adele.get(`/me/drive/items/${IDS.welcome}/content`);
    assert.equal(res.status, 302);
    const location = res.headers.get('location')!;
    assert.ok(location.startsWith(`${emu.origins.global}/_layouts/15/download.aspx?`), location);
    const bytes = await fetch(location);
    assert.equal(bytes.status, 200);
    assert.equal(await bytes.text(), 'Welcome to OneDrive, Adele.\n');
    const item = (await adele.get(`/me/drive/items/${IDS.welcome}`)).body;
    assert.equal(await (await fetch(item['@microsoft.graph.downloadUrl'])).text(), 'Welcome to OneDrive, Adele.\n');
    const part = await fetch(location, { headers: { range: 'bytes=0-6' } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'Welcome');
    const forged = await fetch(location.replace(/tempauth=[^&]+/, 'tempauth=forged.token'));
    assert.equal(forged.status, 401);
    emu.advanceClock(3700);
    assert.equal((await fetch(location)).status, 401, 'download URLs expire after an hour');
  });

  test('PATCH renames and moves; If-Match guards; DELETE 204', async () => {
    const renamed = await adele.patch(`/me/drive/items/${IDS.welcome}`, { name: 'Hello.txt' });
    assert.equal(renamed.body.name, 'Hello.txt');
    const moved = await adele.patch(`/me/drive/items/${IDS.welcome}`, { parentReference: { id: IDS.projectsFolder } });
    assert.equal(moved.body.parentReference.path, '/drive/root:/Projects');
    assertError(await adele.patch(`/me/drive/items/${IDS.welcome}`, { name: 'Requirements.md' }), 409, 'nameAlreadyExists');
    assertError(await adele.patch(`/me/drive/items/${IDS.projectsFolder}`, { parentReference: { id: IDS.projectsFolder } }), 400, 'invalidRequest');
    assertError(await adele.patch(`/me/drive/items/${IDS.welcome}`, { name: 'x.txt' }, { headers: { 'if-match': '"{00000000-0000-0000-0000-000000000000},1"' } }), 412, 'resourceModified');
    const current = (await adele.get(`/me/drive/items/${IDS.welcome}`)).body.eTag;
    assert.equal((await adele.patch(`/me/drive/items/${IDS.welcome}`, { description: 'moved' }, { headers: { 'if-match': current } })).status, 200);
    assert.equal((await adele.del(`/me/drive/items/${IDS.projectsFolder}`)).status, 204);
    assertError(await adele.get(`/me/drive/items/${IDS.welcome}`), 404, 'itemNotFound', undefined);
    assertError(await adele.del(`/me/drive/items/${IDS.root}`), 400, 'invalidRequest');
  });

  test('copy: 202 with a monitor URL that reports the new item; 409 on a name in use', async () => {
    const res = await adele.post(`/me/drive/items/${IDS.projectsFolder}/copy`, { name: 'Projects (copy)' });
    assert.equal(res.status, 202);
    const monitor = res.headers.get('location')!;
    assert.ok(monitor.startsWith(`${emu.origins.global}/_api/v2.0/monitor/`));
    const status = await (await fetch(monitor)).json();
    assert.equal(status.status, 'completed');
    assert.equal(status.percentageComplete, 100);
    const copy = await adele.get(`/me/drive/items/${status.resourceId}`);
    assert.equal(copy.body.name, 'Projects (copy)');
    assert.deepEqual(names(await adele.get(`/me/drive/items/${status.resourceId}/children`)), ['Project-Plan.txt', 'Requirements.md']);
    assertError(await adele.post(`/me/drive/items/${IDS.welcome}/copy`, {}), 409, 'nameAlreadyExists');
    const into = await adele.post(`/me/drive/items/${IDS.welcome}/copy?@microsoft.graph.conflictBehavior=rename`, { parentReference: { driveId: IDS.id, id: IDS.projectsFolder } });
    assert.equal(into.status, 202);
    assert.ok(emu.files.list(ADELE, { path: '/Projects' }).some((i) => i.name === 'Welcome.txt'));
  });

  test('invite: 200 with permissions; sendInvitation mails emulator users', async () => {
    const writer = client(emu.origins.global, await delegated(emu, ['Files.ReadWrite', 'Mail.Send']));
    const res = await writer.post(`/me/drive/items/${IDS.projectPlan}/invite`, {
      recipients: [{ email: MEGAN }, { email: 'partner@example.com' }],
      roles: ['write'],
      requireSignIn: true,
      sendInvitation: true,
      message: 'Please edit the plan.',
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.value.length, 2);
    const [megan, partner] = res.body.value;
    assert.deepEqual(megan.roles, ['write']);
    assert.deepEqual(megan.invitation, { email: MEGAN, signInRequired: true });
    assert.equal(megan.grantedToV2.user.id, DEFAULT_SEED_IDS.users.megan);
    assert.equal(partner.grantedToV2.user.displayName, 'partner@example.com');
    const mail = emu.mail.list(MEGAN, { folder: 'inbox' })[0]!;
    assert.equal(mail.subject, 'Adele Vance shared "Project-Plan.txt" with you');
    assert.match((mail.body as { content: string }).content, /Please edit the plan\./);
    assert.equal((await writer.get(`/me/drive/items/${IDS.projectPlan}/permissions`)).body.value.length, 2);
    assertError(await writer.post(`/me/drive/items/${IDS.projectPlan}/invite`, { recipients: [{ email: MEGAN }], roles: ['own'] }), 400, 'invalidRequest');
  });

  test('content?format=pdf: 302 to a converted PDF for supported types, 406 otherwise', async () => {
    const res = await adele.get(`/me/drive/items/${IDS.budgetWorkbook}/content?format=pdf`);
    assert.equal(res.status, 302);
    const pdf = await fetch(res.headers.get('location')!);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.headers.get('content-disposition')!, /Budget\.pdf/);
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    assert.match(text, /^%PDF-1\.4\n/);
    assert.match(text, /\(Travel  1200\)|Travel/);
    assert.match(text, /%%EOF\n$/);
    assertError(await adele.get(`/me/drive/items/${IDS.welcome}/content?format=pdf`), 406, 'notSupported');
    assertError(await adele.get(`/me/drive/items/${IDS.welcome}/content?format=jpg`), 400, 'invalidRequest');
  });

  test('createLink: 201 then 200 for the same link; permissions list', async () => {
    const link = await adele.post(`/me/drive/items/${IDS.projectPlan}/createLink`, { type: 'view', scope: 'anonymous' });
    assert.equal(link.status, 201);
    assert.deepEqual(link.body.roles, ['read']);
    assert.equal(link.body.link.type, 'view');
    assert.equal(link.body.link.scope, 'anonymous');
    assert.match(link.body.link.webUrl, /^https:\/\/contoso-my\.sharepoint\.com\/:t:\/g\//);
    const again = await adele.post(`/me/drive/items/${IDS.projectPlan}/createLink`, { type: 'view', scope: 'anonymous' });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, link.body.id);
    const edit = await adele.post(`/me/drive/items/${IDS.projectPlan}/createLink`, { type: 'edit' });
    assert.deepEqual(edit.body.roles, ['write']);
    assert.equal(edit.body.link.scope, 'organization');
    assert.equal((await adele.get(`/me/drive/items/${IDS.projectPlan}/permissions`)).body.value.length, 2);
    assertError(await adele.post(`/me/drive/items/${IDS.projectPlan}/createLink`, { type: 'embed' }), 400, 'notSupported');
  });
});

describe('upload sessions', () => {
  async function session(path = '/me/drive/root:/Videos/big.bin:/createUploadSession', body: unknown = {}) {
    const res = await adele.post(path, body);
    assert.equal(res.status, 200, res.text);
    return res.body as { uploadUrl: string; expirationDateTime: string };
  }

  const put = (url: string, range: string, bytes: Buffer, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'PUT', headers: { 'content-range': range, ...headers }, body: new Uint8Array(bytes) });

  test('fragments of 320 KiB multiples: 202 with nextExpectedRanges, then 201 with the item', async () => {
    const s = await session();
    assert.ok(s.uploadUrl.startsWith(`${emu.origins.global}/_api/v2.0/uploadSession?`));
    assert.ok(Date.parse(s.expirationDateTime) > emu.now());
    const total = CHUNK * 2 + 1000;
    const data = Buffer.alloc(total, 7);
    const r1 = await put(s.uploadUrl, `bytes 0-${CHUNK - 1}/${total}`, data.subarray(0, CHUNK));
    assert.equal(r1.status, 202);
    assert.deepEqual((await r1.json()).nextExpectedRanges, [`${CHUNK}-${total - 1}`]);
    const status = await (await fetch(s.uploadUrl)).json();
    assert.deepEqual(status.nextExpectedRanges, [`${CHUNK}-${total - 1}`]);
    assert.equal((await put(s.uploadUrl, `bytes ${CHUNK}-${2 * CHUNK - 1}/${total}`, data.subarray(CHUNK, 2 * CHUNK))).status, 202);
    const last = await put(s.uploadUrl, `bytes ${2 * CHUNK}-${total - 1}/${total}`, data.subarray(2 * CHUNK));
    assert.equal(last.status, 201);
    const item = await last.json();
    assert.equal(item.name, 'big.bin');
    assert.equal(item.size, total);
    assert.ok(emu.files.read(ADELE, '/Videos/big.bin').equals(data));
    assert.equal((await fetch(s.uploadUrl)).status, 404, 'a finished session is gone');
  });

  test('the upload URL refuses an Authorization header with 401', async () => {
    const s = await session();
    const res = await put(s.uploadUrl, 'bytes 0-9/10', Buffer.alloc(10), { authorization: 'Bearer anything' });
    assert.equal(res.status, 401);
    const body = await res.json();
    assert.equal(body.error.code, 'unauthenticated');
    assert.equal((await put(s.uploadUrl, 'bytes 0-9/10', Buffer.alloc(10))).status, 201, 'without the header it works');
  });

  test('416 for overlapping or out-of-order ranges; 400 for bad fragments; GET status; DELETE cancels', async () => {
    const s = await session();
    const total = CHUNK * 3;
    assert.equal((await put(s.uploadUrl, `bytes 0-${CHUNK - 1}/${total}`, Buffer.alloc(CHUNK))).status, 202);
    const overlap = await put(s.uploadUrl, `bytes 0-${CHUNK - 1}/${total}`, Buffer.alloc(CHUNK));
    assert.equal(overlap.status, 416);
    assert.equal((await overlap.json()).error.code, 'invalidRange');
    assert.equal((await put(s.uploadUrl, `bytes ${2 * CHUNK}-${total - 1}/${total}`, Buffer.alloc(CHUNK))).status, 416, 'skipping ahead');
    const odd = await put(s.uploadUrl, `bytes ${CHUNK}-${CHUNK + 999}/${total}`, Buffer.alloc(1000));
    assert.equal(odd.status, 400, 'a middle fragment must be a multiple of 320 KiB');
    assert.equal((await put(s.uploadUrl, `bytes ${CHUNK}-${2 * CHUNK - 1}/${total + 1}`, Buffer.alloc(CHUNK))).status, 400, 'the total cannot change');
    assert.equal((await put(s.uploadUrl, `bytes ${CHUNK}-${2 * CHUNK - 1}/${total}`, Buffer.alloc(10))).status, 400, 'body shorter than the range');
    assert.equal((await fetch(s.uploadUrl, { method: 'PUT', body: Buffer.alloc(1) })).status, 400, 'Content-Range is required');
    assert.equal((await fetch(s.uploadUrl, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(s.uploadUrl)).status, 404);
  });

  test('replacing an existing file keeps its id (200); a name taken meanwhile fails the last fragment with 409', async () => {
    const existing = await session(`/me/drive/items/${IDS.welcome}/createUploadSession`);
    const done = await put(existing.uploadUrl, 'bytes 0-4/5', Buffer.from('hello'));
    assert.equal(done.status, 200);
    assert.equal((await done.json()).id, IDS.welcome);
    const s = await session('/me/drive/root:/race.txt:/createUploadSession', { item: { '@microsoft.graph.conflictBehavior': 'fail' } });
    emu.files.put(ADELE, '/race.txt', 'first');
    const conflict = await put(s.uploadUrl, 'bytes 0-4/5', Buffer.from('later'));
    assert.equal(conflict.status, 409);
    assert.equal((await conflict.json()).error.code, 'nameAlreadyExists');
  });

  test('deferCommit waits for an empty POST; sessions expire', async () => {
    const s = await session('/me/drive/root:/deferred.txt:/createUploadSession', { deferCommit: true });
    const last = await put(s.uploadUrl, 'bytes 0-2/3', Buffer.from('abc'));
    assert.equal(last.status, 202);
    assert.deepEqual((await last.json()).nextExpectedRanges, []);
    assertError(await adele.get('/me/drive/root:/deferred.txt'), 404, 'itemNotFound');
    const commit = await fetch(s.uploadUrl, { method: 'POST' });
    assert.equal(commit.status, 201);
    assert.equal(emu.files.read(ADELE, '/deferred.txt').toString(), 'abc');
    const old = await session();
    emu.advanceClock(25 * 3600);
    assert.equal((await put(old.uploadUrl, 'bytes 0-0/1', Buffer.from('x'))).status, 404);
  });
});

describe('transfer URLs on SharePoint hosts (transferLinks: sharepoint)', () => {
  test('URLs use the tenant’s SharePoint hosts, which the host map sends back to the listeners', async () => {
    const sp = await start({ transferLinks: 'sharepoint' });
    try {
      assert.equal(sp.hostMapEntries['contoso-my.sharepoint.com'], sp.origins.global);
      assert.equal(sp.hostMapEntries['fabrikam.sharepoint.us'], sp.origins.usgov);
      assert.equal(sp.hostMapEntries['contoso.sharepoint-mil.us'], sp.origins.dod);
      assert.ok(sp.hostMap.includes(`contoso.sharepoint.cn=${sp.origins.china}`));
      const c = client(sp.origins.global, await delegated(sp, ['Files.ReadWrite.All', 'Sites.ReadWrite.All']));
      const via = (url: string) => {
        const u = new URL(url);
        return `${sp.hostMapEntries[u.host]}${u.pathname}${u.search}`;
      };
      const download = (await c.get(`/me/drive/items/${IDS.welcome}/content`)).headers.get('location')!;
      assert.match(download, /^https:\/\/contoso-my\.sharepoint\.com\/_layouts\/15\/download\.aspx\?/);
      assert.equal(await (await fetch(via(download))).text(), 'Welcome to OneDrive, Adele.\n');
      assert.equal(sp.requests({ path: '/_layouts/15/download.aspx' })[0]!.host, 'graph.microsoft.com', 'fetched by origin, logged under the Graph listener');
      const session = (await c.post('/sites/root/drive/root:/big.txt:/createUploadSession', {})).body;
      assert.match(session.uploadUrl, /^https:\/\/contoso\.sharepoint\.com\/_api\/v2\.0\/uploadSession\?/);
      assert.equal((await fetch(via(session.uploadUrl), { method: 'PUT', headers: { 'content-range': 'bytes 0-1/2' }, body: 'ok' })).status, 201);
      const copy = await c.post(`/me/drive/items/${IDS.welcome}/copy`, { name: 'Copy.txt' });
      assert.match(copy.headers.get('location')!, /^https:\/\/contoso-my\.sharepoint\.com\/_api\/v2\.0\/monitor\//);
      const gov = await sp.issueAccessToken({ clientId: DEFAULT_SEED_IDS.apps.multiTenant.clientId, user: ADELE, cloud: 'usgov', audience: 'https://graph.microsoft.us', scopes: ['Files.Read'] });
      const govItem = (await client(sp.origins.usgov, gov).get(`/me/drive/items/${IDS.welcome}`)).body;
      assert.match(govItem['@microsoft.graph.downloadUrl'], /^https:\/\/contoso-my\.sharepoint\.us\//);
    } finally {
      await sp.close();
    }
  });
});

describe('file permissions and other drives', () => {
  test('Files.Read cannot write; another user’s drive needs .All; app roles work on /users/{id}/drive', async () => {
    const reader = client(emu.origins.global, await delegated(emu, ['Files.Read']));
    assert.equal((await reader.get('/me/drive/root/children')).status, 200);
    assertError(await reader.put('/me/drive/root:/x.txt:/content', 'x'), 403, 'accessDenied', 'Access denied');
    assertError(await adele.get(`/users/${LEE}/drive/root/children`), 403, 'accessDenied');
    const all = client(emu.origins.global, await delegated(emu, ['Files.Read.All']));
    assert.deepEqual(names(await all.get(`/users/${LEE}/drive/root/children`)), ['Notes.txt']);
    const app = client(emu.origins.global, await appOnly(emu, ['Files.ReadWrite.All']));
    assert.equal((await app.put(`/users/${DEFAULT_SEED_IDS.users.megan}/drive/root:/from-app.txt:/content`, 'x')).status, 201);
    const item = emu.files.get(MEGAN, '/from-app.txt');
    assert.deepEqual(item.createdBy, { application: { id: DEFAULT_SEED_IDS.apps.singleTenant.clientId, displayName: 'Switchboard (Contoso only)' } });
    assertError(await app.get('/me/drive'), 400, 'BadRequest');
    const noRole = client(emu.origins.global, await appOnly(emu, ['Mail.Read']));
    assertError(await noRole.get(`/users/${ADELE}/drive`), 403, 'accessDenied');
    const fabrikam = client(emu.origins.global, await delegated(emu, ['Files.Read.All'], 'DiegoS@fabrikam.onmicrosoft.com'));
    assertError(await fabrikam.get(`/drives/${IDS.id}`), 404, 'itemNotFound', undefined);
  });

  test('a site’s document library is a drive too', async () => {
    const sites = client(emu.origins.global, await delegated(emu, ['Sites.ReadWrite.All']));
    const drive = await sites.get(`/sites/${DEFAULT_DATA_IDS.sites.marketing.id}/drive`);
    assert.equal(drive.body.driveType, 'documentLibrary');
    assert.equal(drive.body.id, DEFAULT_DATA_IDS.sites.marketing.driveId);
    assert.deepEqual(names(await sites.get('/sites/contoso.sharepoint.com:/sites/Marketing:/drive/root/children')), ['Brand-Guidelines.txt']);
    assert.equal((await sites.put(`/drives/${drive.body.id}/root:/Logos/logo.png:/content`, new Uint8Array([137, 80, 78, 71]))).status, 201);
    assert.equal(emu.files.list({ site: DEFAULT_DATA_IDS.sites.marketing.id }, { recursive: true }).length, 3);
  });
});
