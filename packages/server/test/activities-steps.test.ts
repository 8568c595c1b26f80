import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { builtInConnectorsDir } from '@switchboard/catalog';
import { CHUNK_BYTES, SIMPLE_UPLOAD_LIMIT, decodedLength } from '../src/activities/steps/graph-upload-file.ts';
import { columnIndex, columnName, parseAddress, spanFrom } from '../src/activities/steps/a1.ts';
import type { Problem } from '../src/problems/problem.ts';
import { harness } from './support/activity-fakes.ts';

// The named steps of the Microsoft 365 activities, on the real definition, against a fake Graph
// that records every request: the multi-request flows the emulator cannot (yet) show end to end.
const M365 = JSON.parse(readFileSync(new URL('microsoft-365.json', builtInConnectorsDir), 'utf8'));
const GRAPH = 'https://graph.microsoft.com/v1.0';

describe('graph-upload-file', () => {
  test('a small file is one PUT of the bytes to {parent}:/{name}:/content', async () => {
    const h = harness(M365, { values: {} });
    h.vendor.answer = () => ({ status: 201, json: { id: 'f1', name: 'a b.txt', size: 2 } });
    const r = await h.run('upload-file', { fileName: 'a b.txt', parentPath: 'Docs/2024', contentBase64: Buffer.from('hi').toString('base64'), contentType: 'text/plain' });
    assert.deepEqual(r.output, { id: 'f1', name: 'a b.txt', size: 2 });
    const [put] = h.vendor.sent;
    assert.equal(put!.method, 'PUT');
    assert.equal(put!.url.href, `${GRAPH}/me/drive/root:/Docs/2024/a%20b.txt:/content?%40microsoft.graph.conflictBehavior=replace`);
    assert.equal(put!.headers['content-type'], 'text/plain');
    assert.equal(put!.text, 'hi');
  });

  test('above 4 MB: createUploadSession, then sequential chunks with Content-Range, following nextExpectedRanges', async () => {
    const h = harness(M365, { values: {} });
    const size = SIMPLE_UPLOAD_LIMIT + CHUNK_BYTES + 10;
    const bytes = Buffer.alloc(size, 1);
    const uploadUrl = 'https://contoso-my.sharepoint.com/_api/v2.0/uploadSession?guid=g&tempauth=t';
    h.vendor.answer = (r) => {
      if (r.url.pathname.endsWith('/createUploadSession')) return { json: { uploadUrl, expirationDateTime: '2030-01-01T00:00:00Z' } };
      const [, start, end] = /bytes (\d+)-(\d+)\//.exec(r.headers['content-range']!)!.map(Number) as [number, number, number];
      return end + 1 < size ? { status: 202, json: { nextExpectedRanges: [`${end + 1}-`] } } : { status: 201, json: { id: 'big', size, start } };
    };
    const r = await h.run('upload-file', { fileName: 'big.bin', parentId: 'P1', contentBase64: bytes.toString('base64'), conflictBehavior: 'rename' });
    assert.equal((r.output as { id: string }).id, 'big');
    const [create, ...chunks] = h.vendor.sent;
    assert.equal(create!.method, 'POST');
    assert.equal(create!.url.href, `${GRAPH}/me/drive/items/P1:/big.bin:/createUploadSession`);
    assert.deepEqual(JSON.parse(create!.text!), { item: { '@microsoft.graph.conflictBehavior': 'rename' } });
    assert.deepEqual(chunks.map((c) => c.headers['content-range']), [
      `bytes 0-${CHUNK_BYTES - 1}/${size}`,
      `bytes ${CHUNK_BYTES}-${2 * CHUNK_BYTES - 1}/${size}`,
      `bytes ${2 * CHUNK_BYTES}-${size - 1}/${size}`,
    ]);
    assert.ok(chunks.every((c) => c.method === 'PUT' && c.url.href === uploadUrl), 'to the pre-authorised URL as given (another origin: no credentials)');
    assert.ok(chunks.every((c) => (c.body as Uint8Array).length <= CHUNK_BYTES && CHUNK_BYTES % 327_680 === 0));
    assert.equal(r.calls, 4);
  });

  test('a failing chunk cancels the session and reports how far it got', async () => {
    const h = harness(M365, { values: {} });
    const size = SIMPLE_UPLOAD_LIMIT + 5;
    h.vendor.answer = (r) => {
      if (r.method === 'POST') return { json: { uploadUrl: 'https://contoso-my.sharepoint.com/up?guid=1' } };
      if (r.method === 'DELETE') return { status: 204 };
      return r.headers['content-range']!.startsWith('bytes 0-') ? { status: 202, json: { nextExpectedRanges: [`${CHUNK_BYTES}-`] } } : { status: 416, json: { error: { code: 'invalidRange', message: 'overlap' } } };
    };
    await assert.rejects(h.run('upload-file', { fileName: 'x.bin', contentBase64: Buffer.alloc(size).toString('base64') }), (e: Problem) => {
      assert.equal(e.code, 'ACTIVITY_INCOMPLETE');
      assert.equal(e.extensions.uploadedBytes, CHUNK_BYTES);
      assert.equal(e.extensions.completedSteps, 2, 'the session and one chunk');
      return true;
    });
    assert.equal(h.vendor.sent.at(-1)!.method, 'DELETE', 'the session is cancelled');
    assert.equal(decodedLength(Buffer.alloc(5).toString('base64')), 5);
  });
});

describe('other Microsoft 365 steps', () => {
  test('graph-send-email: sendMail, or the same message saved as a draft', async () => {
    const h = harness(M365, { values: {} });
    h.vendor.answer = (r) => (r.url.pathname.endsWith('/sendMail') ? { status: 202 } : { status: 201, json: { id: 'd1', isDraft: true } });
    assert.deepEqual((await h.run('send-email', { to: ['a@b.co'], subject: 'S', body: '<p>x</p>', bodyType: 'HTML', mailbox: 'shared@b.co' })).output, { sent: true });
    const sent = h.vendor.sent[0]!;
    assert.equal(sent.url.pathname, '/v1.0/users/shared%40b.co/sendMail');
    assert.deepEqual(JSON.parse(sent.text!), { message: { subject: 'S', body: { contentType: 'HTML', content: '<p>x</p>' }, toRecipients: [{ emailAddress: { address: 'a@b.co' } }] }, saveToSentItems: true });
    const draft = await h.run('send-email', { to: ['a@b.co'], subject: 'S', saveAsDraft: true, attachments: [{ name: 'n.txt', contentBase64: 'aGk=' }] });
    assert.deepEqual(draft.output, { sent: false, draft: { id: 'd1', isDraft: true } });
    const post = h.vendor.sent[1]!;
    assert.equal(post.url.pathname, '/v1.0/me/messages');
    assert.deepEqual(JSON.parse(post.text!), {
      subject: 'S', body: { contentType: 'Text', content: '' }, toRecipients: [{ emailAddress: { address: 'a@b.co' } }],
      attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'n.txt', contentType: 'application/octet-stream', contentBytes: 'aGk=' }],
    });
  });

  test('graph-add-categories and graph-remove-categories read, then write the whole list', async () => {
    const h = harness(M365, { values: {} });
    let categories = ['Red', 'Blue'];
    h.vendor.answer = (r) => {
      if (r.method === 'PATCH') categories = JSON.parse(r.text!).categories;
      return { json: { id: 'm', categories } };
    };
    await h.run('add-email-categories', { messageId: 'm', categories: ['blue', 'Green'] });
    assert.deepEqual(categories, ['Red', 'Blue', 'Green']);
    assert.equal(h.vendor.sent[0]!.url.search, '?%24select=categories');
    await h.run('remove-email-categories', { messageId: 'm', categories: ['RED'] });
    assert.deepEqual(categories, ['Blue', 'Green']);
  });

  test('graph-copy-item polls the monitor until completed, then reads the copy', async () => {
    const h = harness(M365, { values: {} });
    let polls = 0;
    h.vendor.answer = (r) => {
      if (r.url.pathname.endsWith('/copy')) return { status: 202, headers: { location: 'https://contoso-my.sharepoint.com/_api/v2.0/monitor/abc' } };
      if (r.url.pathname.includes('/monitor/')) return ++polls < 3 ? { status: 202, json: { status: 'inProgress', percentageComplete: 50 } } : { json: { status: 'completed', resourceId: 'NEW' } };
      return { json: { id: 'NEW', name: 'copy.txt' } };
    };
    const r = await h.run('copy-item', { path: 'a.txt', destinationParentId: 'F', newName: 'copy.txt' });
    assert.deepEqual(r.output, { itemId: 'NEW', status: 'completed', item: { id: 'NEW', name: 'copy.txt' } });
    assert.equal(h.vendor.sent[0]!.url.href, `${GRAPH}/me/drive/root:/a.txt:/copy?%40microsoft.graph.conflictBehavior=fail`);
    assert.deepEqual(JSON.parse(h.vendor.sent[0]!.text!), { parentReference: { id: 'F' }, name: 'copy.txt' });
    assert.equal(h.vendor.sent.at(-1)!.url.href, `${GRAPH}/me/drive/items/NEW`);
    assert.equal(polls, 3);
  });

  test('excel-write-range spans a start cell to the size of the values; excel-append-row writes below the used range', async () => {
    const h = harness(M365, { values: {} });
    h.vendor.answer = (r) => (r.url.pathname.includes('usedRange') ? { json: { address: "'My Sheet'!B2:D7", values: [['x']] } } : { json: { address: 'x', values: [] } });
    await h.run('write-range', { itemId: 'W', sheet: 'My Sheet', address: 'C3', values: [[1, 2, 3], [4, 5, null]] });
    assert.equal(decodeURIComponent(h.vendor.sent[0]!.url.pathname), "/v1.0/me/drive/items/W/workbook/worksheets/My Sheet/range(address='C3:E4')");
    assert.deepEqual(JSON.parse(h.vendor.sent[0]!.text!), { values: [[1, 2, 3], [4, 5, null]] });
    await h.run('append-row', { path: 'Book.xlsx', sheet: 'My Sheet', row: ['a', 'b'] });
    assert.equal(decodeURIComponent(h.vendor.sent.at(-1)!.url.pathname), "/v1.0/me/drive/root:/Book.xlsx:/workbook/worksheets/My Sheet/range(address='A8:B8')");
    assert.equal(columnName(0), 'A');
    assert.equal(columnName(25), 'Z');
    assert.equal(columnName(26), 'AA');
    assert.equal(columnName(16383), 'XFD');
    assert.equal(columnIndex('XFD'), 16383);
    assert.equal(spanFrom({ column: 25, row: 9 }, 2, 2), 'Z9:AA10');
    assert.deepEqual(parseAddress('Sheet1!A1'), { from: { column: 0, row: 1 }, to: { column: 0, row: 1 } });
  });
});
