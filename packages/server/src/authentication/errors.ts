import { registerErrorCodes } from '../problems/catalog.ts';

registerErrorCodes({
  CONNECTION_NOT_FOUND: {
    status: 404,
    title: 'Connection not found',
    meaning: 'No connection with this id exists in a folder you can see.',
    fix: 'Check the id, and that you have Connections.View in its folder.',
  },
  CONNECTION_NOT_ENABLED: {
    status: 403,
    title: 'The connection is not enabled',
    meaning: 'The connection is Disabled (for example the vendor revoked its refresh token) or still Pending. `disabledReason` says why.',
    fix: 'Reconnect it: POST /api/v1/connections/{id}/reconnect, or Reconnect in the console.',
  },
  CONNECTION_AUTH_FAILED: {
    status: 400,
    title: 'The vendor refused the credentials',
    meaning: 'Authenticating with the vendor failed. `vendorError` and `vendorMessage` carry what the vendor said; `detail` explains it.',
    fix: 'Correct the credentials or the app registration as the detail says, then create or reconnect the connection again.',
  },
  OAUTH_STATE_INVALID: {
    status: 400,
    title: 'The authorization response is not valid',
    meaning: 'The `state` of the OAuth callback is unknown, expired (older than 10 minutes), or was already used. Each authorization link works once.',
    fix: 'Start again: create the connection or reconnect it to get a fresh authorization link.',
  },
  VENDOR_CONSENT_ERROR: {
    status: 400,
    title: 'The vendor reported an error at consent',
    meaning: 'The vendor redirected back with an error instead of an authorization code (for example the user cancelled or an administrator must consent).',
    fix: 'Read `vendorError` and `vendorMessage`, fix the cause (e.g. ask an administrator to grant consent), then reconnect.',
  },
  TOKEN_REFRESH_FAILED: {
    status: 503,
    title: 'The access token could not be refreshed right now',
    meaning: 'The vendor\'s token endpoint was unreachable or failed temporarily. The connection stays Connected.',
    fix: 'Retry later; Switchboard retries on its own with backoff.',
  },
  VENDOR_UNREACHABLE: {
    status: 502,
    title: 'The vendor could not be reached',
    meaning: 'A network error or timeout occurred talking to the vendor.',
    fix: 'Retry later; check the vendor status page and the service\'s outbound network access.',
  },
});

/**
 * What a vendor's authorization server said, normalised. `permanent` errors mean the
 * credentials will not work again without a person (revoked grant, wrong secret, consent
 * withdrawn); transient ones (network, 5xx, temporarily_unavailable) are retried.
 */
export class AuthProviderError extends Error {
  override name = 'AuthProviderError';
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number | undefined,
    readonly permanent: boolean,
    /** Vendor-specific sub-codes, e.g. Microsoft's AADSTS numbers. */
    readonly codes: string[] = [],
  ) {
    super(description ? `${error}: ${description}` : error);
  }
}

const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error', 'slow_down']);

export function classifyOAuthError(error: string, description: string, status: number | undefined, codes: string[] = []): AuthProviderError {
  const transient = TRANSIENT_ERRORS.has(error) || (status !== undefined && status >= 500) || status === 429;
  return new AuthProviderError(error, description, status, !transient, codes);
}
