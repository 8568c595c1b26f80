/**
 * Redaction of what request logs keep: URLs always, bodies when debug is on. Logs are read
 * by more people than the connection's owner and copied into tickets, so credentials never
 * reach them, whatever the vendor put where.
 */

export const REDACTED = '[redacted]';

/** Largest body kept per direction, after redaction; the rest is cut (the row says so). */
export const MAX_STORED_BODY_CHARS = 64 * 1024;
/** Larger bodies are cut before they are parsed, so a huge download cannot stall the process. */
const MAX_PARSED_BODY_CHARS = 1024 * 1024;
const MAX_URL_CHARS = 2048;

// Key names are compared without case, `-` and `_`: `client_secret`, `Client-Secret` and `clientSecret` are one name.
const SECRET_KEY_PARTS = ['password', 'passwd', 'secret', 'token', 'apikey', 'authorization', 'privatekey', 'cookie', 'assertion', 'credential'];
const SECRET_KEYS = new Set(['pwd', 'pass', 'codeverifier', 'sessionid', 'signature', 'sig', 'otp']);
// Query strings carry a few more: OAuth codes and states, `key=` of API-key-in-query vendors.
const SECRET_QUERY_KEYS = new Set([...SECRET_KEYS, 'code', 'state', 'key', 'auth']);

// Values that are credentials whatever their key: JWTs and bearer/basic header values.
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

export function isSecretKey(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_\s]/g, '');
  return SECRET_KEYS.has(key) || SECRET_KEY_PARTS.some((part) => key.includes(part));
}

function isSecretQueryKey(name: string): boolean {
  return isSecretKey(name) || SECRET_QUERY_KEYS.has(name.toLowerCase().replace(/[-_\s]/g, ''));
}

/** Scrubs credential-shaped values out of free text. */
export function redactText(text: string): string {
  return text.replace(JWT, REDACTED).replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/**
 * A URL fit for a log: no user info, no fragment, secret query parameters replaced. Accepts
 * an absolute URL or a path with query (what the vendor client passes), and keeps that form.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    // Not a URL we can take apart: keep the path only, which is where secrets are least likely.
    return clean(redactText(url.split(/[?#]/)[0] ?? '')).slice(0, MAX_URL_CHARS);
  }
  // The query is rewritten pair by pair as it came (`$top=5` stays readable), judging decoded names.
  const query = parsed.search.slice(1).split('&').filter(Boolean).map((pair) => {
    const [name = '', ...rest] = pair.split('=');
    if (rest.length === 0) return redactText(name);
    return isSecretQueryKey(decodeName(name)) ? `${name}=${REDACTED}` : `${name}=${redactText(rest.join('='))}`;
  }).join('&');
  const origin = absolute ? `${parsed.protocol}//${parsed.host}` : '';
  const path = redactText(parsed.pathname);
  return clean(`${origin}${path}${query ? `?${query}` : ''}`).slice(0, MAX_URL_CHARS);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

export interface RedactedBody {
  text: string;
  truncated: boolean;
}

/**
 * A body fit for a log: JSON with secret keys replaced at any depth, form bodies with
 * secret fields replaced, other text with credential-shaped values and `"secret": "..."`
 * pairs scrubbed; then capped.
 */
export function redactBody(body: string): RedactedBody {
  let truncated = body.length > MAX_PARSED_BODY_CHARS;
  const input = truncated ? body.slice(0, MAX_PARSED_BODY_CHARS) : body;
  let text = redactJson(input) ?? redactForm(input) ?? redactLooseText(input);
  text = clean(text);
  if (text.length > MAX_STORED_BODY_CHARS) {
    text = text.slice(0, MAX_STORED_BODY_CHARS);
    truncated = true;
  }
  return { text, truncated };
}

function redactJson(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.stringify(redactValue(JSON.parse(text)), null, 2);
  } catch {
    return undefined;
  }
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? REDACTED : redactValue(v)]));
  }
  return value;
}

const FORM = /^[^=&\s{}[\]"]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/;

function redactForm(text: string): string | undefined {
  if (!FORM.test(text.trim())) return undefined;
  return text
    .trim()
    .split('&')
    .map((pair) => {
      const [name = '', ...rest] = pair.split('=');
      return isSecretQueryKey(decodeName(name)) ? `${name}=${REDACTED}` : `${name}=${redactText(rest.join('='))}`;
    })
    .join('&');
}

// `"client_secret": "abc"`, `password=abc`, `token: abc` in text that is not (or no longer, once cut) a document.
const QUOTED_PAIR = /("([^"\\]{1,100})"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g;
const PLAIN_PAIR = /\b([A-Za-z][\w-]{1,60})(\s*[=:]\s*)([^\s&,;"']+)/g;

function redactLooseText(text: string): string {
  return redactText(text)
    .replace(QUOTED_PAIR, (match, prefix: string, key: string) => (isSecretKey(key) ? `${prefix}"${REDACTED}"` : match))
    .replace(PLAIN_PAIR, (match, key: string, sep: string) => (isSecretKey(key) ? `${key}${sep}${REDACTED}` : match));
}

/** PostgreSQL text cannot hold NUL; a body with one would make its batch fail forever. */
export function clean(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
