/**
 * The console's only door to the API: same-origin fetch with the session cookie, the
 * session's CSRF token on every state-changing request, and RFC 9457 problems turned into
 * ApiError. Nothing here stores secrets: field values travel in request bodies only.
 */

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The endpoint does not exist in this server version (another part of the product ships it later). */
  get isMissingEndpoint(): boolean {
    return this.status === 404 && this.code === 'ROUTE_NOT_FOUND';
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => {};

/** Set from GET /api/v1/session; kept in memory only, so a new tab asks again. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request finds the session gone (expired, revoked elsewhere). */
export function onUnauthenticated(handler: () => void): void {
  onSignedOut = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your network and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const error = new ApiError(
    response.status,
    typeof problem.code === 'string' ? problem.code : 'HTTP_ERROR',
    typeof problem.detail === 'string' ? problem.detail : `The server answered ${response.status} ${response.statusText}.`,
    Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
    problem,
  );
  if (error.status === 401 && !path.startsWith('/api/v1/session')) onSignedOut();
  return Promise.reject(error);
}

export const api = {
  get: <T>(path: string, query: Query = {}) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Every page of a cursor-paginated list (folders, connections: small per tenant). */
export async function getAll<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await api.get<{ items: T[]; nextCursor: string | null }>(path, { ...query, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const enc = encodeURIComponent;
