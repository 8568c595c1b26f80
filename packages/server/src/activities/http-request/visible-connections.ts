import type { Folders } from '../../access/folders.ts';
import { isUuid } from '../../access/ids.ts';
import type { Principal } from '../../access/principal.ts';
import { type ConnectionRow, findConnection } from '../../connections/repository.ts';
import { Problem } from '../../problems/problem.ts';
import type { Queryable } from '../../store/database.ts';

interface Entry {
  row: Promise<ConnectionRow>;
  expiresAt: number;
}

/**
 * "May this caller use this connection?" (Connections.View in its folder), answered from a
 * short memo. The check costs three store queries, which a client sending many requests on one
 * connection would pay each time; a role change or a status change made elsewhere is seen
 * within `ttlMs` (2 s by default). Refusals are never memoised.
 */
export class VisibleConnections {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Queryable,
    private readonly folders: Folders,
    private readonly ttlMs = 2_000,
  ) {}

  get(principal: Principal, id: string): Promise<ConnectionRow> {
    const key = `${principal.tenantId}:${principal.userId}:${id}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.row;
    const row = this.load(principal, id);
    if (this.ttlMs > 0) {
      const entry = { row, expiresAt: now + this.ttlMs };
      this.entries.set(key, entry);
      row.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
      if (this.entries.size > 10_000) for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    }
    return row;
  }

  /** Drops memoised rows of a connection (its status changed under us). */
  forget(connectionId: string): void {
    for (const key of this.entries.keys()) if (key.endsWith(`:${connectionId}`)) this.entries.delete(key);
  }

  private async load(principal: Principal, id: string): Promise<ConnectionRow> {
    const row = isUuid(id) ? await findConnection(this.db, principal.tenantId, id) : undefined;
    if (!row) throw notFound(id);
    try {
      await this.folders.authorize(principal, row.folder_id, 'Connections.View');
    } catch (error) {
      // A folder the caller cannot see hides the connection too.
      if (error instanceof Problem && error.status === 404) throw notFound(id);
      throw error;
    }
    return row;
  }
}

function notFound(id: string): Problem {
  return new Problem('CONNECTION_NOT_FOUND', `Connection ${id} was not found.`);
}
