import { registerErrorCodes } from '../problems/catalog.ts';
import { Problem } from '../problems/problem.ts';
import { isJsonType } from './headers.ts';

// Codes of calls to vendors. Activities and the HTTP Request share them, so a vendor's 404
// reads the same whichever way it was reached.
registerErrorCodes({
  VENDOR_BAD_REQUEST: {
    status: 400,
    title: 'The vendor refused the request as invalid',
    meaning: 'The vendor answered 400 or 422: it considers the request malformed or its values invalid. `vendorStatus`, `vendorCode` and `vendorMessage` carry what it said.',
    fix: 'Correct the input as `vendorMessage` says; the vendor\'s API documentation lists the rules.',
  },
  VENDOR_UNAUTHORIZED: {
    status: 401,
    title: 'The vendor rejected the connection\'s credentials',
    meaning: 'The vendor answered 401 even after Switchboard renewed the access token once (for auth types that have one). The credentials were revoked, expired, or belong to an app that was disabled.',
    fix: 'Check the connection (POST /api/v1/connections/{id}/check); if that fails too, reconnect it.',
  },
  VENDOR_FORBIDDEN: {
    status: 403,
    title: 'The vendor denied access',
    meaning: 'The vendor answered 403: the connection\'s account or app lacks a permission or scope for this resource, or a policy of the vendor blocks it. `vendorMessage` usually names what is missing.',
    fix: 'Grant the permission to the account or app (for OAuth, add the scope and reconnect to consent again), or use a connection that has it.',
  },
  VENDOR_NOT_FOUND: {
    status: 404,
    title: 'The vendor did not find the resource',
    meaning: 'The vendor answered 404: the item does not exist, or the connection\'s account cannot see it.',
    fix: 'Check the id or path, and that the connection\'s account has access to the item.',
  },
  VENDOR_CONFLICT: {
    status: 409,
    title: 'The vendor reported a conflict',
    meaning: 'The vendor answered 409 or 412: the item changed meanwhile, already exists, or a precondition (ETag) failed.',
    fix: 'Read the item again and retry with its current state.',
  },
  VENDOR_RATE_LIMITED: {
    status: 429,
    title: 'The vendor is rate limiting this connection',
    meaning: 'The vendor answered 429 and Switchboard\'s retries (which honour Retry-After and rate-limit reset headers) ran out, or the wait it asked for was longer than Switchboard waits within one call. `retryAfterSeconds` says when to come back, when the vendor said.',
    fix: 'Retry after `retryAfterSeconds`. Spread calls over time, or lower the connector\'s request rate.',
  },
  VENDOR_ERROR: {
    status: 502,
    title: 'The vendor answered with an error',
    meaning: 'The vendor answered with an error status that has no more specific code, typically a 5xx that persisted through retries. `vendorStatus`, `vendorCode` and `vendorMessage` carry what it said.',
    fix: 'Retry later; check the vendor\'s status page. If it persists, report the `requestId` and `vendorRequestId`.',
  },
  TIMEOUT: {
    status: 504,
    title: 'The vendor call timed out',
    meaning: 'The vendor did not answer completely within the call\'s time limit (SWITCHBOARD_ACTIVITY_TIMEOUT_MS, 90 seconds by default), waits for rate limits and retries included. A write may still have been carried out.',
    fix: 'Retry later; for writes, check first whether the change happened. Operators can raise SWITCHBOARD_ACTIVITY_TIMEOUT_MS.',
  },
  RESPONSE_TOO_LARGE: {
    status: 502,
    title: 'The vendor\'s response is too large',
    meaning: 'The response body is larger than Switchboard reads into memory (SWITCHBOARD_MAX_JSON_BYTES for JSON, 8 MiB by default; SWITCHBOARD_MAX_RESPONSE_BYTES otherwise). Reading stopped at the limit.',
    fix: 'Ask for less: select fewer fields, use a smaller page size, or download files with Accept: application/octet-stream (streamed, not limited).',
  },
  TOO_MANY_REDIRECTS: {
    status: 502,
    title: 'The vendor redirected too many times',
    meaning: 'Following the vendor\'s redirects took more than 5 hops.',
    fix: 'Call the final URL directly, or report the redirect loop to the vendor.',
  },
  DESTINATION_NOT_ALLOWED: {
    status: 403,
    title: 'The destination is not allowed',
    meaning: 'The request (or a redirect the vendor answered with) leads to an address Switchboard never calls on a connection\'s behalf: a loopback, private or link-local address (such as cloud metadata at 169.254.169.254) reached from a connection whose base URL is public, or a reserved address. Nothing was sent there.',
    fix: 'Use the vendor\'s public host. For vendors on your own network, write the base URL with its private IP address or ask the operator to list its host in SWITCHBOARD_PRIVATE_HOSTS.',
  },
});

/** The part of a vendor response the mapping reads. */
export interface VendorErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json?: unknown;
}

const MAX_MESSAGE_CHARS = 1000;

/** The stable code for a vendor error status. */
export function vendorErrorCode(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return 'VENDOR_BAD_REQUEST';
    case 401:
      return 'VENDOR_UNAUTHORIZED';
    case 403:
      return 'VENDOR_FORBIDDEN';
    case 404:
    case 410:
      return 'VENDOR_NOT_FOUND';
    case 409:
    case 412:
      return 'VENDOR_CONFLICT';
    case 429:
      return 'VENDOR_RATE_LIMITED';
    default:
      return 'VENDOR_ERROR';
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * The vendor's own error code and message, from the shapes APIs commonly use:
 * `{error:{code,message}}` (Microsoft Graph, Google, Stripe), `{error, error_description}`
 * (OAuth 2.0), `{code, message}` / `{message}` (GitHub and most REST APIs), `{errors:[{code,message}]}`
 * (GraphQL, Atlassian), `[{errorCode, message}]` (Salesforce), `{errorMessages:[...]}` (Jira),
 * `{title, detail}` (RFC 9457) and `{fault:{faultstring}}` (API gateways).
 */
export function readVendorError(json: unknown, text?: string): { code?: string; message?: string } {
  const top = obj(json) ?? obj(Array.isArray(json) ? json[0] : undefined);
  let code: string | undefined;
  let message: string | undefined;
  if (top) {
    const error = obj(top.error);
    if (error) {
      code = str(error.code) ?? str(error.type) ?? str(error.status);
      message = str(error.message) ?? str(error.detail) ?? str(error.description);
    } else if (typeof top.error === 'string') {
      code = str(top.error);
      message = str(top.error_description) ?? str(top.message) ?? str(top.description);
    }
    code ??= str(top.code) ?? str(top.errorCode) ?? str(top.error_code);
    message ??= str(top.message) ?? str(top.error_message) ?? str(top.detail) ?? str(top.title);
    const errors = Array.isArray(top.errors) ? top.errors : undefined;
    const firstError = obj(errors?.[0]);
    if (firstError) {
      code ??= str(firstError.code) ?? str(firstError.errorCode) ?? str(obj(firstError.extensions)?.code);
      message ??= str(firstError.message) ?? str(firstError.detail);
    } else if (typeof errors?.[0] === 'string') {
      message ??= str(errors[0]);
    }
    if (Array.isArray(top.errorMessages)) message ??= str(top.errorMessages[0]);
    const fault = obj(top.fault);
    if (fault) {
      message ??= str(fault.faultstring);
      code ??= str(obj(fault.detail)?.errorcode);
    }
  } else if (text) {
    const line = text.split(/\r?\n/).map((l) => l.trim()).find(Boolean);
    // An HTML error page says nothing useful in its first line.
    if (line && !line.startsWith('<')) message = line;
  }
  return {
    ...(code ? { code: code.slice(0, 200) } : {}),
    ...(message ? { message: message.slice(0, MAX_MESSAGE_CHARS) } : {}),
  };
}

/** Headers in which vendors return their request id, which their support asks for. */
const REQUEST_ID_HEADERS = ['request-id', 'x-ms-request-id', 'x-request-id', 'x-amzn-requestid', 'x-github-request-id', 'cf-ray'];

/**
 * The problem for a vendor's error response: a stable code from the status, and the vendor's
 * own status, code, message, request id and (for 429) when to retry, kept as they were.
 */
export function problemFromVendorResponse(response: VendorErrorResponse, vendor = 'The vendor'): Problem {
  const contentType = response.headers['content-type'];
  let json = response.json;
  if (json === undefined && isJsonType(contentType) && response.body.length > 0) {
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  const text = json === undefined && response.body.length > 0 && response.body.length < 64 * 1024 ? response.body.toString('utf8') : undefined;
  const { code, message } = readVendorError(json, text);
  const vendorRequestId = REQUEST_ID_HEADERS.map((h) => response.headers[h]).find(Boolean);
  const retryAfter = response.headers['retry-after'];
  const retryAfterSeconds = retryAfter === undefined ? undefined : /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : secondsUntil(retryAfter);
  const detail = `${vendor} answered ${response.status}${code ? ` (${code})` : ''}${message ? `: ${message}` : '.'}`;
  return new Problem(vendorErrorCode(response.status), detail, {
    extensions: {
      vendorStatus: response.status,
      ...(code ? { vendorCode: code } : {}),
      ...(message ? { vendorMessage: message } : {}),
      ...(vendorRequestId ? { vendorRequestId } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    },
  });
}

function secondsUntil(date: string): number | undefined {
  const at = Date.parse(date);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
