import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/store/database.ts';
import { openStore } from '../../src/store/open.ts';
import { quoteIdent } from '../../src/store/postgres.ts';

/** The PostgreSQL server tests use; CI and developer machines run one on 127.0.0.1. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'embedded' | 'postgres';

/** Both stores, always: a suite that passes on one store only is not done. */
export const STORE_KINDS: StoreKind[] = ['embedded', 'postgres'];

export interface TestStore {
  db: Database;
  kind: StoreKind;
  /** For postgres: the schema this store lives in, so other processes can join it. */
  schema?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated store. PostgreSQL runs get their own schema on the shared server, so
 * test files can run side by side and leave nothing behind.
 */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'embedded') {
    const db = await openStore({});
    return { db, kind, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  } finally {
    await admin.end();
  }
  const db = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  return {
    db,
    kind,
    schema,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
