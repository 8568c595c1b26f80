import type { Queryable } from '../store/database.ts';

/**
 * One INSERT for many rows: `VALUES ($1, $2), ($3, $4) ...`. The ledger and the request log
 * write their buffered rows this way, so a burst of calls costs one round trip per table.
 * PostgreSQL allows 65,535 parameters per statement; callers keep batches well below that.
 */
export async function insertRows(db: Queryable, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

/**
 * Deletes matching rows a slice at a time, so a retention sweep over millions of rows never
 * holds one long transaction (or one huge lock) on a busy table. Returns how many went.
 */
export async function deleteInSlices(db: Queryable, table: string, key: string, where: string, params: unknown[], slice = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${slice}) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      params,
    );
    const n = row?.n ?? 0;
    total += n;
    if (n < slice) return total;
  }
}
