import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { type TestService, startTestService } from './support/service.ts';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("the console");'.repeat(20);

/** A stand-in for packages/console/dist, so these tests do not depend on a build. */
function fakeConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync(SCRIPT));
  return dir;
}

describe('serving the console', () => {
  let s: TestService;
  let dir: string;
  before(async () => {
    dir = fakeConsole();
    s = await startTestService('embedded', { SWITCHBOARD_CONSOLE_DIR: dir });
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ is the console, revalidated on every load and locked down by its headers', async () => {
    const res = await s.api('GET', '/', { key: null });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.body, INDEX);
    assert.equal(res.headers['cache-control'], 'no-cache');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal((await s.api('HEAD', '/', { key: null })).statusCode, 200);
  });

  test('console paths fall back to index.html, so a reload keeps the page', async () => {
    for (const path of ['/folders/8c0b8d4e-8a43-4a40-9a55-4b3c1b2f0f11/connections', '/connections/oauth?connectionId=x&status=Connected', '/catalog/microsoft-365', '/invitation']) {
      const res = await s.api('GET', path, { key: null });
      assert.equal(res.statusCode, 200, path);
      assert.equal(res.body, INDEX, path);
      assert.equal(res.headers['cache-control'], 'no-cache', path);
    }
  });

  test('hashed assets are cached for a year, and sent precompressed when the browser takes it', async () => {
    const res = await s.api('GET', '/assets/index-abc123.js', { key: null });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.body, SCRIPT);
    const br = await s.api('GET', '/assets/index-abc123.js', { key: null, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.rawPayload.length < SCRIPT.length, true);
    const icon = await s.api('GET', '/favicon.svg', { key: null });
    assert.equal(icon.headers['cache-control'], 'public, max-age=3600', 'unhashed files are cached briefly');
  });

  test('a missing file is a 404 problem, never index.html', async () => {
    for (const path of ['/assets/index-gone99.js', '/missing.css', '/..%2f..%2fetc%2fpasswd.txt', '/%E0%A4%A.js']) {
      const res = await s.api('GET', path, { key: null });
      // 404 for files that are not there, 403 or 400 for paths that try to leave the folder or do not decode.
      assert.ok([400, 403, 404].includes(res.statusCode), `${path}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /<div id="root">/, path);
    }
  });

  test('unknown API paths stay RFC 9457 problems', async () => {
    const res = await s.api('GET', '/api/v1/no-such-thing');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().code, 'ROUTE_NOT_FOUND');
    const anonymous = await s.api('GET', '/api/v1/no-such-thing', { key: null });
    assert.equal(anonymous.statusCode, 401, 'API paths still ask for authentication first');
    for (const path of ['/api', '/api/v2/anything', '/api/docs/nope']) {
      const other = await s.api('GET', path, { key: null });
      assert.equal(other.statusCode, 404, path);
      assert.equal(other.json().code, 'ROUTE_NOT_FOUND', path);
    }
    const post = await s.api('POST', '/folders/x', { key: null });
    assert.equal(post.statusCode, 404, 'only GET and HEAD serve the console');
    assert.equal(post.json().code, 'ROUTE_NOT_FOUND');
  });

  test('the API reference and the OpenAPI document are unaffected', async () => {
    const doc = (await s.api('GET', '/api/v1/openapi.json')).json();
    assert.equal(doc.paths['/*'], undefined, 'the console route is not part of the API');
    assert.ok(doc.paths['/api/v1/session']);
    assert.equal((await s.api('GET', '/api/docs', { key: null })).statusCode < 400, true);
  });
});

test('without a built console, / says how to build it and the API still works', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'sb-console-'));
  const s = await startTestService('embedded', { SWITCHBOARD_CONSOLE_DIR: empty });
  try {
    const res = await s.api('GET', '/folders/x/connections', { key: null });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build -w packages\/console/);
    assert.equal((await s.api('GET', '/api/v1/health', { key: null })).statusCode, 200);
  } finally {
    await s.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
