import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PERMISSIONS, ROLES, type Role, permissionsOf } from '../src/access/permissions.ts';
import { STORE_KINDS } from './support/stores.ts';
import { type TestService, startTestService } from './support/service.ts';

// The role table is the product's contract with administrators; a change here must be deliberate.
const EXPECTED: Record<Role, string[]> = {
  Administrator: [...PERMISSIONS],
  Editor: ['Connections.View', 'Connections.Create', 'Connections.Edit', 'Connections.Delete', 'Triggers.View', 'Triggers.Create', 'Triggers.Edit', 'Triggers.Delete'],
  User: ['Connections.View', 'Triggers.View', 'Triggers.Create', 'Triggers.Edit', 'Triggers.Delete'],
  Viewer: ['Connections.View', 'Triggers.View'],
};

test('each role grants exactly its permissions', () => {
  for (const role of ROLES) assert.deepEqual([...permissionsOf(role)].sort(), [...EXPECTED[role]].sort(), role);
});

for (const kind of STORE_KINDS) {
  describe(`tenancy and access (${kind} store)`, () => {
    let s: TestService;
    const keys: Record<string, string> = {};
    const ids: Record<string, string> = {};

    async function createUser(name: string): Promise<void> {
      const u = await s.api('POST', '/api/v1/users', { body: { email: `${name}@example.com`, displayName: name } });
      assert.equal(u.statusCode, 201, u.body);
      ids[name] = u.json().id;
      const k = await s.api('POST', `/api/v1/users/${ids[name]}/api-keys`, { body: { name: 'test' } });
      assert.equal(k.statusCode, 201, k.body);
      keys[name] = k.json().key;
    }

    async function createFolder(name: string, parentId?: string, key?: string) {
      return s.api('POST', '/api/v1/folders', { key, body: { name, ...(parentId ? { parentId } : {}) } });
    }

    before(async () => {
      s = await startTestService(kind);
      for (const name of ['alice', 'bob', 'carol', 'dave', 'erin']) await createUser(name);
      const finance = await createFolder('Finance');
      assert.equal(finance.statusCode, 201, finance.body);
      ids.finance = finance.json().id;
      const invoices = await createFolder('Invoices', ids.finance);
      ids.invoices = invoices.json().id;
      ids.hr = (await createFolder('HR')).json().id;
    });
    after(() => s.close());

    test('bootstrap created the Shared folder and the administrator workspace', async () => {
      const res = await s.api('GET', '/api/v1/folders');
      const names = res.json().items.map((f: { fullyQualifiedName: string }) => f.fullyQualifiedName);
      assert.ok(names.includes('Shared'));
      assert.ok(names.includes("Administrator's workspace"));
      assert.ok(names.includes('Finance/Invoices'));
    });

    test('role x permission matrix, through the API', async () => {
      const users = { Administrator: 'alice', Editor: 'bob', User: 'carol', Viewer: 'dave' } as const;
      for (const role of ROLES) {
        const put = await s.api('PUT', `/api/v1/folders/${ids.finance}/members/${ids[users[role]]}`, { body: { role } });
        assert.equal(put.statusCode, 200, put.body);
      }
      for (const role of ROLES) {
        const key = keys[users[role]];
        // Roles are inherited by subfolders.
        for (const folder of [ids.finance, ids.invoices]) {
          const got = await s.api('GET', `/api/v1/folders/${folder}`, { key });
          assert.equal(got.statusCode, 200, `${role} sees the folder`);
          assert.equal(got.json().role, role);
          assert.deepEqual([...got.json().permissions].sort(), [...EXPECTED[role]].sort());
        }
        const manages = EXPECTED[role].includes('Folders.Manage');
        const sub = await createFolder(`by-${role}`, ids.invoices, key);
        assert.equal(sub.statusCode, manages ? 201 : 403, `${role} creating a subfolder`);
        if (!manages) {
          assert.equal(sub.json().code, 'FORBIDDEN');
          assert.equal(sub.json().permission, 'Folders.Manage');
        }
        const rename = await s.api('PATCH', `/api/v1/folders/${ids.invoices}`, { key, body: { name: 'Invoices' } });
        assert.equal(rename.statusCode, manages ? 200 : 403, `${role} renaming`);
        const member = await s.api('PUT', `/api/v1/folders/${ids.invoices}/members/${ids.erin}`, { key, body: { role: 'Viewer' } });
        assert.equal(member.statusCode, manages ? 200 : 403, `${role} adding a member`);
        const members = await s.api('GET', `/api/v1/folders/${ids.finance}/members`, { key });
        assert.equal(members.statusCode, 200);
      }
    });

    test('a nearer membership overrides an inherited role', async () => {
      await s.api('PUT', `/api/v1/folders/${ids.invoices}/members/${ids.dave}`, { body: { role: 'Editor' } });
      const finance = await s.api('GET', `/api/v1/folders/${ids.finance}`, { key: keys.dave });
      const invoices = await s.api('GET', `/api/v1/folders/${ids.invoices}`, { key: keys.dave });
      assert.equal(finance.json().role, 'Viewer');
      assert.equal(invoices.json().role, 'Editor');
    });

    test('cross-folder denial: a folder you have no role in is not found, not forbidden', async () => {
      const res = await s.api('GET', `/api/v1/folders/${ids.hr}`, { key: keys.carol });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'NOT_FOUND');
      const patch = await s.api('PATCH', `/api/v1/folders/${ids.hr}`, { key: keys.carol, body: { name: 'x' } });
      assert.equal(patch.statusCode, 404);
      const members = await s.api('PUT', `/api/v1/folders/${ids.hr}/members/${ids.carol}`, { key: keys.carol, body: { role: 'Administrator' } });
      assert.equal(members.statusCode, 404, 'nobody can grant themselves a role in a folder they cannot see');
      const list = await s.api('GET', '/api/v1/folders', { key: keys.carol });
      const names = list.json().items.map((f: { fullyQualifiedName: string }) => f.fullyQualifiedName);
      assert.ok(!names.includes('HR'));
      assert.ok(!names.includes('Shared'));
      assert.ok(names.includes('Finance') && names.includes('Finance/Invoices'));
    });

    test('personal workspaces are private to their owner and tenant administrators', async () => {
      const aliceUser = await s.api('GET', '/api/v1/users/me', { key: keys.alice });
      const workspace = aliceUser.json().personalFolderId;
      assert.equal((await s.api('GET', `/api/v1/folders/${workspace}`, { key: keys.alice })).json().role, 'Administrator');
      assert.equal((await s.api('GET', `/api/v1/folders/${workspace}`, { key: keys.bob })).statusCode, 404);
      assert.equal((await s.api('GET', `/api/v1/folders/${workspace}`)).statusCode, 200);
      const share = await s.api('PUT', `/api/v1/folders/${workspace}/members/${ids.bob}`, { key: keys.alice, body: { role: 'Viewer' } });
      assert.equal(share.statusCode, 409);
      const del = await s.api('DELETE', `/api/v1/folders/${workspace}`);
      assert.equal(del.statusCode, 409);
    });

    test('only tenant administrators create top-level folders and users', async () => {
      const top = await createFolder('Top', undefined, keys.alice);
      assert.equal(top.statusCode, 403);
      const user = await s.api('POST', '/api/v1/users', { key: keys.alice, body: { email: 'x@example.com' } });
      assert.equal(user.statusCode, 403);
      const list = await s.api('GET', '/api/v1/users', { key: keys.alice });
      assert.deepEqual(list.json().items.map((u: { email: string }) => u.email), ['alice@example.com']);
      const other = await s.api('GET', `/api/v1/users/${ids.bob}`, { key: keys.alice });
      assert.equal(other.statusCode, 404);
    });

    test('folder names: unique among siblings, no slash, no cycles, delete only when empty', async () => {
      const dup = await createFolder('finance');
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().code, 'CONFLICT');
      const slash = await createFolder('a/b');
      assert.equal(slash.statusCode, 400);
      assert.equal(slash.json().errors[0].path, '/body/name');
      const cycle = await s.api('PATCH', `/api/v1/folders/${ids.finance}`, { body: { parentId: ids.invoices } });
      assert.equal(cycle.statusCode, 400);
      assert.equal(cycle.json().errors[0].rule, 'no-cycle');
      const notEmpty = await s.api('DELETE', `/api/v1/folders/${ids.finance}`);
      assert.equal(notEmpty.statusCode, 409);
      assert.equal(notEmpty.json().code, 'FOLDER_NOT_EMPTY');
      const leaf = await createFolder('Temp', ids.hr);
      const moved = await s.api('PATCH', `/api/v1/folders/${leaf.json().id}`, { body: { parentId: ids.invoices } });
      assert.equal(moved.json().fullyQualifiedName, 'Finance/Invoices/Temp');
      const gone = await s.api('DELETE', `/api/v1/folders/${leaf.json().id}`);
      assert.equal(gone.statusCode, 204);
      assert.equal(gone.body, '');
      assert.equal((await s.api('GET', `/api/v1/folders/${leaf.json().id}`)).statusCode, 404);
    });

    test('removing a member takes their access away', async () => {
      const before = await s.api('GET', `/api/v1/folders/${ids.invoices}`, { key: keys.erin });
      assert.equal(before.statusCode, 200);
      const del = await s.api('DELETE', `/api/v1/folders/${ids.invoices}/members/${ids.erin}`);
      assert.equal(del.statusCode, 204);
      assert.equal((await s.api('GET', `/api/v1/folders/${ids.invoices}`, { key: keys.erin })).statusCode, 404);
      assert.equal((await s.api('DELETE', `/api/v1/folders/${ids.invoices}/members/${ids.erin}`)).statusCode, 404);
    });
  });
}
