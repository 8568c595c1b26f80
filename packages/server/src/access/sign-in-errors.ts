import { registerErrorCodes } from '../problems/catalog.ts';

/** The stable codes of console sign-in; imported by every module that can raise them. */
registerErrorCodes({
  INVALID_CREDENTIALS: {
    status: 401,
    title: 'Sign-in failed',
    meaning: 'The email or the password is not correct. Which one is never said, so accounts cannot be discovered by trying emails.',
    fix: 'Check both and try again. If you forgot your password, ask a tenant administrator for a new sign-in link.',
  },
  SIGN_IN_RATE_LIMITED: {
    status: 429,
    title: 'Too many sign-in attempts',
    meaning: 'Too many wrong passwords were tried for this email from this address; sign-in is paused for it. `retryAfterSeconds` (and the Retry-After header) say how long.',
    fix: 'Wait, then try again. If you forgot your password, ask a tenant administrator for a new sign-in link.',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    title: 'Missing or wrong CSRF token',
    meaning: 'A request that changes something was authenticated by the console session cookie but did not carry the X-CSRF-Token header of that session, so it may have been sent by another site.',
    fix: 'Send the `csrfToken` of GET /api/v1/session in the X-CSRF-Token header. Programs should use an API key instead of a cookie.',
  },
  INVITATION_INVALID: {
    status: 400,
    title: 'The sign-in link is not valid',
    meaning: 'The invitation link was already used, was replaced by a newer one, or expired.',
    fix: 'Ask a tenant administrator for a new sign-in link.',
  },
});
