import type { HttpMethod } from './vendor-call.ts';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface Hop {
  url: URL;
  method: HttpMethod;
  /** False when the redirect turns the request into a GET, whose body is dropped. */
  keepBody: boolean;
}

/**
 * The request a redirect asks for, by the rules browsers follow (WHATWG Fetch §4.4): 303
 * turns anything but HEAD into GET, and so do 301/302 for POST; 307/308 repeat the request as
 * it was. Undefined when the response is not a redirect Switchboard follows (no Location, a
 * Location that is not http(s)).
 */
export function nextHop(status: number, location: string | undefined, from: URL, method: HttpMethod): Hop | undefined {
  if (!REDIRECT_STATUSES.has(status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    return { url, method: 'GET', keepBody: false };
  }
  return { url, method, keepBody: true };
}

/**
 * Whether a hop that leaves the connection's origin may be followed. Credentials never go with
 * it; a GET or HEAD is followed (a signed download link on a CDN is the common case), but a
 * write is not replayed to an origin the caller never chose: the redirect is returned as the
 * response instead, and the caller decides.
 */
export function mayFollowAcrossOrigins(hop: Hop): boolean {
  return hop.method === 'GET' || hop.method === 'HEAD';
}
