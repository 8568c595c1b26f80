import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Catalog } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import { ActivityRuntime } from '../src/activities/runtime.ts';
import { toODataFilter } from '../src/activities/odata-filter.ts';
import { WhereError } from '../src/activities/where.ts';
import { nextLinkFromHeader } from '../src/activities/links.ts';
import { fileNameOf } from '../src/activities/response.ts';
import type { Connections } from '../src/connections/service.ts';
import { HostMap } from '../src/outbound/host-map.ts';
import { Problem } from '../src/problems/problem.ts';
import { FakeVendor, harness, testVendorError } from './support/activity-fakes.ts';

// A made-up connector exercising every feature of the format the runtime reads.
const obj = (props: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties: props, ...(required.length ? { required } : {}) });
const activity = (key: string, extra: Record<string, unknown>) => ({ key, displayName: key, description: `The ${key} activity.`, curated: true, output: {}, input: obj({}), ...extra });

const ACME = {
  key: 'acme',
  displayName: 'Acme',
  vendor: 'Acme Inc.',
  description: 'A test vendor.',
  categories: ['CRM'],
  lifecycle: 'custom',
  version: '1.0.0',
  baseUrl: 'https://api.acme.test/v2',
  auth: [
    {
      type: 'api-key',
      label: 'API key',
      default: true,
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      variables: { userPath: '/me' },
      inject: { in: 'header', name: 'Authorization', prefix: 'Bearer ' },
    },
  ],
  http: { offered: true },
  pagination: { style: 'cursor', cursorPath: '/next', cursorParam: 'after', limitParam: 'limit', pageSize: 2, recordsPath: '/items' },
  objects: [
    {
      key: 'ticket',
      displayName: 'Ticket',
      path: '/tickets',
      itemPath: '/tickets/{id}',
      idField: 'id',
      queryLanguage: 'odata',
      schema: { type: 'object', properties: { id: { type: 'string' }, subject: { type: 'string' }, priority: { type: 'integer' }, createdAt: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } }, requester: { type: 'object', properties: { email: { type: 'string' } } } } },
      operations: ['list', 'get', 'create', 'update', 'replace', 'delete'],
      pagination: { style: 'link', source: 'body', urlPath: '/@odata.nextLink', recordsPath: '/value' },
    },
    { key: 'note', displayName: 'Note', path: '/notes', itemPath: '/notes/{id}', idField: 'id', queryLanguage: 'none', schema: { type: 'object' }, operations: ['list', 'get'] },
  ],
  activities: [
    activity('get-thing', {
      input: obj({ id: { type: 'string', minLength: 1 }, owner: { type: 'string', minLength: 1 } }, ['id']),
      variables: { 'connection.userPath': ['/users/{owner}'] },
      request: { method: 'GET', path: '{connection.userPath}/things/{id}' },
    }),
    activity('find-things', {
      input: obj({ q: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, flag: { type: 'boolean' }, maxRecords: { type: 'integer', minimum: 1 }, trace: { type: 'string' } }),
      request: {
        method: 'GET',
        path: '/things',
        query: { q: '{q}', tag: '{tags}', flagged: { expr: "flag && 'yes'" }, fixed: 'v-{connection.apiKey}' },
        headers: { 'X-Trace': '{trace}', 'X-Count': { expr: 'length(tags || `[]`)' } },
      },
      output: { type: 'array' },
    }),
    activity('create-thing', {
      input: obj({ name: { type: 'string' }, note: { type: 'string' }, sizes: { type: 'array', items: { type: ['integer', 'null'] } }, tags: { type: 'array', items: { type: 'string' } } }, ['name']),
      request: { method: 'POST', path: '/things', body: { type: 'json', expr: '{thing: {name: name, note: note, sizes: sizes, tags: tags[].{label: @}}}' }, expectStatus: [201] },
      response: { expr: '{id: thing.id, echoed: $input.name, status: $response.status}' },
      pagination: { style: 'none' },
    }),
    activity('send-form', { input: obj({ a: { type: 'string' }, b: { type: 'array', items: { type: 'string' } } }), request: { method: 'POST', path: '/form', body: { type: 'form', expr: '{a: a, b: b}' } } }),
    activity('send-multipart', {
      input: obj({ title: { type: 'string' }, file: obj({ name: { type: 'string' }, contentType: { type: 'string' }, contentBase64: { type: 'string' } }) }),
      request: { method: 'POST', path: '/multipart', body: { type: 'multipart', expr: '{title: title, meta: {kind: `"doc"`}, file: file}' } },
    }),
    activity('upload', {
      input: obj({ name: { type: 'string' }, contentBase64: { type: 'string', contentEncoding: 'base64' }, contentType: { type: 'string' } }, ['name', 'contentBase64']),
      request: { method: 'PUT', path: '/files/{name}', headers: { 'Content-Type': '{contentType}' }, body: { type: 'raw', from: 'contentBase64' } },
    }),
    activity('download', { input: obj({ id: { type: 'string' } }, ['id']), request: { method: 'GET', path: '/files/{id}/content' }, response: { binary: true } }),
    activity('list-by-link-header', { output: { type: 'array' }, request: { method: 'GET', path: '/linked' }, pagination: { style: 'link', source: 'header', maxPages: 5 } }),
    activity('list-by-link-body', { output: { type: 'array' }, request: { method: 'GET', path: '/odata' }, pagination: { style: 'link', source: 'body', urlPath: '/@odata.nextLink', recordsPath: '/value', maxPages: 3 } }),
    activity('list-by-offset', { output: { type: 'array' }, request: { method: 'GET', path: '/offset' }, pagination: { style: 'offset', offsetParam: 'offset', limitParam: 'limit', pageSize: 2, recordsPath: '/rows' } }),
    activity('list-by-page', { output: { type: 'array' }, request: { method: 'GET', path: '/paged' }, pagination: { style: 'page', pageParam: 'page', sizeParam: 'per_page', start: 0, pageSize: 2, hasMorePath: '/more' } }),
    activity('search-by-body-cursor', {
      input: obj({ term: { type: 'string' } }),
      output: { type: 'array' },
      request: { method: 'POST', path: '/search', body: { type: 'json', expr: '{term: term}' } },
      pagination: { style: 'cursor', cursorPath: '/cursor', cursorParam: 'cursor', in: 'body', recordsPath: '/hits' },
    }),
    activity('list-defaulted', { input: obj({ maxRecords: { type: 'integer', minimum: 1, default: 3 } }), output: { type: 'array' }, request: { method: 'GET', path: '/many' } }),
    activity('send-message', {
      input: obj({
        to: { type: 'array', minItems: 1, items: obj({ address: { type: 'string', format: 'email' } }, ['address']) },
        subject: { type: 'string', maxLength: 10 },
        importance: { enum: ['low', 'high'] },
      }, ['to']),
      request: { method: 'POST', path: '/messages', body: { type: 'json', from: 'to' } },
    }),
    activity('list-ticket', { curated: false, object: 'ticket', output: { type: 'array' }, request: { method: 'GET', path: '/custom-tickets' } }),
  ],
  triggers: [],
};

const thingReply = (items: unknown[], next?: string) => ({ json: { items, ...(next ? { next } : {}) } });

describe('activity runtime: compiling requests', () => {
  test('path placeholders are percent-encoded; a variable overrides a connection value only when its input is given', async () => {
    const h = harness(ACME);
    await h.run('get-thing', { id: 'a/b c?' });
    assert.equal(h.vendor.sent[0]!.url.href, 'https://api.acme.test/v2/me/things/a%2Fb%20c%3F');
    await h.run('get-thing', { id: '1', owner: 'ops@acme.test' });
    assert.equal(h.vendor.sent[1]!.url.pathname, '/v2/users/ops%40acme.test/things/1');
    assert.equal(h.vendor.sent[1]!.method, 'GET');
    assert.equal(h.vendor.sent[1]!.options.kind, 'activity');
    assert.equal(h.vendor.sent[1]!.options.operation, 'get-thing');
    assert.equal(h.vendor.sent[1]!.options.requestId, 'req-1');
  });

  test('query and headers: absent inputs leave parameters out, lists repeat, expressions compute', async () => {
    const h = harness(ACME);
    h.vendor.answer = () => thingReply([]);
    await h.run('find-things', {});
    const bare = h.vendor.sent[0]!;
    assert.deepEqual([...bare.url.searchParams.keys()].sort(), ['fixed', 'limit'], 'only the literal one, plus the page size');
    assert.equal(bare.url.searchParams.get('fixed'), 'v-k', 'connection values render in query templates');
    assert.equal(bare.headers['x-trace'], undefined);
    assert.equal(bare.headers['x-count'], '0');

    await h.run('find-things', { q: 'a&b=c', tags: ['x', 'y'], flag: true, trace: 't 1' });
    const full = h.vendor.sent[1]!;
    assert.equal(full.url.searchParams.get('q'), 'a&b=c', 'query values are encoded by the URL, not broken by it');
    assert.deepEqual(full.url.searchParams.getAll('tag'), ['x', 'y']);
    assert.equal(full.url.searchParams.get('flagged'), 'yes');
    assert.equal(full.headers['x-trace'], 't 1', 'header names are lower-case, values as given');
    assert.equal(full.headers['x-count'], '2');
  });

  test('a JSON body built by an expression drops members that came out null, keeps nulls inside lists', async () => {
    const h = harness(ACME);
    h.vendor.answer = () => ({ status: 201, json: { thing: { id: 't1' } } });
    const r = await h.run('create-thing', { name: 'Lamp', sizes: [1, null, 3], tags: ['a'] });
    const sent = h.vendor.sent[0]!;
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(sent.text!), { thing: { name: 'Lamp', sizes: [1, null, 3], tags: [{ label: 'a' }] } });
    assert.deepEqual(r.output, { id: 't1', echoed: 'Lamp', status: 201 }, 'response.expr sees $input and $response');
    assert.equal(sent.options.kind, 'activity');
  });

  test('form, multipart and raw bodies', async () => {
    const h = harness(ACME);
    await h.run('send-form', { a: 'x y', b: ['1', '2'] });
    assert.equal(h.vendor.sent[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(h.vendor.sent[0]!.text, 'a=x+y&b=1&b=2');

    await h.run('send-multipart', { title: 'Report', file: { name: 'r.txt', contentType: 'text/plain', contentBase64: Buffer.from('hello').toString('base64') } });
    const mp = h.vendor.sent[1]!;
    assert.match(mp.headers['content-type']!, /^multipart\/form-data; boundary=/);
    const parsed = await new Response(mp.body as unknown as BodyInit, { headers: { 'content-type': mp.headers['content-type']! } }).formData();
    assert.equal(parsed.get('title'), 'Report');
    const file = parsed.get('file') as File;
    assert.equal(file.name, 'r.txt');
    assert.equal(file.type, 'text/plain');
    assert.equal(await file.text(), 'hello');
    assert.equal(await (parsed.get('meta') as File).text(), '{"kind":"doc"}');

    const bytes = Buffer.from([0, 1, 2, 255]);
    await h.run('upload', { name: 'a b.bin', contentBase64: bytes.toString('base64') });
    const raw = h.vendor.sent[2]!;
    assert.equal(raw.method, 'PUT');
    assert.equal(raw.url.pathname, '/v2/files/a%20b.bin');
    assert.deepEqual(Buffer.from(raw.body as Uint8Array), bytes, 'base64 input is sent as the decoded bytes');
    assert.equal(raw.headers['content-type'], 'application/octet-stream');
    await h.run('upload', { name: 'n', contentBase64: 'aGk=', contentType: 'text/plain' });
    assert.equal(h.vendor.sent[3]!.headers['content-type'], 'text/plain', 'a declared header wins over the body default');
  });

  test('files: base64 in JSON, or the bytes with their name', async () => {
    const h = harness(ACME);
    const bytes = Buffer.from('%PDF-1.7 binary\u0000');
    h.vendor.answer = () => ({ bytes, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="x.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf` } });
    const json = await h.run('download', { id: '1' });
    assert.deepEqual(json.output, { fileName: 'résumé.pdf', contentType: 'application/pdf', size: bytes.length, contentBase64: bytes.toString('base64') });
    assert.equal(h.vendor.sent[0]!.options.expectBinary, true);
    const raw = await h.run('download', { id: '1' }, true);
    assert.equal(h.vendor.sent[1]!.options.stream, true, 'asked for the bytes: streamed, not read into memory');
    assert.deepEqual(Buffer.concat(await raw.file!.stream!.toArray()), bytes);
    assert.equal(raw.file?.fileName, 'résumé.pdf');
    assert.equal(raw.file?.contentType, 'application/pdf');
    h.vendor.answer = () => ({ status: 404, json: { error: { code: 'itemNotFound' } } });
    await assert.rejects(h.run('download', { id: '1' }, true), (e: Problem) => e.status === 404 && (e.extensions.vendorBody as { error: { code: string } }).error.code === 'itemNotFound', 'an error answer to a stream is read and mapped');
    assert.equal(fileNameOf('attachment; filename="a \\"b\\".txt"'), 'a "b".txt');
    assert.equal(fileNameOf('inline'), null);
  });

  test('vendor error statuses go through the vendor error mapping; an unexpected success status is reported', async () => {
    const h = harness(ACME);
    h.vendor.answer = () => ({ status: 404, json: { error: { code: 'itemNotFound', message: 'gone' } } });
    await assert.rejects(h.run('get-thing', { id: 'x' }), (e: Problem) => e.status === 404 && (e.extensions.vendorBody as { error: { code: string } }).error.code === 'itemNotFound');
    h.vendor.answer = () => ({ status: 200, json: { thing: {} } });
    await assert.rejects(h.run('create-thing', { name: 'n' }), (e: Problem) => e.code === 'ACTIVITY_UNEXPECTED_RESPONSE' && /expects 201/.test(e.message));
  });
});

describe('activity runtime: input validation', () => {
  test('every error with its input path and rule, before anything is sent', async () => {
    const h = harness(ACME);
    await assert.rejects(
      h.run('send-message', { to: [{ address: 'ok@acme.test' }, { address: 'not-an-address' }, {}], subject: 'far too long a subject', importance: 'urgent', extra: 1 }),
      (e: Problem) => {
        assert.equal(e.code, 'ACTIVITY_INPUT_INVALID');
        assert.equal(e.status, 400);
        const byPath = Object.fromEntries((e.errors ?? []).map((x) => [x.path, x.rule]));
        assert.deepEqual(byPath, {
          '/input/to/1/address': 'format',
          '/input/to/2/address': 'required',
          '/input/subject': 'maxLength',
          '/input/importance': 'enum',
          '/input/extra': 'additionalProperties',
        });
        assert.match(e.message, /^\/input\//);
        return true;
      },
    );
    await assert.rejects(h.run('send-message', {}), (e: Problem) => e.errors?.[0]?.path === '/input/to' && e.errors[0].rule === 'required');
    await assert.rejects(h.run('send-message', { to: [{ address: 5 }] }), (e: Problem) => e.errors?.[0]?.path === '/input/to/0/address' && e.errors[0].rule === 'type', 'no coercion');
    assert.equal(h.vendor.sent.length, 0);
  });

  test('defaults are filled in before templates and paging see the input', async () => {
    const h = harness(ACME);
    h.vendor.answer = (_r, i) => thingReply([i * 2, i * 2 + 1], `c${i}`);
    const r = await h.run('list-defaulted');
    assert.deepEqual(r.output, [0, 1, 2]);
    assert.equal(r.truncated?.reason, 'max-records');
  });
});

describe('activity runtime: pagination', () => {
  test('cursor in the query (connector default): pages until no cursor, page size from the definition', async () => {
    const h = harness(ACME);
    h.vendor.answer = (r) => {
      const after = r.url.searchParams.get('after');
      return after === null ? thingReply([1, 2], 'c1') : after === 'c1' ? thingReply([3, 4], 'c2') : thingReply([5]);
    };
    const r = await h.run('find-things', {});
    assert.deepEqual(r.output, [1, 2, 3, 4, 5]);
    assert.equal(r.pages, 3);
    assert.equal(r.truncated, undefined);
    assert.deepEqual(h.vendor.sent.map((s) => s.url.searchParams.get('after')), [null, 'c1', 'c2']);
    assert.deepEqual(h.vendor.sent.map((s) => s.url.searchParams.get('limit')), ['2', '2', '2']);
  });

  test('cursor in the body of a POST search', async () => {
    const h = harness(ACME);
    h.vendor.answer = (r) => {
      const body = JSON.parse(r.text!);
      return { json: body.cursor ? { hits: ['b'] } : { hits: ['a'], cursor: 'k1' } };
    };
    const r = await h.run('search-by-body-cursor', { term: 'lamp' });
    assert.deepEqual(r.output, ['a', 'b']);
    assert.deepEqual(h.vendor.sent.map((s) => JSON.parse(s.text!)), [{ term: 'lamp' }, { term: 'lamp', cursor: 'k1' }]);
    assert.ok(h.vendor.sent.every((s) => s.method === 'POST'));
  });

  test('RFC 8288 Link headers, relative targets and several rel values', async () => {
    const h = harness(ACME);
    h.vendor.answer = (r) => {
      const page = Number(r.url.searchParams.get('p') ?? '1');
      const link = page < 3 ? `<https://api.acme.test/v2/first>; rel="first", </v2/linked?p=${page + 1}>; rel="next last"` : '<https://api.acme.test/v2/first>; rel=first';
      return { json: [page], headers: { link } };
    };
    const r = await h.run('list-by-link-header');
    assert.deepEqual(r.output, [1, 2, 3]);
    assert.equal(h.vendor.sent[1]!.url.href, 'https://api.acme.test/v2/linked?p=2');
    assert.equal(nextLinkFromHeader('<a,b>; title="x, y"; rel=next', new URL('https://h/z'))?.href, 'https://h/a,b');
    assert.equal(nextLinkFromHeader('<https://h/a>; rel="prev"', new URL('https://h/')), undefined);
  });

  test('a next link in the body; one on another origin is not followed (meta.truncated says so)', async () => {
    const h = harness(ACME);
    h.vendor.answer = (r) => (r.url.searchParams.get('skip') ? { json: { value: [2], '@odata.nextLink': 'https://evil.test/steal?skip=2' } } : { json: { value: [1], '@odata.nextLink': 'https://api.acme.test/v2/odata?skip=1' } });
    const r = await h.run('list-by-link-body');
    assert.deepEqual(r.output, [1, 2]);
    assert.equal(h.vendor.sent.length, 2);
    assert.equal(r.truncated?.reason, 'foreign-next-link');
    assert.match(r.truncated!.message, /evil\.test/);
  });

  test('through a host map, a next link on the emulator origin is the vendor origin', async () => {
    const h = harness(ACME, { hostMap: new HostMap({ 'api.acme.test': 'http://127.0.0.1:9' }) });
    h.vendor.answer = (r) => (r.url.searchParams.get('skip') ? { json: { value: [2] } } : { json: { value: [1], '@odata.nextLink': 'http://127.0.0.1:9/v2/odata?skip=1' } });
    const r = await h.run('list-by-link-body');
    assert.deepEqual(r.output, [1, 2]);
    assert.equal(h.vendor.sent[1]!.url.href, 'https://api.acme.test/v2/odata?skip=1', 'rewritten onto the base origin, where credentials belong');
  });

  test('offset paging stops on a short page; page paging follows hasMore from a 0-based start', async () => {
    const h = harness(ACME);
    h.vendor.answer = (r) => {
      const offset = Number(r.url.searchParams.get('offset'));
      return { json: { rows: ['a', 'b', 'c', 'd', 'e'].slice(offset, offset + Number(r.url.searchParams.get('limit'))) } };
    };
    const r = await h.run('list-by-offset');
    assert.deepEqual(r.output, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(h.vendor.sent.map((s) => s.url.searchParams.get('offset')), ['0', '2', '4']);

    const p = harness(ACME);
    p.vendor.answer = (req) => {
      const page = Number(req.url.searchParams.get('page'));
      return { json: page === 0 ? [10, 11] : [12], headers: {} };
    };
    // hasMorePath reads /more of an object body; a bare array body has none, so a short page ends it.
    const arr = await p.run('list-by-page');
    assert.deepEqual(arr.output, [10, 11, 12], 'no recordsPath: the bare array body; a full page without hasMore continues');
    assert.equal(p.vendor.sent.length, 2);
    p.vendor.sent.length = 0;
    p.vendor.answer = (req) => {
      const page = Number(req.url.searchParams.get('page'));
      return { json: page < 2 ? [page * 2, page * 2 + 1] : [] };
    };
    const pages = await p.run('list-by-page');
    assert.deepEqual(pages.output, [0, 1, 2, 3]);
    assert.deepEqual(p.vendor.sent.map((s) => [s.url.searchParams.get('page'), s.url.searchParams.get('per_page')]), [['0', '2'], ['1', '2'], ['2', '2']]);
  });

  test('guards: maxPages, a repeated cursor, an identical page', async () => {
    const endless = harness(ACME);
    endless.vendor.answer = (r) => ({ json: { value: [r.url.searchParams.get('n') ?? '0'], '@odata.nextLink': `https://api.acme.test/v2/odata?n=${Number(r.url.searchParams.get('n') ?? 0) + 1}` } });
    const capped = await endless.run('list-by-link-body');
    assert.deepEqual(capped.output, ['0', '1', '2']);
    assert.equal(capped.pages, 3);
    assert.equal(capped.truncated?.reason, 'max-pages');

    const loop = harness(ACME);
    loop.vendor.answer = (r) => (r.url.searchParams.get('after') === 'B' ? thingReply([3, 4], 'A') : r.url.searchParams.get('after') === 'A' ? thingReply([1, 2], 'B') : thingReply([0, 0], 'A'));
    const looped = await loop.run('find-things', {});
    assert.deepEqual(looped.output, [0, 0, 1, 2, 3, 4]);
    assert.equal(looped.truncated?.reason, 'repeated-cursor');
    assert.equal(loop.vendor.sent.length, 3);

    const same = harness(ACME);
    same.vendor.answer = () => ({ json: { rows: ['x', 'y'] } });
    const stuck = await same.run('list-by-offset');
    assert.deepEqual(stuck.output, ['x', 'y'], 'the duplicate page is not added');
    assert.equal(stuck.truncated?.reason, 'identical-page');
    assert.equal(same.vendor.sent.length, 2);
  });

  test('maxRecords stops fetching once reached, shrinks the page asked for, and says more exist', async () => {
    const h = harness(ACME);
    h.vendor.answer = (_r, i) => thingReply([i * 2, i * 2 + 1], `c${i}`);
    const r = await h.run('find-things', { maxRecords: 3 });
    assert.deepEqual(r.output, [0, 1, 2]);
    assert.equal(h.vendor.sent.length, 2, 'no third page');
    assert.deepEqual(h.vendor.sent.map((s) => s.url.searchParams.get('limit')), ['2', '1']);
    assert.equal(r.truncated?.reason, 'max-records');

    const exact = harness(ACME);
    exact.vendor.answer = () => thingReply([1, 2]);
    const all = await exact.run('find-things', { maxRecords: 2 });
    assert.deepEqual(all.output, [1, 2]);
    assert.equal(all.truncated, undefined, 'exactly everything: nothing more exists');
  });

  test('a GET answering with something other than a list is a single result, whatever the default pagination', async () => {
    const h = harness(ACME);
    h.vendor.answer = () => ({ json: { id: '1', name: 'Lamp' } });
    const r = await h.run('get-thing', { id: '1' });
    assert.deepEqual(r.output, { id: '1', name: 'Lamp' });
    assert.equal(r.pages, 1);
  });
});

describe('generic record activities', () => {
  test('derived from objects, named <operation>-<object>; a declared activity of the same key wins', () => {
    const h = harness(ACME);
    const keys = h.directory.entries(h.def).filter((e) => e.kind === 'record').map((e) => e.definition.key);
    assert.deepEqual(keys, ['get-ticket', 'create-ticket', 'update-ticket', 'replace-ticket', 'delete-ticket', 'list-note', 'get-note']);
    assert.equal(h.directory.get(h.def, 'list-ticket')?.kind, 'operation');
  });

  test('list with where compiles to an OData $filter; get, create, update, replace, delete', async () => {
    const def = structuredClone(ACME);
    def.activities = def.activities.filter((a) => a.key !== 'list-ticket');
    const h = harness(def);
    h.vendor.answer = (r) => (r.method === 'GET' && r.url.pathname === '/v2/tickets' ? { json: { value: [{ id: '1' }] } } : r.method === 'DELETE' ? { status: 204 } : { json: { id: '1' } });
    const listed = await h.run('list-ticket', {
      where: { and: [{ field: 'subject', op: 'contains', value: "O'Brien" }, { or: [{ field: 'priority', op: 'ge', value: 2 }, { field: 'createdAt', op: 'lt', value: '2024-05-01T00:00:00Z' }] }] },
      orderBy: 'createdAt desc',
      select: ['subject', 'priority'],
      maxRecords: 10,
    });
    assert.deepEqual(listed.output, [{ id: '1' }]);
    const q = h.vendor.sent[0]!.url.searchParams;
    assert.equal(q.get('$filter'), "(contains(subject,'O''Brien') and (priority ge 2 or createdAt lt 2024-05-01T00:00:00Z))");
    assert.equal(q.get('$orderby'), 'createdAt desc');
    assert.equal(q.get('$select'), 'subject,priority');
    assert.equal(q.get('$top'), '10');

    await h.run('get-ticket', { id: 'a/1' });
    assert.equal(h.vendor.sent[1]!.url.pathname, '/v2/tickets/a%2F1');
    await h.run('create-ticket', { record: { subject: 'New' } });
    assert.deepEqual([h.vendor.sent[2]!.method, JSON.parse(h.vendor.sent[2]!.text!)], ['POST', { subject: 'New' }]);
    await h.run('update-ticket', { id: '1', record: { priority: 3 } });
    assert.deepEqual([h.vendor.sent[3]!.method, h.vendor.sent[3]!.url.pathname, JSON.parse(h.vendor.sent[3]!.text!)], ['PATCH', '/v2/tickets/1', { priority: 3 }]);
    await h.run('replace-ticket', { id: '1', record: { subject: 'S', priority: 1 } });
    assert.equal(h.vendor.sent[4]!.method, 'PUT');
    const deleted = await h.run('delete-ticket', { id: '1' });
    assert.equal(h.vendor.sent[5]!.method, 'DELETE');
    assert.equal(deleted.output, null);
  });

  test('where is refused, before any call, where the vendor has no query language; bad fields and values name their path', async () => {
    const h = harness(ACME);
    await assert.rejects(h.run('list-note', { where: { field: 'title', op: 'eq', value: 'x' } }), (e: Problem) => {
      assert.equal(e.code, 'ACTIVITY_INPUT_INVALID');
      assert.equal(e.errors?.[0]?.path, '/input/where');
      assert.equal(e.errors?.[0]?.rule, 'not-filterable');
      assert.match(e.message, /cannot filter Note records/);
      return true;
    });
    const def = structuredClone(ACME);
    def.activities = [];
    const t = harness(def);
    await assert.rejects(t.run('list-ticket', { where: { or: [{ field: 'subject) or (1 eq 1', op: 'eq', value: 'x' }, { field: 'nope', op: 'eq', value: 1 }, { field: 'createdAt', op: 'gt', value: 'yesterday' }, { field: 'subject', op: 'isNull', value: 1 }] } }), (e: Problem) => {
      assert.deepEqual(e.errors?.map((x) => [x.path, x.rule]), [
        ['/input/where/or/0/field', 'field-name'],
        ['/input/where/or/1/field', 'unknown-field'],
        ['/input/where/or/2/value', 'format'],
        ['/input/where/or/3/value', 'no-value'],
      ]);
      return true;
    });
    await assert.rejects(t.run('list-ticket', { where: { field: 'subject', op: 'like', value: 'x' } }), (e: Problem) => e.errors?.some((x) => x.path === '/input/where/op') === true);
    assert.equal(h.vendor.sent.length + t.vendor.sent.length, 0);
  });
});

describe('where → OData $filter', () => {
  const schema = { type: 'object', properties: { subject: { type: 'string' }, isRead: { type: 'boolean' }, size: { type: 'number' }, receivedDateTime: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' }, categories: { type: 'array', items: { type: 'string' } }, from: { type: 'object', properties: { emailAddress: { type: 'object', properties: { address: { type: 'string' } } } } } } };
  const cases: Array<[string, unknown, string]> = [
    ['quotes doubled', { field: 'subject', op: 'eq', value: "it's 'quoted'" }, "subject eq 'it''s ''quoted'''"],
    ['no escaping needed for other characters', { field: 'subject', op: 'startsWith', value: 'a&b=c%20 ) or true' }, "startswith(subject,'a&b=c%20 ) or true')"],
    ['booleans and numbers unquoted', { and: [{ field: 'isRead', op: 'eq', value: false }, { field: 'size', op: 'gt', value: 1.5 }] }, '(isRead eq false and size gt 1.5)'],
    ['date-time fields take DateTimeOffset literals', { field: 'receivedDateTime', op: 'ge', value: '2024-01-31T08:00:00.5+01:00' }, 'receivedDateTime ge 2024-01-31T08:00:00.5+01:00'],
    ['date fields take date literals', { field: 'day', op: 'eq', value: '2024-01-31' }, 'day eq 2024-01-31'],
    ['nested fields with dots', { field: 'from.emailAddress.address', op: 'eq', value: 'a@b.c' }, "from/emailAddress/address eq 'a@b.c'"],
    ['in expands to or', { field: 'subject', op: 'in', value: ['a', "b'"] }, "(subject eq 'a' or subject eq 'b''')"],
    ['any for collections', { field: 'categories', op: 'any', value: 'Red' }, "categories/any(x:x eq 'Red')"],
    ['null checks', { or: [{ field: 'subject', op: 'isNull' }, { not: { field: 'subject', op: 'isNotNull' } }] }, '(subject eq null or not (subject ne null))'],
    ['text ends with', { field: 'subject', op: 'endsWith', value: 'x' }, "endswith(subject,'x')"],
  ];
  for (const [name, where, expected] of cases) {
    test(name, () => assert.equal(toODataFilter(where as never, schema), expected));
  }
  test('conditions on the orderBy fields lead a conjunction, as Outlook requires (else InefficientFilter)', () => {
    const where = { and: [{ field: 'subject', op: 'eq', value: 'a' }, { field: 'isRead', op: 'eq', value: false }, { field: 'receivedDateTime', op: 'ge', value: '2024-01-01T00:00:00Z' }] };
    assert.equal(toODataFilter(where as never, schema, { orderBy: ['receivedDateTime', 'subject'] }), "(receivedDateTime ge 2024-01-01T00:00:00Z and subject eq 'a' and isRead eq false)");
    assert.throws(() => toODataFilter({ and: [{ field: 'isRead', op: 'eq', value: 1 }, { field: 'subject', op: 'eq', value: {} }] } as never, schema, { orderBy: ['subject'] }), (e: WhereError) => e.errors[0]?.path === '/input/where/and/1/value', 'errors keep the input position');
  });
  test('text functions need text', () => {
    assert.throws(() => toODataFilter({ field: 'subject', op: 'contains', value: 1 }, schema), (e: WhereError) => e.errors[0]?.path === '/input/where/value');
  });
});

describe('the runtime refuses to start on a step it does not have', () => {
  test('a built-in naming an unknown handler', () => {
    const def = structuredClone(ACME) as Record<string, unknown> & { activities: Array<Record<string, unknown>> };
    def.activities[0]!.handler = 'no-such-step';
    const catalog = new Catalog([harness(def).def]);
    const logger = { info() {}, warn() {} } as unknown as FastifyBaseLogger;
    assert.throws(
      () => new ActivityRuntime({ catalog, connections: {} as Connections, logger, vendor: new FakeVendor(), hostMap: new HostMap(), vendorError: testVendorError }),
      /Connector "acme" activity "get-thing" names the step "no-such-step", which is not registered/,
    );
  });
});
