import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GraphError } from '../src/graph/errors.ts';
import { bindFilter, filterProperties } from '../src/graph/odata/filter-bind.ts';
import { evaluateFilter } from '../src/graph/odata/filter-eval.ts';
import { FilterSyntaxError } from '../src/graph/odata/filter-lexer.ts';
import { parseFilter } from '../src/graph/odata/filter-parser.ts';
import { MESSAGE_SCHEMA } from '../src/graph/mail/schema.ts';
import { parseGraphPath } from '../src/graph/router/path.ts';
import type { MicrosoftEmulator } from '../src/index.ts';
import { start } from './helpers.ts';
import { ADELE, allPages, assertError, client, delegated } from './graph-helpers.ts';

const message = {
  subject: "Let's meet for lunch?",
  isRead: false,
  importance: 'high',
  hasAttachments: true,
  receivedDateTime: '2024-05-02T10:00:00Z',
  categories: ['Red category', 'Blue category'],
  from: { emailAddress: { name: 'Megan Bowen', address: 'MeganB@contoso.onmicrosoft.com' } },
  toRecipients: [{ emailAddress: { name: 'Adele', address: 'adelev@contoso.onmicrosoft.com' } }],
  body: { contentType: 'html', content: '<p>Pizza</p>' },
  flag: { flagStatus: 'flagged' },
};

function matches(filter: string): boolean {
  return evaluateFilter(bindFilter(parseFilter(filter), MESSAGE_SCHEMA), message);
}

function bindError(filter: string): GraphError {
  try {
    bindFilter(parseFilter(filter), MESSAGE_SCHEMA);
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  assert.fail(`'${filter}' should not bind`);
}

describe('$filter parser and evaluator', () => {
  test('comparison operators on strings, booleans, enums and numbers', () => {
    assert.ok(matches("subject eq 'let''s meet for lunch?'"), 'string eq ignores case and handles escaped quotes');
    assert.ok(matches('isRead eq false'));
    assert.ok(matches('isRead ne true'));
    assert.ok(matches("importance eq 'high'"));
    assert.ok(!matches("importance eq 'low'"));
    assert.ok(matches('hasAttachments eq true and isRead eq false'));
  });

  test('date/time literals, bare dates and ordering operators', () => {
    assert.ok(matches('receivedDateTime ge 2024-05-01T00:00:00Z'));
    assert.ok(matches('receivedDateTime gt 2024-05-02'));
    assert.ok(matches('receivedDateTime lt 2024-05-03T00:00:00+02:00'));
    assert.ok(!matches('receivedDateTime le 2024-05-02T09:59:59Z'));
    assert.ok(matches("receivedDateTime ge '2024-05-01T00:00:00Z'"), 'quoted ISO strings are accepted too');
  });

  test('and / or / not / parentheses and precedence', () => {
    assert.ok(matches("isRead eq true or importance eq 'high'"));
    assert.ok(!matches("isRead eq true and importance eq 'high'"));
    assert.ok(matches("not (isRead eq true) and (importance eq 'low' or importance eq 'high')"));
    assert.ok(matches('not isRead'));
    assert.ok(matches("isRead eq true and importance eq 'low' or hasAttachments eq true"), 'and binds tighter than or');
  });

  test('string functions and property paths', () => {
    assert.ok(matches("contains(subject, 'LUNCH')"));
    assert.ok(matches("startswith(subject, 'let')"));
    assert.ok(matches("endswith(from/emailAddress/address, '@contoso.onmicrosoft.com')"));
    assert.ok(matches("from/emailAddress/address eq 'meganb@contoso.onmicrosoft.com'"));
    assert.ok(matches("tolower(from/emailAddress/name) eq 'megan bowen'"));
    assert.ok(matches("not contains(subject, 'invoice')"));
    assert.ok(matches("flag/flagStatus eq 'flagged'"));
  });

  test('lambda operators over collections', () => {
    assert.ok(matches("categories/any(c:c eq 'Red category')"));
    assert.ok(!matches("categories/all(c:c eq 'Red category')"));
    assert.ok(matches("toRecipients/any(r: r/emailAddress/address eq 'AdeleV@contoso.onmicrosoft.com')"));
    assert.ok(matches('categories/any()'));
  });

  test('type errors use OData’s message', () => {
    const err = bindError("isRead eq 'true'");
    assert.equal(err.status, 400);
    assert.equal(err.message, "Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'.");
  });

  test('unknown properties answer as Outlook does', () => {
    const err = bindError("shoeSize eq 'x'");
    assert.equal(err.code, 'RequestBroker--ParseUri');
    assert.equal(err.message, "Could not find a property named 'shoeSize' on type 'Microsoft.OutlookServices.Message'.");
  });

  test('a collection cannot be navigated without a lambda', () => {
    assert.match(bindError("toRecipients/emailAddress/address eq 'x'").message, /is not a single value/);
  });

  test('syntax errors name the position', () => {
    for (const bad of ['isRead eq', "subject eq 'open", '(isRead eq true', 'isRead eq true)', 'frobnicate(subject)', '']) {
      assert.throws(() => parseFilter(bad), FilterSyntaxError, bad);
    }
  });

  test('filterProperties lists entity properties in order, not lambda variables', () => {
    const bound = bindFilter(parseFilter("receivedDateTime ge 2024-01-01 and categories/any(c: c eq 'x') and from/emailAddress/address eq 'a'"), MESSAGE_SCHEMA);
    assert.deepEqual(filterProperties(bound), ['receiveddatetime', 'categories', 'from/emailaddress/address']);
  });
});

describe('Graph path syntax', () => {
  test('keys, function arguments and path addressing unfold', () => {
    assert.deepEqual(parseGraphPath("/me/mailFolders('inbox')/messages"), [{ name: 'me' }, { name: 'mailFolders' }, { name: 'inbox' }, { name: 'messages' }]);
    assert.deepEqual(parseGraphPath("/me/drive/items/X/workbook/worksheets('Sheet1')/range(address='A1:C3')").slice(-1), [{ name: 'range', args: { address: 'A1:C3' } }]);
    assert.deepEqual(parseGraphPath('/me/drive/root:/Folder/File.txt:/content'), [{ name: 'me' }, { name: 'drive' }, { name: 'root', path: ['Folder', 'File.txt'] }, { name: 'content' }]);
    assert.deepEqual(parseGraphPath('/me/drive/root:/Folder/File.txt'), [{ name: 'me' }, { name: 'drive' }, { name: 'root', path: ['Folder', 'File.txt'] }]);
    assert.deepEqual(parseGraphPath('/sites/contoso.sharepoint.com%3A%2Fsites%2FMarketing%3A/lists')[1], { name: 'contoso.sharepoint.com', path: ['sites', 'Marketing'] });
  });
});

/** fetch() will not send a custom Host header; node:http will. */
function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<any> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers }, (res) => {
      let data = '';
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve(JSON.parse(data)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('query options over HTTP', () => {
  let emu: MicrosoftEmulator;
  before(async () => (emu = await start()));
  after(() => emu.close());
  beforeEach(() => emu.reset());

  async function adeleWith(count: number) {
    for (let i = 0; i < count; i++) {
      emu.mail.add(ADELE, { folder: 'archive', subject: `Bulk ${String(i).padStart(2, '0')}`, from: 'news@example.com', receivedDateTime: `now-${i + 1}m`, isRead: i % 2 === 0 });
    }
    return client(emu.origins.global, await delegated(emu, ['Mail.ReadWrite']));
  }

  test('messages page by 10 by default; nextLink is followed to the end, on the host the client used', async () => {
    const c = await adeleWith(25);
    const first = await c.get('/me/mailFolders/archive/messages?$select=subject');
    assert.equal(first.body.value.length, 10);
    const link = first.body['@odata.nextLink'] as string;
    assert.ok(link.startsWith(`${emu.origins.global}/v1.0/me/mailFolders/archive/messages?`), link);
    assert.match(link, /%24skip=10/);
    const { values, links } = await allPages(c, '/me/mailFolders/archive/messages?$select=subject');
    assert.equal(values.length, 25);
    assert.equal(links.length, 2);
    assert.equal(new Set(values.map((v) => v.id)).size, 25, 'no duplicates across pages');
    assert.deepEqual(Object.keys(values[0]), ['@odata.etag', 'id', 'subject']);
  });

  test('nextLink follows the Host header, so it works through a host map or a proxy', async () => {
    await adeleWith(12);
    const token = await delegated(emu, ['Mail.Read']);
    const viaProxy = await rawGet(emu.origins.global, '/v1.0/me/mailFolders/archive/messages', { host: 'graph.microsoft.com', authorization: `Bearer ${token}` });
    assert.match(viaProxy['@odata.nextLink'], /^https:\/\/graph\.microsoft\.com\/v1\.0\/me\/mailFolders\/archive\/messages\?/);
    const viaLocalName = await rawGet(emu.origins.global, '/v1.0/me/mailFolders/archive/messages', { host: 'localhost:9999', authorization: `Bearer ${token}` });
    assert.match(viaLocalName['@odata.nextLink'], /^http:\/\/localhost:9999\/v1\.0\//);
  });

  test('$top sets the page size (1–1000), $skip offsets, Prefer: odata.maxpagesize caps pages', async () => {
    const c = await adeleWith(7);
    const top = await c.get('/me/mailFolders/archive/messages?$top=3&$orderby=receivedDateTime desc');
    assert.deepEqual(top.body.value.map((m: { subject: string }) => m.subject), ['Bulk 00', 'Bulk 01', 'Bulk 02']);
    assert.match(top.body['@odata.nextLink'], /%24top=3/);
    const skipped = await c.get('/me/mailFolders/archive/messages?$top=3&$skip=6&$orderby=receivedDateTime desc');
    assert.deepEqual(skipped.body.value.map((m: { subject: string }) => m.subject), ['Bulk 06']);
    assert.equal(skipped.body['@odata.nextLink'], undefined);
    const pref = await c.get('/me/mailFolders/archive/messages', { headers: { prefer: 'odata.maxpagesize=2' } });
    assert.equal(pref.body.value.length, 2);
    assert.equal(pref.headers.get('preference-applied'), 'odata.maxpagesize=2');
    assertError(await c.get('/me/messages?$top=0'), 400, 'BadRequest');
    assertError(await c.get('/me/messages?$top=1001'), 400, 'BadRequest', "Invalid value '1001' for query option '$top'.");
  });

  test('$count, $filter and $orderby together; the dollar sign is optional', async () => {
    const c = await adeleWith(6);
    const res = await c.get('/me/mailFolders/archive/messages?$count=true&$filter=isRead eq false and receivedDateTime ge 2020-01-01&$orderby=isRead,receivedDateTime desc&$select=subject,isRead');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body['@odata.count'], 3);
    assert.deepEqual(res.body.value.map((m: { subject: string }) => m.subject), ['Bulk 01', 'Bulk 03', 'Bulk 05']);
    const noDollar = await c.get('/me/mailFolders/archive/messages?filter=isRead eq true&select=subject');
    assert.equal(noDollar.body.value.length, 3);
  });

  test('InefficientFilter: $orderby properties must lead the $filter', async () => {
    const c = await adeleWith(2);
    assertError(
      await c.get("/me/messages?$filter=isRead eq false&$orderby=receivedDateTime desc"),
      400,
      'InefficientFilter',
      'The restriction or sort order is too complex for this operation.',
    );
    assertError(await c.get("/me/messages?$filter=receivedDateTime ge 2020-01-01 and isRead eq false&$orderby=isRead"), 400, 'InefficientFilter');
    const ok = await c.get("/me/messages?$filter=receivedDateTime ge 2020-01-01 and isRead eq false&$orderby=receivedDateTime desc");
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await c.get('/me/messages?$orderby=receivedDateTime desc')).status, 200, 'orderby alone is fine');
  });

  test('filter errors over HTTP', async () => {
    const c = await adeleWith(0);
    assertError(await c.get('/me/messages?$filter=isRead eq'), 400, 'BadRequest', /^Invalid filter clause: Syntax error/);
    assertError(await c.get('/me/messages?$select=shoeSize'), 400, 'RequestBroker--ParseUri', "Could not find a property named 'shoeSize' on type 'Microsoft.OutlookServices.Message'.");
    assertError(await c.get('/me/messages?$orderby=subject sideways'), 400, 'BadRequest');
  });
});
