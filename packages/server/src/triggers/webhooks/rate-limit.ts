/**
 * Inbound webhook events per tenant per minute (UiPath: 500 events per minute per tenant).
 * A fixed one-minute window per tenant, counted in this instance: with several instances
 * behind a balancer each enforces the limit on what it receives, so a tenant may get up to
 * the limit times the number of instances. Refused events are not counted.
 */
export class WebhookRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `events` from the tenant's allowance; returns the seconds to wait when there is not enough left. */
  take(tenantId: string, events: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const start = now - (now % 60_000);
    let window = this.windows.get(tenantId);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(tenantId, window);
      if (this.windows.size > 10_000) this.prune(start);
    }
    if (window.count + events > this.perMinute) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + 60_000 - now) / 1000)) };
    window.count += events;
    return { ok: true };
  }

  private prune(current: number): void {
    for (const [tenant, w] of this.windows) if (w.start !== current) this.windows.delete(tenant);
  }
}
