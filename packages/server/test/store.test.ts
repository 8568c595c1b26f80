import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { listMigrations, migrate } from '../src/store/migrate.ts';
import { openStore } from '../src/store/open.ts';
import { STORE_KINDS, TEST_DATABASE_URL, openTestStore } from './support/stores.ts';

for (const kind of STORE_KINDS) {
  describe(`store (${kind})`, () => {
    test('migrations apply once, in order, and are idempotent', async () => {
      const store = await openTestStore(kind);
      try {
        const versions = (await store.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
        assert.deepEqual(versions, (await listMigrations()).map((m) => m.version));
        assert.deepEqual(await migrate(store.db), [], 'a second run applies nothing');
      } finally {
        await store.drop();
      }
    });

    test('a transaction rolls back everything when it fails', async () => {
      const store = await openTestStore(kind);
      try {
        await assert.rejects(
          store.db.transaction(async (tx) => {
            await tx.query("INSERT INTO tenants (id, name) VALUES ('00000000-0000-0000-0000-0000000000aa', 'half')");
            await tx.query('SELECT no_such_column FROM tenants');
          }),
        );
        assert.deepEqual(await store.db.query("SELECT * FROM tenants WHERE name = 'half'"), []);
      } finally {
        await store.drop();
      }
    });

    test('a store migrated by a newer build is refused with a clear message', async () => {
      const store = await openTestStore(kind);
      try {
        await store.db.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')");
        await assert.rejects(migrate(store.db), /newer Switchboard \(schema version 9999/);
      } finally {
        await store.drop();
      }
    });
  });
}

test('the embedded store persists in its data folder across restarts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-store-'));
  try {
    const first = await openStore({ dataDir: dir });
    await first.query("INSERT INTO tenants (id, name) VALUES ('00000000-0000-0000-0000-0000000000bb', 'persisted')");
    await first.close();
    const second = await openStore({ dataDir: dir });
    const rows = await second.query<{ name: string }>("SELECT name FROM tenants WHERE name = 'persisted'");
    await second.close();
    assert.deepEqual(rows, [{ name: 'persisted' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('several instances starting together on one PostgreSQL migrate it exactly once', async () => {
  const base = await openTestStore('postgres');
  try {
    // Empty the schema so the three instances race to migrate it from nothing.
    const tables = await base.db.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = current_schema()');
    await base.db.exec(`DROP TABLE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`);
    const opened = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: TEST_DATABASE_URL, schema: base.schema })));
    const rows = await opened[0]!.query<{ version: number }>('SELECT version FROM schema_migrations');
    assert.equal(rows.length, (await listMigrations()).length);
    await Promise.all(opened.map((db) => db.close()));
  } finally {
    await base.drop();
  }
});
