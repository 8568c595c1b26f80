import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HostMap } from '../src/outbound/host-map.ts';

// SWITCHBOARD_HOST_MAP points vendor hosts at local stand-ins (emulators). Links the stand-in
// hands out name the stand-in; restore() gives them back to the vendor they stand for.

describe('host map', () => {
  const map = HostMap.parse('graph.microsoft.com=http://127.0.0.1:4100,login.microsoftonline.com=http://127.0.0.1:4100,api.acme.example=http://127.0.0.1:5000');

  test('rewrites a mapped host to its stand-in, keeping path and query', () => {
    assert.equal(map.rewrite('https://graph.microsoft.com/v1.0/me?$select=id').href, 'http://127.0.0.1:4100/v1.0/me?$select=id');
    assert.equal(map.rewrite('https://example.com/x').href, 'https://example.com/x');
  });

  test("a link on the stand-in of the connection's vendor is restored to the vendor's origin", () => {
    const link = new URL('http://127.0.0.1:4100/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=abc');
    assert.equal(map.restore(link, 'https://graph.microsoft.com').href, 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=abc');
  });

  test('other URLs are left alone: another stand-in, an unmapped vendor, no vendor, an empty map', () => {
    const onAcme = new URL('http://127.0.0.1:5000/tickets?page=2');
    assert.equal(map.restore(onAcme, 'https://graph.microsoft.com'), onAcme, "Acme's stand-in is not Graph's");
    const local = new URL('http://127.0.0.1:4100/x');
    assert.equal(map.restore(local, 'https://unmapped.example'), local);
    assert.equal(map.restore(local, undefined), local);
    assert.equal(new HostMap().restore(local, 'https://graph.microsoft.com'), local);
  });

  test('bad entries are refused with the entry named', () => {
    assert.throws(() => HostMap.parse('graph.microsoft.com'), /graph\.microsoft\.com/);
    assert.throws(() => HostMap.parse('graph.microsoft.com=http://127.0.0.1:4100/path'), /bare http\(s\) origin/);
    assert.throws(() => HostMap.parse('graph.microsoft.com=not a url'), /not an absolute URL/);
  });
});
