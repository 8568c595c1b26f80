/**
 * Header rules of vendor calls. Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection,
 * not the message, so they are never forwarded in either direction.
 */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade']);

/**
 * Request headers a caller may not set: credentials are Switchboard's to attach (and a caller's
 * own Authorization would be sent to the vendor as the connection), Host and framing headers
 * are computed by the client, and cookies would mix another session into the connection's.
 */
const CALLER_FORBIDDEN = new Set([...HOP_BY_HOP, 'authorization', 'cookie', 'host', 'content-length', 'expect']);

/** Why a caller-supplied request header is refused, or undefined when it may be sent. */
export function refusedRequestHeader(name: string, value: string): string | undefined {
  const n = name.toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n)) return 'is not a valid header name';
  if (/[\r\n\0]/.test(value)) return 'must not contain line breaks';
  if (n === 'authorization' || n === 'proxy-authorization' || n === 'cookie') return 'is set by Switchboard from the connection\'s credentials and cannot be sent by the caller';
  if (CALLER_FORBIDDEN.has(n)) return 'is managed by Switchboard and cannot be set';
  return undefined;
}

type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * Response headers as one string per name, without hop-by-hop headers, without the headers the
 * vendor named in its Connection header, and without cookies (the caller has no session with
 * the vendor; the connection's credentials are its identity).
 */
export function endToEndHeaders(raw: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  const connection = raw.connection;
  const listed = connection ? new Set(String(connection).toLowerCase().split(',').map((s) => s.trim())) : undefined;
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    const n = name.toLowerCase();
    if (HOP_BY_HOP.has(n) || n === 'set-cookie' || listed?.has(n)) continue;
    out[n] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The media type of a Content-Type value, lower-case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

export function isJsonType(contentType: string | undefined): boolean {
  const t = mediaType(contentType);
  return t === 'application/json' || t.endsWith('+json') || t === 'text/json';
}

/** Media types whose bodies are text (and come back as text, not base64). */
export function isTextType(contentType: string | undefined): boolean {
  const t = mediaType(contentType);
  if (!t) return false;
  if (t.startsWith('text/') || t.endsWith('+xml') || t.endsWith('+json')) return true;
  return ['application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'application/graphql', 'application/yaml', 'application/x-yaml', 'application/x-ndjson', 'application/csv'].includes(t);
}
