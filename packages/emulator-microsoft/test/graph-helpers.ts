/** Helpers for the Graph data tests: tokens with chosen permissions and a small HTTP client. */
import assert from 'node:assert/strict';
import type { MicrosoftEmulator } from '../src/index.ts';
import { MULTI, SINGLE } from './helpers.ts';

export const ADELE = 'AdeleV@contoso.onmicrosoft.com';
export const MEGAN = 'MeganB@contoso.onmicrosoft.com';
export const LEE = 'LeeG@contoso.onmicrosoft.com';
export const DIEGO = 'DiegoS@fabrikam.onmicrosoft.com';

/** A delegated token for a user with exactly these scopes. */
export function delegated(emu: MicrosoftEmulator, scopes: string[], user = ADELE): Promise<string> {
  return emu.issueAccessToken({ clientId: MULTI.clientId, user, scopes });
}

/** An app-only token in contoso with exactly these roles. */
export function appOnly(emu: MicrosoftEmulator, roles: string[], tenant = 'contoso'): Promise<string> {
  return emu.issueAccessToken({ clientId: SINGLE.clientId, tenant, roles });
}

export interface Res {
  status: number;
  // Test code reads arbitrary JSON fields.
  body: any;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this exact body (string or bytes) instead of JSON. */
  raw?: string | Uint8Array;
}

/** A Graph client bound to a listener origin and a token; paths are relative to /v1.0. */
export function client(origin: string, token?: string) {
  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Res> => {
    const url = /^https?:/.test(path) ? path : `${origin}/v1.0${path}`;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(o.headers ?? {}) };
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    // A copy typed on a plain ArrayBuffer, which is what fetch's BodyInit accepts.
    if (o.raw !== undefined) body = typeof o.raw === 'string' ? o.raw : new Uint8Array(o.raw);
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url, { method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    call,
    get: (path: string, o?: CallOptions) => call('GET', path, o),
    post: (path: string, body?: unknown, o: CallOptions = {}) => call('POST', path, { ...o, ...(body !== undefined ? { body } : {}) }),
    patch: (path: string, body: unknown, o: CallOptions = {}) => call('PATCH', path, { ...o, body }),
    put: (path: string, raw: string | Uint8Array, o: CallOptions = {}) => call('PUT', path, { ...o, raw }),
    del: (path: string, o?: CallOptions) => call('DELETE', path, o),
  };
}

export type Client = ReturnType<typeof client>;

/** Graph's error body, with innerError request ids echoing the response headers. */
export function assertError(res: Res, status: number, code: string, message?: string | RegExp): void {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(res.body?.error?.code, code);
  if (typeof message === 'string') assert.equal(res.body.error.message, message);
  else if (message) assert.match(res.body.error.message, message);
  const inner = res.body.error.innerError;
  assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.equal(inner['request-id'], res.headers.get('request-id'));
}

/** Follows @odata.nextLink to the end, collecting values and the links followed. */
export async function allPages(c: Client, path: string, o?: CallOptions): Promise<{ values: any[]; links: string[] }> {
  const values: any[] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  while (next) {
    const res = await c.get(next, o);
    assert.equal(res.status, 200, res.text);
    values.push(...res.body.value);
    next = res.body['@odata.nextLink'];
    if (next) links.push(next);
    assert.ok(links.length < 100, 'paging does not end');
  }
  return { values, links };
}
