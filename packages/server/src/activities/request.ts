import type { JsonSchema, RequestDefinition, ValueSource } from '@switchboard/catalog';
import type { HttpMethod, VendorRequest } from '../outbound/vendor-call.ts';
import { encodeBody } from './body.ts';
import { evaluateOrFail } from './expressions.ts';
import type { ActivityScope } from './scope.ts';

/** Methods safe to repeat after a network error or 5xx: reads, and writes that replace rather than add. */
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface RequestContext {
  scope: ActivityScope;
  input: Record<string, unknown>;
  inputSchema: JsonSchema;
  /** The connection's base URL, without a trailing slash. */
  baseUrl: string;
  /** "activity send-email", for messages about the definition. */
  where: string;
}

/**
 * Turns a request definition and an input into the one HTTP request to send: the path template
 * rendered under the base URL, query and headers from templates or expressions (absent values
 * leave the parameter out), and the body encoded as declared.
 */
export async function compileRequest(def: RequestDefinition, rc: RequestContext): Promise<VendorRequest> {
  const url = new URL(rc.baseUrl + rc.scope.url(def.path));
  for (const [name, source] of Object.entries(def.query ?? {})) {
    const value = resolve(source, rc, `query parameter ${name}`);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) url.searchParams.append(name, scalar(item));
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(def.headers ?? {})) {
    const value = resolve(source, rc, `header ${name}`);
    if (value === undefined || value === null) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.map(scalar).join(', ') : scalar(value);
  }
  const encoded = await encodeBody(def.body, rc.input, rc.inputSchema, rc.where);
  if (encoded) headers['content-type'] ??= encoded.contentType;
  return { method: def.method, url, headers, ...(encoded ? { body: encoded.body } : {}), idempotent: IDEMPOTENT.has(def.method) };
}

/**
 * A query or header value. A template that is exactly one placeholder with no value is left
 * out (that is how optional inputs become optional parameters); an expression that gives null is too.
 */
function resolve(source: ValueSource, rc: RequestContext, what: string): unknown {
  if (typeof source !== 'string') return evaluateOrFail(source.expr, rc.input, { input: rc.input }, `${rc.where} ${what}`);
  const single = /^\{\+?([A-Za-z_][A-Za-z0-9_.]*)\}$/.exec(source);
  if (single) {
    const value = rc.scope.lookup(single[1]!);
    if (value === undefined || value === null || value === '') return undefined;
    if (Array.isArray(value)) return value;
  }
  return rc.scope.text(source);
}

function scalar(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
