import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { type Database, LocalLocks, type Queryable } from './database.ts';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) persisted in a data folder. PGlite is one
 * connection, so transactions are serialised by PGlite itself.
 */
export async function openEmbeddedDatabase(dataDir: string | undefined): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pg = new PGlite(dataDir);
  await pg.waitReady;
  const asQueryable = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const result = await q.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const locks = new LocalLocks();
  return {
    kind: 'embedded',
    withLock: (name, fn) => locks.run(name, fn),
    ...asQueryable(pg),
    transaction: (fn) => pg.transaction((tx) => fn(asQueryable(tx))),
    close: () => pg.close(),
  };
}
