import pino from 'pino';

/**
 * Paths that may carry secrets in log objects. pino replaces their values, so a careless
 * `log.info({ headers })` cannot leak a bearer token, cookie, password or key.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.privateKey',
  '*.fields',
];

/** The service logger: JSON lines (pino) with secrets redacted; tests pass their own destination to scan it. */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** Query strings can carry secrets (api-key-in-query vendors, OAuth codes); log the path only. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?[redacted]`;
}
