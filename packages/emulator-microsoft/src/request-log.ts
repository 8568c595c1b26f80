/**
 * Every request the listeners receive (except the admin API), so tests can assert which cloud and
 * host each environment reached. Secrets, codes and tokens are never recorded: only the
 * non-sensitive protocol parameters that tell requests apart.
 */
import type { ListenerName } from './clouds.ts';

export interface RequestLogEntry {
  seq: number;
  time: string;
  /** The listener that received the request. */
  cloud: ListenerName;
  /** The vendor host the request was meant for (login or Graph host). */
  host: string;
  method: string;
  path: string;
  grantType?: string;
  scope?: string;
  clientId?: string;
  /** Response status; 0 when the emulator reset the connection on purpose. */
  status?: number;
}

export interface RequestLogFilter {
  cloud?: string;
  host?: string;
  method?: string;
  /** Substring of the path, so `/oauth2/v2.0/token` matches every tenant segment. */
  path?: string;
  grantType?: string;
  clientId?: string;
}

export interface TokenStats {
  total: number;
  succeeded: number;
  failed: number;
  byGrantType: Record<string, number>;
  byCloud: Record<string, number>;
  byStatus: Record<string, number>;
}

/** Bounded so a long-running `switchboard emulate` does not grow without limit. */
const MAX_ENTRIES = 50_000;
const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return full;
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.entries.filter((e) => matches(e, filter)).map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }

  /** Counts of token-endpoint requests, derived from the log so the two can never disagree. */
  tokenStats(filter: RequestLogFilter = {}): TokenStats {
    const stats: TokenStats = { total: 0, succeeded: 0, failed: 0, byGrantType: {}, byCloud: {}, byStatus: {} };
    for (const e of this.entries) {
      if (e.method !== 'POST' || !TOKEN_PATH.test(e.path) || !matches(e, filter)) continue;
      stats.total++;
      if (e.status !== undefined && e.status >= 200 && e.status < 300) stats.succeeded++;
      else stats.failed++;
      const grant = e.grantType ?? '(none)';
      stats.byGrantType[grant] = (stats.byGrantType[grant] ?? 0) + 1;
      stats.byCloud[e.cloud] = (stats.byCloud[e.cloud] ?? 0) + 1;
      const status = String(e.status ?? 'pending');
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    }
    return stats;
  }
}

function matches(e: RequestLogEntry, f: RequestLogFilter): boolean {
  if (f.cloud && e.cloud !== f.cloud) return false;
  if (f.host && e.host.toLowerCase() !== f.host.toLowerCase()) return false;
  if (f.method && e.method.toUpperCase() !== f.method.toUpperCase()) return false;
  if (f.path && !e.path.includes(f.path)) return false;
  if (f.grantType && e.grantType !== f.grantType) return false;
  if (f.clientId && e.clientId?.toLowerCase() !== f.clientId.toLowerCase()) return false;
  return true;
}
