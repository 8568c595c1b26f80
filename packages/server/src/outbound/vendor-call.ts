import type { Readable } from 'node:stream';
import type { ConnectionRow } from '../connections/repository.ts';

/**
 * The contract between the activity runtime (which decides WHAT to call) and the vendor
 * client (which decides HOW: credentials, retries, limits, safety). Both sides code
 * against these types only.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface VendorRequest {
  method: HttpMethod;
  /**
   * Absolute URL. Credentials are attached only when it is on the connection's base URL
   * origin; anything else is sent without them (or refused, per the caller's policy).
   */
  url: URL;
  /** Lower-case header names. The caller never sets Authorization; the client injects it. */
  headers: Record<string, string>;
  body?: string | Uint8Array | undefined;
  /** Safe to retry on network errors and 5xx (GET, HEAD, OPTIONS, PUT, DELETE by default). */
  idempotent?: boolean;
}

export interface VendorResponse {
  status: number;
  /** Response headers without hop-by-hop ones. */
  headers: Record<string, string>;
  /** The body as received (content-encoding decoded), capped at the configured maximum. Empty when `stream` is set. */
  body: Buffer;
  /**
   * With `VendorCallOptions.stream`: the body, unread and unlimited in size. The caller must
   * consume or destroy it; the call counts as in flight (concurrency cap) until it ends.
   */
  stream?: Readable;
  /** The URL that answered, after redirects: resolve relative links in the response against it. */
  url?: URL;
  /** Parsed when the content type is JSON; undefined otherwise or when empty. */
  json?: unknown;
  /** Attempts made (1 = no retry). */
  attempts: number;
  durationMs: number;
}

export interface VendorCallOptions {
  /** Correlation id of the API request that caused this call (request logs). */
  requestId: string;
  /** What is calling, for the usage ledger and request logs: an activity key, 'http-request', a trigger key. */
  operation: string;
  kind: 'activity' | 'http-request' | 'trigger' | 'identity';
  signal?: AbortSignal;
  /** Overrides the configured cap (RESPONSE_TOO_LARGE) for JSON responses. */
  maxJsonBytes?: number;
  /** Stream-friendly mode: binary bodies are not parsed. */
  expectBinary?: boolean;
  /** Return the body unread as `VendorResponse.stream` (downloads); the size caps do not apply. */
  stream?: boolean;
  /** Overrides the configured time limit of the call (SWITCHBOARD_ACTIVITY_TIMEOUT_MS), waits and retries included. */
  timeoutMs?: number;
}

export interface VendorCaller {
  /**
   * Sends one HTTP request as the connection: renews the token when due or on the
   * connector's expired-token status (once), honours Retry-After / RateLimit headers,
   * the connector's rate limit and concurrency cap, retries idempotent requests and
   * 429/503 with jittered backoff, and never sends credentials to another origin
   * (also not on redirects). Throws a Problem with a VENDOR_* / TIMEOUT /
   * RESPONSE_TOO_LARGE code only for failures that have no vendor response to return;
   * vendor error statuses come back as a VendorResponse for the caller to map.
   */
  send(connection: ConnectionRow, request: VendorRequest, options: VendorCallOptions): Promise<VendorResponse>;
}
