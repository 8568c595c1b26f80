import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORE_KINDS } from './support/stores.ts';
import { type MicrosoftSetup, connectDelegated, startWithEmulator } from './support/microsoft.ts';

// The activity API end to end, on both stores: the store decides who may use which connection.
for (const kind of STORE_KINDS) {
  describe(`activities API (${kind} store)`, () => {
    let m: MicrosoftSetup;
    let connectionId: string;
    before(async () => {
      m = await startWithEmulator(kind);
      connectionId = (await connectDelegated(m)).id;
    });
    after(() => m.close());

    test('lists declared and record activities with their schemas, and whether HTTP Request is offered', async () => {
      const res = await m.s.api('GET', '/api/v1/connectors/microsoft-365/activities');
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.connector, 'microsoft-365');
      assert.deepEqual(body.httpRequest, { offered: true });
      const byKey = new Map(body.items.map((a: { key: string }) => [a.key, a]));
      const send = byKey.get('send-email') as Record<string, unknown>;
      assert.equal(send.kind, 'curated');
      assert.equal(send.category, 'Mail');
      assert.deepEqual(send.scopes, ['Mail.Send']);
      assert.equal((send.input as { type: string }).type, 'object');
      assert.equal(send.composite, true);
      assert.equal((byKey.get('get-emails') as { paginated: boolean }).paginated, true);
      assert.equal((byKey.get('get-email-by-id') as { paginated: boolean }).paginated, false);
      assert.equal((byKey.get('download-file') as { binary: boolean }).binary, true);
      for (const key of ['list-message', 'get-message', 'create-message', 'update-message', 'delete-message', 'list-event', 'list-contact', 'list-mail-folder']) {
        assert.equal((byKey.get(key) as { kind: string } | undefined)?.kind, 'record', key);
      }
      const one = await m.s.api('GET', '/api/v1/connectors/microsoft-365/activities/list-message');
      assert.equal(one.statusCode, 200);
      assert.ok(one.json().input.properties.where, 'List takes where');

      const http = (await m.s.api('GET', '/api/v1/connectors/http/activities')).json();
      assert.equal(http.httpRequest.offered, true);
      assert.equal((await m.s.api('GET', '/api/v1/connectors/nope/activities')).statusCode, 404);
      assert.equal((await m.s.api('GET', '/api/v1/connectors/microsoft-365/activities/nope')).json().code, 'ACTIVITY_NOT_FOUND');
    });

    test('an unknown activity, an unknown connection, an invalid input: nothing reaches Microsoft', async () => {
      m.em.clearRequests();
      const unknown = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/launch-rocket`, { body: { input: {} } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, 'ACTIVITY_NOT_FOUND');
      const noConnection = await m.s.api('POST', '/api/v1/connections/00000000-0000-4000-8000-000000000000/activities/send-email', { body: { input: {} } });
      assert.equal(noConnection.json().code, 'CONNECTION_NOT_FOUND');

      const invalid = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/send-email`, {
        body: { input: { to: ['megan@contoso.com', 'not an address'], subject: 5, attachments: [{ name: 'a.txt' }], importance: 'urgent', colour: 'red' } },
      });
      assert.equal(invalid.statusCode, 400, invalid.body);
      const problem = invalid.json();
      assert.equal(problem.code, 'ACTIVITY_INPUT_INVALID');
      assert.deepEqual(
        problem.errors.map((e: { path: string; rule: string }) => `${e.path} ${e.rule}`).sort(),
        ['/input/attachments/0/contentBase64 required', '/input/colour additionalProperties', '/input/importance enum', '/input/subject type', '/input/to/1 format'],
      );
      const filter = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/list-message`, {
        body: { input: { where: { field: 'subject) or (true', op: 'eq', value: 'x' } } },
      });
      assert.equal(filter.statusCode, 400);
      assert.equal(filter.json().errors[0].path, '/input/where/field');
      const body = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/get-email-folders`, { body: { input: {}, extra: 1 } });
      assert.equal(body.statusCode, 400);
      assert.equal(m.em.requests().filter((r) => r.path.startsWith('/v1.0/')).length, 0, 'no Graph call');
      const token = m.em.requests().filter((r) => r.path.endsWith('/token'));
      assert.equal(token.length, 0, 'not even a token renewal');
    });

    test('a file activity cannot be asked for as JSON-only and the reverse', async () => {
      const res = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/get-email-folders`, { body: { input: {} }, headers: { accept: 'application/octet-stream' } });
      assert.equal(res.statusCode, 406);
      assert.equal(res.json().code, 'ACTIVITY_NOT_BINARY');
    });

    test('runs an activity as the connection, with meta', async () => {
      const res = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/get-email-folders`, { body: { input: {} }, headers: { 'x-request-id': 'trace-activity-1' } });
      assert.equal(res.statusCode, 200, res.body);
      const { output, meta } = res.json();
      assert.ok(Array.isArray(output));
      assert.ok(output.some((f: { displayName: string }) => f.displayName === 'Inbox'), JSON.stringify(output));
      assert.equal(meta.requestId, 'trace-activity-1');
      assert.equal(meta.pages, 1);
      assert.equal(meta.calls, 1);
      assert.equal(typeof meta.durationMs, 'number');
    });

    test('a Viewer of the folder may run activities; someone without a role there cannot see the connection', async () => {
      const viewer = await m.s.api('POST', '/api/v1/users', { body: { email: `viewer-${kind}@contoso.test`, displayName: 'Viewer' } });
      assert.ok(viewer.statusCode < 300, viewer.body);
      const userId = viewer.json().id;
      const key = (await m.s.api('POST', `/api/v1/users/${userId}/api-keys`, { body: { name: 'k' } })).json().key;
      const denied = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/get-email-folders`, { key, body: { input: {} } });
      assert.equal(denied.statusCode, 404);
      assert.equal(denied.json().code, 'CONNECTION_NOT_FOUND');
      const member = await m.s.api('PUT', `/api/v1/folders/${m.folderId}/members/${userId}`, { body: { role: 'Viewer' } });
      assert.ok(member.statusCode < 300, member.body);
      const allowed = await m.s.api('POST', `/api/v1/connections/${connectionId}/activities/get-email-folders`, { key, body: { input: {} } });
      assert.equal(allowed.statusCode, 200, allowed.body);
    });
  });
}
