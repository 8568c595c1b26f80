/** Time as the trigger engine sees it; tests pass a clock they move by hand. */
export interface Clock {
  now(): Date;
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };

export interface DeliveryPolicy {
  /** One delivery attempt may take this long. */
  timeoutMs: number;
  /** An attempt holds its event this long; after it another worker may take the event over (the first one died). */
  leaseMs: number;
  /** Retries stop this long after the first attempt: the event is then dead-lettered. */
  retryWindowMs: number;
  /** Milliseconds to wait after the n-th failed attempt (n from 1). */
  backoff(attempt: number): number;
  /** Longest wait a receiver may ask for with Retry-After. */
  maxRetryAfterMs: number;
}

/**
 * Exponential backoff from 10 seconds, doubling, capped at 2 hours, with ±20% jitter so a
 * receiver that comes back is not hit by every retry at the same instant: about 20 attempts
 * in the 24-hour window.
 */
export function exponentialBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 2 * 60 * 60 * 1000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  timeoutMs: 15_000,
  leaseMs: 45_000,
  retryWindowMs: 24 * 60 * 60 * 1000,
  backoff: (attempt) => exponentialBackoff(attempt),
  maxRetryAfterMs: 60 * 60 * 1000,
};

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
