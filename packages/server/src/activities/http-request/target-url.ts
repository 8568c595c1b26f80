import { Problem } from '../../problems/problem.ts';

export type QueryValue = string | number | boolean | Array<string | number | boolean>;

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The URL an HTTP Request goes to. `path` is relative to the connection's base URL and joins
 * onto its path (`https://graph.microsoft.com/v1.0` + `/me` is `.../v1.0/me`); an absolute URL is
 * accepted only on the base URL's origin, because the connection's credentials go with it.
 * The origin is checked again on the parsed result, so no spelling (`//host`, `\host`, `@`) can
 * move the request elsewhere.
 */
export function resolveTarget(base: URL, path: string, query: Record<string, QueryValue> | undefined): URL {
  let url: URL;
  if (ABSOLUTE.test(path) || path.startsWith('//') || path.startsWith('\\\\')) {
    try {
      url = new URL(path, base);
    } catch {
      throw invalidPath(path, 'is not a valid URL');
    }
    if (url.origin !== base.origin) throw notOnOrigin(url, base);
  } else {
    const root = base.origin + base.pathname.replace(/\/+$/, '');
    try {
      url = new URL(root + (path.startsWith('/') ? path : `/${path}`));
    } catch {
      throw invalidPath(path, 'is not a valid path');
    }
    if (url.origin !== base.origin) throw notOnOrigin(url, base);
    // Parameters written into the base URL (a tenant, an API version) apply to every request.
    for (const [name, value] of base.searchParams) if (!url.searchParams.has(name)) url.searchParams.append(name, value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidPath(path, 'must be an http or https URL');
  url.hash = '';
  url.username = '';
  url.password = '';
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
  return url;
}

function invalidPath(path: string, message: string): Problem {
  return new Problem('HTTP_REQUEST_INVALID', `The path "${path.slice(0, 200)}" ${message}.`, { errors: [{ path: '/body/path', message, rule: 'url' }] });
}

function notOnOrigin(url: URL, base: URL): Problem {
  return new Problem('ORIGIN_NOT_ALLOWED', `${url.origin} is not the origin of the connection's base URL (${base.origin}); the HTTP Request only calls its own vendor, because the connection's credentials go with it. Nothing was sent.`, {
    errors: [{ path: '/body/path', message: `must be relative to the base URL or on ${base.origin}`, rule: 'same-origin' }],
    extensions: { requestedOrigin: url.origin, allowedOrigin: base.origin },
  });
}
