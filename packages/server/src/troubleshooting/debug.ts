import type { Folders } from '../access/folders.ts';
import type { Principal } from '../access/principal.ts';
import type { Database, Queryable } from '../store/database.ts';
import { authorizeConnection } from './connection-access.ts';

export const DEFAULT_DEBUG_MINUTES = 60;

export interface DebugState {
  connectionId: string;
  enabled: boolean;
  /** When debug turns itself off; null when off. */
  until: string | null;
}

export interface DebugSessionsOptions {
  /** How stale the in-memory set may get before it is re-read (other instances turn debug on too). */
  refreshMs?: number;
  now?: () => number;
}

/**
 * Which connections are in debug mode, i.e. whose calls keep their bodies. The vendor client
 * asks before every call, so the answer comes from memory: the set is loaded at start, updated
 * at once by changes made through this instance, and re-read in the background every
 * `refreshMs` for changes made through others. Debug always expires (default 60 minutes):
 * bodies hold business data, and a forgotten switch must not keep collecting it.
 */
export class DebugSessions {
  private until = new Map<string, number>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly folders: Folders,
    options: DebugSessionsOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  wantsBodies(connectionId: string): boolean {
    const now = this.now();
    if (now - this.loadedAt > this.refreshMs) void this.load();
    const until = this.until.get(connectionId);
    return until !== undefined && until > now;
  }

  /** Re-reads the set; one read at a time. Never rejects: a failed read keeps the old set until the next refresh. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.db.query<{ connection_id: string; until: Date }>('SELECT connection_id, until FROM connection_debug WHERE until > now()');
        this.until = new Map(rows.map((r) => [r.connection_id, r.until.getTime()]));
      } catch {
        // The store is unreachable: keep answering from memory; the ledger reports the outage.
      } finally {
        this.loadedAt = this.now();
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  async get(principal: Principal, connectionId: string): Promise<DebugState> {
    await authorizeConnection(this.db, this.folders, principal, connectionId, 'Connections.View');
    const [row] = await this.db.query<{ until: Date }>('SELECT until FROM connection_debug WHERE connection_id = $1 AND until > now()', [connectionId]);
    return { connectionId, enabled: Boolean(row), until: row ? row.until.toISOString() : null };
  }

  /** Turns debug on for `minutes` (from now, replacing any earlier end) or off. Needs Connections.Edit. */
  async set(principal: Principal, connectionId: string, input: { enabled: boolean; minutes?: number | undefined }): Promise<DebugState> {
    const row = await authorizeConnection(this.db, this.folders, principal, connectionId, 'Connections.Edit');
    let until: Date | null = null;
    if (input.enabled) {
      until = new Date(this.now() + (input.minutes ?? DEFAULT_DEBUG_MINUTES) * 60_000);
      await this.db.query(
        `INSERT INTO connection_debug (connection_id, tenant_id, until, enabled_by, enabled_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (connection_id) DO UPDATE SET until = EXCLUDED.until, enabled_by = EXCLUDED.enabled_by, enabled_at = now()`,
        [connectionId, row.tenant_id, until, principal.userId],
      );
    } else {
      await this.db.query('DELETE FROM connection_debug WHERE connection_id = $1', [connectionId]);
    }
    // A read in flight started before this write; let it land first so it cannot undo the change.
    await this.loading;
    if (until) this.until.set(connectionId, until.getTime());
    else this.until.delete(connectionId);
    return { connectionId, enabled: until !== null, until: until?.toISOString() ?? null };
  }
}

/** Expired switches are dead rows; the retention sweep removes them. */
export async function sweepDebugSessions(db: Queryable): Promise<number> {
  const rows = await db.query('DELETE FROM connection_debug WHERE until <= now() RETURNING connection_id');
  return rows.length;
}
