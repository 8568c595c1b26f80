import { join } from 'node:path';
import type { Database } from './database.ts';
import { openEmbeddedDatabase } from './embedded.ts';
import { migrate } from './migrate.ts';
import { openPostgresDatabase } from './postgres.ts';

export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** Data folder of the embedded store; `undefined` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** PostgreSQL schema to confine this store to (tests on a shared server). */
  schema?: string | undefined;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgresDatabase(options.databaseUrl, options.schema ? { schema: options.schema } : {})
    : await openEmbeddedDatabase(options.dataDir === undefined ? undefined : join(options.dataDir, 'pgdata'));
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
