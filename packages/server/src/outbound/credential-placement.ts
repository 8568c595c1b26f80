import { VERSION } from '../version.ts';
import type { CallProfile } from './call-profile.ts';
import { HOP_BY_HOP } from './headers.ts';
import { ACCEPTED_ENCODINGS } from './response-body.ts';

const USER_AGENT = `Switchboard/${VERSION}`;
/** Request headers never taken from the caller: Switchboard sets them, or they describe a hop. */
const NOT_FROM_CALLER = new Set([...HOP_BY_HOP, 'authorization', 'proxy-authorization', 'cookie', 'host', 'content-length', 'accept-encoding', 'expect']);

/**
 * The headers of one request. On the base origin (`credentialed`): the connector's headers, the
 * caller's, then the connection's credentials on top so a caller cannot replace them. Anywhere
 * else: the caller's only, minus any header the credentials would have used.
 */
export function requestHeaders(profile: CallProfile, given: Record<string, string>, credentialed: boolean, stream: boolean, hasBody: boolean): Record<string, string> {
  // Streamed bodies go to the caller as they are, so they are asked for without compression.
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': stream ? 'identity' : ACCEPTED_ENCODINGS };
  if (credentialed) Object.assign(headers, profile.connectorHeaders);
  for (const name in given) {
    const n = name.toLowerCase();
    if (!NOT_FROM_CALLER.has(n)) headers[n] = given[name]!;
  }
  if (!hasBody) delete headers['content-type'];
  if (credentialed) Object.assign(headers, profile.credentialHeaders);
  else for (const n in profile.credentialHeaders) delete headers[n];
  return headers;
}

/** The URL with the connection's query credentials (API key in the query string) set. */
export function withQueryCredentials(url: URL, profile: CallProfile): URL {
  if (profile.credentialQuery.length === 0) return url;
  const out = new URL(url);
  for (const [name, value] of profile.credentialQuery) out.searchParams.set(name, value);
  return out;
}

/** A URL off the base origin loses any parameter carrying a credential value (a vendor may echo one into a Location). */
export function withoutCredentialValues(url: URL, profile: CallProfile): URL {
  if (profile.credentialQuery.length === 0 || !url.search) return url;
  const secrets = new Set(profile.credentialQuery.map(([, v]) => v));
  const out = new URL(url);
  for (const [name, value] of [...out.searchParams]) if (secrets.has(value)) out.searchParams.delete(name, value);
  return out;
}
