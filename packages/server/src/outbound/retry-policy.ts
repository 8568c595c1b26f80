import type { HttpMethod } from './vendor-call.ts';

/** Methods that may be repeated after a network error or 5xx without doing the work twice (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Statuses retried for any method: the vendor says it did not do the work. */
export const DEFAULT_RETRY_STATUSES = [429, 503];
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface RetrySettings {
  /** Statuses retried whatever the method (connector's `http.retry.statuses`, default 429 and 503). */
  statuses: number[];
  /** Attempts in all, the first included (connector's `http.retry.maxAttempts`). */
  maxAttempts: number;
  /** Full-jitter base: attempt n waits a random time in [0, base·2^(n-1)). */
  baseDelayMs: number;
  /** Longest single backoff wait when the vendor gives no hint. */
  maxDelayMs: number;
  /** Most time spent waiting between attempts of one call, hints included. */
  maxTotalWaitMs: number;
}

export function isIdempotent(method: HttpMethod, declared: boolean | undefined): boolean {
  return declared ?? IDEMPOTENT_METHODS.has(method);
}

/**
 * Whether a status is worth another attempt. 429 and the connector's statuses always are;
 * other 5xx only for idempotent requests, because a POST that failed with 500 may have done
 * its work. 501 and 505 say the request can never work.
 */
export function isRetryableStatus(status: number, idempotent: boolean, settings: RetrySettings): boolean {
  if (settings.statuses.includes(status)) return true;
  return idempotent && status >= 500 && status !== 501 && status !== 505;
}

type HeaderValue = string | string[] | undefined;
type Headers = Record<string, HeaderValue>;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: HeaderValue, now: number): number | undefined {
  const text = first(value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A reset time from `RateLimit-Reset` / `X-RateLimit-Reset`: vendors send either seconds to
 * wait (the IETF draft, Twitter's v2) or a Unix time in seconds (GitHub) or milliseconds. A
 * number that large is a point in time, not a delay.
 */
export function parseResetValue(value: HeaderValue, now: number): number | undefined {
  const text = first(value)?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (n >= 1e12) return Math.max(0, n - now);
  if (n >= 1e9) return Math.max(0, n * 1000 - now);
  return Math.round(n * 1000);
}

/** The `t` (seconds to reset) of the IETF structured `RateLimit` header when its `r` (remaining) is 0. */
function parseStructuredRateLimit(value: HeaderValue): number | undefined {
  const text = first(value);
  if (!text) return undefined;
  const remaining = /(?:^|;)\s*r=(\d+)/.exec(text);
  const reset = /(?:^|;)\s*t=(\d+)/.exec(text);
  if (remaining?.[1] !== '0' || !reset) return undefined;
  return Number(reset[1]) * 1000;
}

/**
 * How long the vendor asked us to wait, from its headers: Retry-After first, then the
 * rate-limit headers when they say nothing is left. Undefined when it gave no hint.
 */
export function vendorWaitMs(headers: Headers, now: number): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined) return retryAfter;
  return quotaResetMs(headers, now);
}

/** When a response says the quota is used up (remaining 0), how long until it resets. */
export function quotaResetMs(headers: Headers, now: number): number | undefined {
  for (const prefix of ['ratelimit', 'x-ratelimit']) {
    if (first(headers[`${prefix}-remaining`])?.trim() === '0') {
      const reset = parseResetValue(headers[`${prefix}-reset`], now);
      if (reset !== undefined) return reset;
    }
  }
  return parseStructuredRateLimit(headers.ratelimit);
}

/** Exponential backoff with full jitter (random in [0, min(max, base·2^(attempt-1))]). */
export function backoffMs(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt: the vendor's hint when it gave one (plus a little jitter so
 * many callers told the same time do not all come back in the same millisecond), otherwise
 * backoff.
 */
export function nextWaitMs(attempt: number, headers: Headers | undefined, settings: RetrySettings, now: number, random: () => number = Math.random): number {
  const hinted = headers ? vendorWaitMs(headers, now) : undefined;
  if (hinted !== undefined) return hinted + Math.floor(random() * settings.baseDelayMs);
  return backoffMs(attempt, settings, random);
}
