import type { Principal } from '../access/principal.ts';
import { registerErrorCodes } from '../problems/catalog.ts';
import { Problem, forbidden } from '../problems/problem.ts';
import type { Database } from '../store/database.ts';

const QUOTA_EXCEEDED = {
  // 429, not 403: the condition clears by itself when the month turns (`resetsAt`), nothing
  // about the caller's rights is wrong, and clients already treat 429 as "wait, do not fix".
  status: 429,
  title: 'Monthly activity quota used up',
  meaning: 'The tenant used all billable Integration Activities (successful activity calls, HTTP requests and trigger starts) its monthly quota allows, so no vendor call was sent. `quota`, `used` and `resetsAt` (the start of the next month, UTC) say where it stands.',
  fix: 'Wait until `resetsAt`, or ask a tenant administrator to raise the quota with PUT /api/v1/usage/quota (or the operator to raise SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA). GET /api/v1/usage shows what used it.',
};
registerErrorCodes({ QUOTA_EXCEEDED });

export interface QuotaStatus {
  /** The quota in force: null is unlimited. */
  monthlyActivityQuota: number | null;
  /** `tenant`: set for this tenant with PUT /api/v1/usage/quota; `default`: SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA. */
  source: 'tenant' | 'default';
  used: number;
  remaining: number | null;
  periodStart: string;
  resetsAt: string;
}

interface Cached {
  limit: number | null;
  used: number;
  month: number;
  loadedAt: number;
}

export interface QuotaGuardOptions {
  /** SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA; null is unlimited. */
  defaultLimit: number | null;
  /** How long a tenant's counter is trusted before it is re-read (other instances count too). */
  refreshMs?: number;
  now?: () => number;
}

/** Start of the UTC month of `at`, and of the next one. */
export function monthOf(at: number): { start: number; end: number } {
  const d = new Date(at);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/**
 * The monthly billable-activity quota, checked before every vendor call. The check must cost
 * nothing on the hot path, so each tenant's counter lives in memory: read from the ledger
 * (plus what this instance still has buffered) at most every `refreshMs`, and incremented as
 * billable calls are recorded. It is a soft limit: concurrent calls, and other instances'
 * calls since the last refresh, can overshoot it by that much. If the store cannot be read
 * the last known counter is used (or none: calls are allowed), because the quota must not
 * turn a store hiccup into an outage.
 */
export class QuotaGuard {
  private readonly cache = new Map<string, Cached>();
  private readonly refreshing = new Map<string, Promise<Cached>>();
  private readonly refreshMs: number;
  private readonly now: () => number;
  /** Billable units recorded by this instance but not yet in the store; set by the recorder. */
  pending: (tenantId: string) => number = () => 0;

  constructor(
    private readonly db: Database,
    private readonly options: QuotaGuardOptions,
  ) {
    this.refreshMs = options.refreshMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Rejects with QUOTA_EXCEEDED when the tenant has no billable activity left this month. */
  async check(tenantId: string): Promise<void> {
    const q = await this.counter(tenantId);
    if (q.limit !== null && q.used >= q.limit) {
      const resetsAt = new Date(monthOf(q.month).end).toISOString();
      throw new Problem(
        'QUOTA_EXCEEDED',
        `This tenant used ${q.used} of its ${q.limit} billable activities this month, so the call was not sent. Calls resume at ${resetsAt}, or once a tenant administrator raises the quota.`,
        { extensions: { quota: q.limit, used: q.used, resetsAt } },
      );
    }
  }

  /** A billable call was recorded: count it at once, so the limit holds between refreshes. */
  charge(tenantId: string, units: number): void {
    const q = this.cache.get(tenantId);
    if (q && q.month === monthOf(this.now()).start) q.used += units;
  }

  private async counter(tenantId: string): Promise<Cached> {
    const now = this.now();
    const month = monthOf(now).start;
    const q = this.cache.get(tenantId);
    if (q && q.month === month && now - q.loadedAt < this.refreshMs) return q;
    let refresh = this.refreshing.get(tenantId);
    if (!refresh) {
      refresh = this.read(tenantId, month)
        .catch(() => ({ limit: q?.limit ?? null, used: q?.used ?? 0, month, loadedAt: this.now() }))
        .then((fresh) => {
          this.cache.set(tenantId, fresh);
          return fresh;
        })
        .finally(() => this.refreshing.delete(tenantId));
      this.refreshing.set(tenantId, refresh);
    }
    return refresh;
  }

  private async read(tenantId: string, month: number): Promise<Cached> {
    const { limit } = await this.limitOf(tenantId);
    // Unlimited tenants need no count: the check passes whatever it is.
    const used = limit === null ? 0 : await this.usedSince(tenantId, month);
    return { limit, used, month, loadedAt: this.now() };
  }

  private async limitOf(tenantId: string): Promise<{ limit: number | null; source: 'tenant' | 'default' }> {
    const [row] = await this.db.query<{ monthly_activity_quota: number | null }>('SELECT monthly_activity_quota FROM tenant_quotas WHERE tenant_id = $1', [tenantId]);
    return row ? { limit: row.monthly_activity_quota, source: 'tenant' } : { limit: this.options.defaultLimit, source: 'default' };
  }

  /** Billable units stored this month, plus this instance's buffered ones (read after the query, so none recorded meanwhile is missed). */
  private async usedSince(tenantId: string, month: number): Promise<number> {
    const [row] = await this.db.query<{ used: number }>(
      'SELECT coalesce(sum(billable_units), 0)::bigint AS used FROM usage_events WHERE tenant_id = $1 AND at >= $2',
      [tenantId, new Date(month)],
    );
    return Number(row?.used ?? 0) + this.pending(tenantId);
  }

  /** Where the tenant stands, read fresh from the store. */
  async status(tenantId: string): Promise<QuotaStatus> {
    const { start, end } = monthOf(this.now());
    const { limit, source } = await this.limitOf(tenantId);
    const used = await this.usedSince(tenantId, start);
    return {
      monthlyActivityQuota: limit,
      source,
      used,
      remaining: limit === null ? null : Math.max(0, limit - used),
      periodStart: new Date(start).toISOString(),
      resetsAt: new Date(end).toISOString(),
    };
  }

  /** Sets the tenant's own quota (null: unlimited), or with `undefined` returns it to the service default. Tenant administrators only. */
  async setTenantQuota(principal: Principal, limit: number | null | undefined): Promise<QuotaStatus> {
    if (!principal.isTenantAdmin) throw forbidden('tenant administrator', 'to change the activity quota');
    if (limit === undefined) {
      await this.db.query('DELETE FROM tenant_quotas WHERE tenant_id = $1', [principal.tenantId]);
    } else {
      await this.db.query(
        `INSERT INTO tenant_quotas (tenant_id, monthly_activity_quota, updated_by, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (tenant_id) DO UPDATE SET monthly_activity_quota = EXCLUDED.monthly_activity_quota, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [principal.tenantId, limit, principal.userId],
      );
    }
    // This instance applies the change at once; others within refreshMs.
    this.cache.delete(principal.tenantId);
    return this.status(principal.tenantId);
  }
}
