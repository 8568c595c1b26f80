import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_DATA_IDS, type MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { MEGAN, assertError, client, delegated, type Client } from './graph-helpers.ts';

const IDS = DEFAULT_DATA_IDS.adele;
let emu: MicrosoftEmulator;
let adele: Client;

before(async () => (emu = await start()));
after(() => emu.close());
beforeEach(async () => {
  emu.reset();
  adele = client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite', 'Mail.Send', 'Files.ReadWrite', 'User.Read']));
});

const byId = (res: { body: { responses: { id: string }[] } }) => Object.fromEntries(res.body.responses.map((r) => [r.id, r])) as Record<string, any>;

describe('JSON batching', () => {
  test('runs each request through the router and answers per request', async () => {
    const res = await adele.post('/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/me?$select=displayName' },
        { id: '2', method: 'GET', url: `me/messages/${IDS.messages.q3Plan}?$select=subject` },
        { id: '3', method: 'PATCH', url: `/me/messages/${IDS.messages.q3Plan}`, headers: { 'Content-Type': 'application/json' }, body: { isRead: true } },
        { id: '4', method: 'GET', url: '/me/messages/not-an-id' },
        { id: '5', method: 'PUT', url: '/me/drive/root:/batch.txt:/content', headers: { 'Content-Type': 'text/plain' }, body: Buffer.from('from a batch').toString('base64') },
        { id: '6', method: 'POST', url: '/me/sendMail', headers: { 'Content-Type': 'application/json' }, body: { message: { subject: 'Batched', toRecipients: [{ emailAddress: { address: MEGAN } }] } } },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.responses.map((r: { id: string }) => r.id), ['1', '2', '3', '4', '5', '6']);
    const r = byId(res);
    assert.equal(r['1'].status, 200);
    assert.equal(r['1'].body.displayName, 'Adele Vance');
    assert.match(r['1'].headers['Content-Type'], /^application\/json/);
    assert.equal(r['2'].body.subject, 'Q3 marketing plan - please review');
    assert.equal(r['3'].status, 200);
    assert.equal(r['3'].body.isRead, true);
    assert.equal(r['4'].status, 400);
    assert.equal(r['4'].body.error.code, 'ErrorInvalidIdMalformed');
    assert.equal(r['5'].status, 201);
    assert.equal(emu.files.read('AdeleV@contoso.onmicrosoft.com', '/batch.txt').toString(), 'from a batch');
    assert.equal(r['6'].status, 202);
    assert.equal(emu.mail.list(MEGAN, { folder: 'inbox' })[0]!.subject, 'Batched');
    const logged = emu.requests({ path: '/v1.0/' }).map((e) => `${e.method} ${e.path.replace(/\/v1\.0/, '')}`);
    assert.ok(logged.includes('POST /$batch') && logged.includes('POST /me/sendMail'), 'inner requests are in the request log');
  });

  test('dependsOn orders execution; a failed dependency gives 424', async () => {
    const res = await adele.post('/$batch', {
      requests: [
        { id: 'c', method: 'GET', url: '/me/mailFolders/drafts/messages?$select=subject', dependsOn: ['b'] },
        { id: 'a', method: 'POST', url: '/me/messages', headers: { 'content-type': 'application/json' }, body: { subject: 'First' } },
        { id: 'b', method: 'POST', url: '/me/messages', headers: { 'content-type': 'application/json' }, body: { subject: 'Second' }, dependsOn: ['a'] },
        { id: 'bad', method: 'GET', url: '/me/nothing' },
        { id: 'after-bad', method: 'GET', url: '/me', dependsOn: ['bad'] },
      ],
    });
    const r = byId(res);
    assert.deepEqual(r.c.body.value.map((m: { subject: string }) => m.subject).slice(0, 2).sort(), ['First', 'Second']);
    assert.equal(r.bad.status, 400);
    assert.equal(r['after-bad'].status, 424);
  });

  test('the batch itself is 400 when malformed: more than 20, duplicate ids, unknown dependency, no requests', async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    assertError(await adele.post('/$batch', { requests: many }), 400, 'BadRequest', /maximum is 20/);
    assertError(await adele.post('/$batch', { requests: [{ id: '1', method: 'GET', url: '/me' }, { id: '1', method: 'GET', url: '/me' }] }), 400, 'BadRequest', /ids must be unique/);
    assertError(await adele.post('/$batch', { requests: [{ id: '1', method: 'GET', url: '/me', dependsOn: ['9'] }] }), 400, 'BadRequest');
    assertError(await adele.post('/$batch', { requests: [] }), 400, 'BadRequest');
    assertError(await adele.post('/$batch', { nothing: true }), 400, 'BadRequest');
    const twenty = Array.from({ length: 20 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    assert.equal((await adele.post('/$batch', { requests: twenty })).status, 200);
  });

  test('a body without Content-Type fails that request only; nextLinks point at the batch’s host', async () => {
    for (let i = 0; i < 12; i++) emu.mail.add('AdeleV@contoso.onmicrosoft.com', { folder: 'archive', subject: `n${i}` });
    const res = await adele.post('/$batch', {
      requests: [
        { id: '1', method: 'POST', url: '/me/messages', body: { subject: 'x' } },
        { id: '2', method: 'GET', url: '/me/mailFolders/archive/messages' },
      ],
    });
    const r = byId(res);
    assert.equal(r['1'].status, 400);
    assert.match(r['2'].body['@odata.nextLink'], new RegExp(`^${emu.origins.global}/v1\\.0/me/mailFolders/archive/messages\\?`));
  });

  test('each request is throttled individually: a 429 inside the batch, the others succeed', async () => {
    emu.failGraphRequests({ count: 1, path: '/messages', retryAfterSeconds: 7 });
    const res = await adele.post('/$batch', {
      requests: [
        { id: '1', method: 'GET', url: '/me' },
        { id: '2', method: 'GET', url: '/me/messages' },
        { id: '3', method: 'GET', url: '/me/messages' },
      ],
    });
    assert.equal(res.status, 200);
    const r = byId(res);
    assert.equal(r['1'].status, 200);
    assert.equal(r['2'].status, 429);
    assert.equal(r['2'].headers['Retry-After'], '7');
    assert.equal(r['2'].body.error.code, 'TooManyRequests');
    assert.equal(r['3'].status, 200);
  });

  test('the batch needs a valid token like any request', async () => {
    const anonymous = client(emu.origins.global);
    assertError(await anonymous.post('/$batch', { requests: [{ id: '1', method: 'GET', url: '/me' }] }), 401, 'InvalidAuthenticationToken');
  });
});
