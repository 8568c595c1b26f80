import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkTargetUrl } from '../src/triggers/delivery/target.ts';
import { type AcmeVendor, startAcmeVendor } from './support/acme-vendor.ts';
import { STORE_KINDS } from './support/stores.ts';
import { type TriggerService, acmeConnection, sharedFolder, startTriggerService } from './support/triggers.ts';

// The trigger API: the model (connection + event + filter + target), its validation, and who
// may do what. The engine's workers are off here; other files run them.

for (const kind of STORE_KINDS) {
  describe(`trigger API (${kind} store)`, () => {
    let s: TriggerService;
    let vendor: AcmeVendor;
    let shared: string;
    let connectionId: string;
    const keys: Record<string, string> = {};
    const users: Record<string, string> = {};

    async function user(name: string): Promise<void> {
      const u = await s.api('POST', '/api/v1/users', { body: { email: `${name}@example.com`, displayName: name } });
      users[name] = u.json().id;
      keys[name] = (await s.api('POST', `/api/v1/users/${users[name]}/api-keys`, { body: { name: 'test' } })).json().key;
    }

    const create = (body: Record<string, unknown>, key?: string) => s.api('POST', '/api/v1/triggers', { key, body: { connectionId, target: { type: 'queue' }, ...body } });

    before(async () => {
      vendor = await startAcmeVendor();
      s = await startTriggerService(kind, { run: false });
      shared = await sharedFolder(s);
      connectionId = await acmeConnection(s, vendor, shared);
      for (const name of ['uma', 'vic', 'nobody']) await user(name);
      await s.api('PUT', `/api/v1/folders/${shared}/members/${users.uma}`, { body: { role: 'User' } });
      await s.api('PUT', `/api/v1/folders/${shared}/members/${users.vic}`, { body: { role: 'Viewer' } });
    });
    after(async () => {
      await s.close();
      await vendor.close();
    });

    test('create, read, list, change and delete a polling trigger', async () => {
      const res = await create({ trigger: 'ticket-created', name: 'New tickets', target: { type: 'webhook', url: 'https://hooks.example.com/in' } });
      assert.equal(res.statusCode, 201, res.body);
      const t = res.json();
      assert.equal(t.mode, 'polling');
      assert.equal(t.event, 'created');
      assert.equal(t.object, 'ticket');
      assert.equal(t.folderId, shared, "a trigger lives in its connection's folder");
      assert.equal(t.status, 'Enabled');
      assert.deepEqual(t.startFrom, 'now');
      assert.match(t.signingSecret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'the signing secret is shown once, at creation');
      assert.equal(t.webhookUrl, null);

      const got = await s.api('GET', `/api/v1/triggers/${t.id}`);
      assert.equal(got.statusCode, 200);
      assert.equal(got.json().signingSecret, undefined, 'and never again');
      assert.ok(!got.body.includes(t.signingSecret));

      const list = await s.api('GET', `/api/v1/triggers?connectionId=${connectionId}`);
      assert.ok(list.json().items.some((x: { id: string }) => x.id === t.id));

      const off = await s.api('PATCH', `/api/v1/triggers/${t.id}`, { body: { enabled: false, name: 'Renamed' } });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().status, 'Disabled');
      assert.equal(off.json().disabledReason, 'disabled');
      assert.equal(off.json().name, 'Renamed');
      const on = await s.api('PATCH', `/api/v1/triggers/${t.id}`, { body: { enabled: true, target: { type: 'queue' } } });
      assert.equal(on.json().status, 'Enabled');
      assert.deepEqual(on.json().target, { type: 'queue' });

      assert.equal((await s.api('DELETE', `/api/v1/triggers/${t.id}`)).statusCode, 204);
      const gone = await s.api('GET', `/api/v1/triggers/${t.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().code, 'TRIGGER_NOT_FOUND');
    });

    test('a record event on an object resolves to the connector trigger for it', async () => {
      const updated = await create({ object: 'ticket', event: 'updated' });
      assert.equal(updated.statusCode, 201, updated.body);
      assert.equal(updated.json().trigger, 'ticket-updated');
      const deleted = await create({ object: 'ticket', event: 'deleted', startFrom: { backfill: 5 } });
      assert.equal(deleted.json().trigger, 'ticket-deleted');
      assert.deepEqual(deleted.json().startFrom, { backfill: 5 });

      const unknownObject = await create({ object: 'invoice', event: 'created' });
      assert.equal(unknownObject.statusCode, 400);
      assert.equal(unknownObject.json().code, 'TRIGGER_EVENT_UNKNOWN');
      const unknownTrigger = await create({ trigger: 'invoice-paid' });
      assert.equal(unknownTrigger.json().code, 'TRIGGER_EVENT_UNKNOWN');
      assert.match(unknownTrigger.json().detail, /ticket-created/, 'the problem lists the triggers there are');
      const neither = await create({});
      assert.equal(neither.statusCode, 400);
    });

    test('filters: the builder compiles to JMESPath, both are kept, invalid ones are refused at save', async () => {
      const built = await create({
        trigger: 'ticket-created',
        filter: { all: [{ field: '/status', op: 'eq', value: 'open' }, { any: [{ field: 'priority', op: 'ge', value: 4 }, { field: 'title', op: 'contains', value: 'urgent' }] }] },
      });
      assert.equal(built.statusCode, 201, built.body);
      assert.equal(built.json().filter.expression, "(status == 'open') && ((priority >= `4`) || (contains(title || '', 'urgent')))");
      assert.deepEqual(built.json().filter.builder.all[0], { field: '/status', op: 'eq', value: 'open' });

      const text = await create({ trigger: 'ticket-created', filter: "status == 'open' && priority > `2`" });
      assert.equal(text.json().filter.expression, "status == 'open' && priority > `2`");
      assert.equal(text.json().filter.builder, null);

      const broken = await create({ trigger: 'ticket-created', filter: "status == 'open' && " });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().code, 'TRIGGER_FILTER_INVALID');
      assert.equal(broken.json().position, 20, 'the position of the error is given');
      assert.match(broken.json().detail, /position 20/);

      const badChar = await create({ trigger: 'ticket-created', filter: 'status == #open' });
      assert.equal(badChar.json().position, 10);

      const badBuilder = await create({ trigger: 'ticket-created', filter: { all: [{ field: 'priority', op: 'gt', value: 'high' }] } });
      assert.equal(badBuilder.statusCode, 400);
      assert.equal(badBuilder.json().code, 'TRIGGER_FILTER_INVALID');
      assert.equal(badBuilder.json().errors[0].path, '/body/filter/all/0/value');

      const patched = await s.api('PATCH', `/api/v1/triggers/${text.json().id}`, { body: { filter: 'status ==' } });
      assert.equal(patched.json().code, 'TRIGGER_FILTER_INVALID');
      const cleared = await s.api('PATCH', `/api/v1/triggers/${text.json().id}`, { body: { filter: null } });
      assert.equal(cleared.json().filter, null);
    });

    test('delivery targets must be http(s) and not internal addresses', async () => {
      for (const url of ['ftp://example.com/x', 'https://user:pw@example.com/x', 'http://169.254.169.254/latest/meta-data', 'not a url']) {
        const res = await create({ trigger: 'ticket-created', target: { type: 'webhook', url } });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().code, 'TRIGGER_TARGET_INVALID', url);
      }
      // Loopback and private addresses are refused unless SWITCHBOARD_ALLOW_PRIVATE_TARGETS (the tests set it).
      assert.throws(() => checkTargetUrl('http://127.0.0.1:9000/x', false), /loopback/);
      assert.throws(() => checkTargetUrl('http://10.1.2.3/x', false), /private/);
      assert.throws(() => checkTargetUrl('http://[::1]/x', false), /loopback/);
      assert.equal(checkTargetUrl('http://127.0.0.1:9000/x', true).host, '127.0.0.1:9000');
    });

    test('webhook triggers get a URL; an HTTP Webhook connection keeps one URL for all its triggers', async () => {
      const conn = await s.api('POST', '/api/v1/connections', { body: { folderId: shared, connector: 'http-webhook', fields: { sourceName: 'Billing' } } });
      assert.equal(conn.statusCode, 201, conn.body);
      const a = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', target: { type: 'queue' } } });
      const b = await s.api('POST', '/api/v1/triggers', { body: { connectionId: conn.json().id, trigger: 'webhook-received', target: { type: 'queue' }, filter: 'body.amount > `100`' } });
      assert.equal(a.statusCode, 201, a.body);
      assert.match(a.json().webhookUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/webhooks\/[A-Za-z0-9_-]{32}$/);
      assert.equal(a.json().webhookUrl, b.json().webhookUrl);
      assert.equal(a.json().mode, 'webhook');
    });

    test('permissions: Triggers.Create in the folder and Connections.View on the connection; other folders are not found', async () => {
      const byUser = await create({ trigger: 'ticket-created' }, keys.uma);
      assert.equal(byUser.statusCode, 201, 'the User role creates triggers on shared connections');
      const byViewer = await create({ trigger: 'ticket-created' }, keys.vic);
      assert.equal(byViewer.statusCode, 403);
      assert.equal(byViewer.json().permission, 'Triggers.Create');
      assert.equal((await s.api('GET', `/api/v1/triggers/${byUser.json().id}`, { key: keys.vic })).statusCode, 200, 'a Viewer sees triggers');
      assert.equal((await s.api('PATCH', `/api/v1/triggers/${byUser.json().id}`, { key: keys.vic, body: { enabled: false } })).statusCode, 403);
      assert.equal((await s.api('DELETE', `/api/v1/triggers/${byUser.json().id}`, { key: keys.vic })).statusCode, 403);

      const outsider = await create({ trigger: 'ticket-created' }, keys.nobody);
      assert.equal(outsider.statusCode, 404, 'a connection in a folder you cannot see does not exist for you');
      assert.equal(outsider.json().code, 'CONNECTION_NOT_FOUND');
      const peek = await s.api('GET', `/api/v1/triggers/${byUser.json().id}`, { key: keys.nobody });
      assert.equal(peek.statusCode, 404);
      assert.equal(peek.json().code, 'TRIGGER_NOT_FOUND');
      assert.equal((await s.api('GET', `/api/v1/triggers/${byUser.json().id}/events`, { key: keys.nobody })).statusCode, 404);
      const list = await s.api('GET', '/api/v1/triggers', { key: keys.nobody });
      assert.deepEqual(list.json().items, []);
    });

    test('deleting a connection deletes its triggers', async () => {
      const other = await acmeConnection(s, vendor, shared);
      const t = await s.api('POST', '/api/v1/triggers', { body: { connectionId: other, trigger: 'ticket-event', target: { type: 'webhook', url: 'https://hooks.example.com/x' } } });
      assert.equal(t.statusCode, 201, t.body);
      assert.equal((await s.api('DELETE', `/api/v1/connections/${other}`)).statusCode, 200);
      assert.equal((await s.api('GET', `/api/v1/triggers/${t.json().id}`)).statusCode, 404);
      const left = await s.sb.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM triggers WHERE connection_id = $1)::int + (SELECT count(*) FROM webhook_endpoints WHERE connection_id = $1)::int
              + (SELECT count(*) FROM vault_secrets WHERE owner_id = $2)::int AS n`,
        [other, t.json().id],
      );
      assert.equal(left[0]!.n, 0, 'its endpoints and secrets went too');
      const hook = new URL(t.json().webhookUrl).pathname;
      assert.equal((await s.api('POST', hook, { key: null, body: {} })).statusCode, 404);
    });

    test('every trigger error code is in the error catalog', async () => {
      const codes = new Set((await s.api('GET', '/api/v1/errors')).json().items.map((e: { code: string }) => e.code));
      for (const code of ['TRIGGER_NOT_FOUND', 'TRIGGER_FILTER_INVALID', 'TRIGGER_EVENT_UNKNOWN', 'TRIGGER_TARGET_INVALID', 'TRIGGER_SUBSCRIPTION_FAILED', 'WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_INVALID', 'WEBHOOK_RATE_LIMITED', 'WEBHOOK_NOT_FOUND']) {
        assert.ok(codes.has(code), code);
      }
    });
  });
}
