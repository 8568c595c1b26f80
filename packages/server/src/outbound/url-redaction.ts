/**
 * Query parameter names that carry secrets at some vendor (API keys in the query string,
 * OAuth codes and tokens, signed-URL signatures). Compared lower-case without `-` and `_`.
 */
const SECRET_PARAMS = new Set([
  'accesstoken', 'apikey', 'apitoken', 'key', 'token', 'authtoken', 'code', 'state', 'clientsecret', 'secret', 'password', 'passwd', 'pwd',
  'signature', 'sig', 'xamzsignature', 'xamzcredential', 'xamzsecuritytoken', 'xgoogsignature', 'xgoogcredential', 'refreshtoken', 'idtoken', 'sessionid', 'auth',
]);

export const REDACTED = '[redacted]';

function isSecretParam(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_PARAMS.has(key) || key.endsWith('token') || key.endsWith('secret') || key.endsWith('apikey') || key.endsWith('password');
}

/**
 * The path and query of a vendor URL fit for the usage ledger and request logs: the
 * connection's own query credentials removed altogether, other secret-looking parameters kept
 * by name with their values replaced. User info and fragments never appear.
 */
export function redactVendorUrl(url: URL, credentialParams: Iterable<string> = []): string {
  if (!url.search) return url.pathname;
  const drop = new Set(credentialParams);
  const parts: string[] = [];
  for (const [name, value] of url.searchParams) {
    if (drop.has(name)) continue;
    parts.push(`${encodeURIComponent(name)}=${isSecretParam(name) ? REDACTED : encodeURIComponent(value)}`);
  }
  return parts.length ? `${url.pathname}?${parts.join('&')}` : url.pathname;
}
