/**
 * Counts failed sign-ins per key (email + client address) in a fixed window and pauses a
 * key that failed too often. In memory, so per instance: with N instances behind a load
 * balancer an attacker gets at most N times the budget, which still makes online guessing
 * against scrypt hopeless; a shared store would cost a write per attempt for little more.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, { count: number; windowEnds: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    /** Bounds memory under a spray of distinct keys; the oldest entries go first. */
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the key may try again; 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    const left = entry.windowEnds - this.now();
    if (left <= 0) {
      this.failures.delete(key);
      return 0;
    }
    return entry.count >= this.maxFailures ? Math.ceil(left / 1000) : 0;
  }

  failed(key: string): void {
    const now = this.now();
    const entry = this.failures.get(key);
    if (entry && entry.windowEnds > now) {
      entry.count += 1;
      return;
    }
    this.failures.delete(key);
    if (this.failures.size >= this.capacity) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(key, { count: 1, windowEnds: now + this.windowMs });
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
