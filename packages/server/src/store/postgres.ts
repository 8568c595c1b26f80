import pg from 'pg';
import { type Database, LocalLocks, type Queryable } from './database.ts';

// Return BIGINT (counters, byte totals) as numbers; they stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PostgresOptions {
  /** Confines every connection to one schema; tests use it to isolate runs on a shared server. */
  schema?: string;
  max?: number;
}

export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const client = await pool.connect();
  client.release();
  // Waiters in this process queue locally first, so one process holds one pool client per lock at most.
  const local = new LocalLocks();
  return {
    kind: 'postgres',
    withLock: (name, fn) =>
      local.run(name, async () => {
        const lockClient = await pool.connect();
        try {
          await lockClient.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
          try {
            return await fn();
          } finally {
            await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
          }
        } finally {
          lockClient.release();
        }
      }),
    async query<T>(sql: string, params?: unknown[]) {
      const result = await pool.query(sql, params);
      return result.rows as T[];
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          async query<R>(sql: string, params?: unknown[]) {
            return (await client.query(sql, params)).rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
