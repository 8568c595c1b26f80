/**
 * The one SQL dialect Switchboard speaks is PostgreSQL. Two adapters implement it:
 * PGlite (embedded, a data folder) and node-postgres (a real server, several instances).
 * Everything above this file sees only `Database`.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Runs `fn` in one transaction; it rolls back if `fn` throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding a named lock shared by every process on this store (PostgreSQL:
   * a session advisory lock, released by the server if the holder dies; embedded: the store
   * belongs to one process, so an in-process queue is the whole truth). No transaction is
   * held open meanwhile, so `fn` may make network calls.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** In-process mutual exclusion by name: a promise chain per name. */
export class LocalLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(name, tail);
    await previous.catch(() => {});
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}

/** First row or undefined; keeps call sites short without hiding that a query ran. */
export async function one<T>(db: Queryable, sql: string, params?: unknown[]): Promise<T | undefined> {
  const rows = await db.query<T>(sql, params);
  return rows[0];
}
