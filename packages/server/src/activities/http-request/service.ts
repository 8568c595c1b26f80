import './errors.ts';
import type { Catalog } from '@switchboard/catalog';
import type { Principal } from '../../access/principal.ts';
import { refusedRequestHeader } from '../../outbound/headers.ts';
import type { HttpMethod, VendorRequest, VendorResponse } from '../../outbound/vendor-call.ts';
import type { VendorClient } from '../../outbound/vendor-client.ts';
import { type FieldError, Problem } from '../../problems/problem.ts';
import { type BodyEncoding, envelopeBody } from './envelope.ts';
import { type QueryValue, resolveTarget } from './target-url.ts';
import type { VisibleConnections } from './visible-connections.ts';

export interface HttpRequestInput {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue> | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
  /** How `body` is given: JSON (default for non-strings), text (default for strings) or base64 bytes. */
  bodyEncoding?: 'json' | 'text' | 'base64' | undefined;
}

export interface HttpRequestEnvelope {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: BodyEncoding;
  meta: { requestId: string; attempts: number; durationMs: number };
}

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The HTTP Request activity: any call to the connection's own API, with Switchboard adding the
 * credentials, renewing tokens, pacing and retrying. It is a pass-through: the vendor's status,
 * headers and body come back as they are; only failures without a vendor answer are problems.
 */
export class HttpRequestService {
  constructor(
    private readonly deps: {
      catalog: Catalog;
      visible: VisibleConnections;
      vendor: VendorClient;
    },
  ) {}

  /** Checks access and input and sends the request; `stream` returns the body unread. */
  async send(principal: Principal, connectionId: string, input: HttpRequestInput, options: { requestId: string; stream?: boolean }): Promise<VendorResponse> {
    const row = await this.deps.visible.get(principal, connectionId);
    const connector = this.deps.catalog.get(row.connector_key);
    if (connector && !connector.http.offered) {
      throw new Problem('HTTP_REQUEST_NOT_OFFERED', `${connector.displayName} connections do not offer the HTTP Request; use the connector's activities.`, { extensions: { connector: connector.key } });
    }
    const headers = checkHeaders(input.headers ?? {});
    const body = encodeBody(input, headers);
    let base: URL | undefined;
    try {
      base = await this.deps.vendor.baseUrl(row);
    } catch (error) {
      if (error instanceof Problem && error.code === 'CONNECTION_NOT_ENABLED') this.deps.visible.forget(row.id);
      throw error;
    }
    if (!base) throw new Problem('HTTP_REQUEST_NOT_OFFERED', 'This connection has no base URL, so the HTTP Request has nowhere to send requests.');
    const request: VendorRequest = {
      method: input.method,
      url: resolveTarget(base, input.path, input.query),
      headers,
      ...(body !== undefined ? { body } : {}),
      idempotent: IDEMPOTENT.has(input.method),
    };
    try {
      return await this.deps.vendor.send(row, request, {
        requestId: options.requestId,
        operation: 'http-request',
        kind: 'http-request',
        ...(options.stream ? { stream: true } : {}),
      });
    } catch (error) {
      if (error instanceof Problem && error.code === 'CONNECTION_NOT_ENABLED') this.deps.visible.forget(row.id);
      throw error;
    }
  }

  /** The JSON envelope of a buffered response. */
  static envelope(response: VendorResponse, requestId: string): HttpRequestEnvelope {
    const { body, bodyEncoding } = envelopeBody(response);
    return { status: response.status, headers: response.headers, body, bodyEncoding, meta: { requestId, attempts: response.attempts, durationMs: response.durationMs } };
  }
}

function checkHeaders(given: Record<string, string>): Record<string, string> {
  const errors: FieldError[] = [];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const why = refusedRequestHeader(name, value);
    if (why) errors.push({ path: `/body/headers/${name}`, message: why, rule: 'header' });
    else headers[name.toLowerCase()] = value;
  }
  if (errors.length) {
    const first = errors[0]!;
    const name = first.path.slice('/body/headers/'.length);
    throw new Problem('HTTP_REQUEST_INVALID', `The header ${name} ${first.message}.`, { errors, extensions: { header: name } });
  }
  return headers;
}

/** The body bytes to send, setting a default Content-Type for what was given. */
function encodeBody(input: HttpRequestInput, headers: Record<string, string>): string | Buffer | undefined {
  if (input.body === undefined || input.body === null) return undefined;
  if (input.method === 'GET' || input.method === 'HEAD') {
    throw new Problem('HTTP_REQUEST_INVALID', `A ${input.method} request has no body.`, { errors: [{ path: '/body/body', message: `must be absent for ${input.method}`, rule: 'no-body' }] });
  }
  const encoding = input.bodyEncoding ?? (typeof input.body === 'string' ? 'text' : 'json');
  if (encoding === 'base64') {
    const text = typeof input.body === 'string' ? input.body.replace(/\s+/g, '') : undefined;
    if (text === undefined || !BASE64.test(text) || text.length % 4 === 1) {
      throw new Problem('HTTP_REQUEST_INVALID', 'The body is not valid base64.', { errors: [{ path: '/body/body', message: 'must be a base64 string when bodyEncoding is base64', rule: 'base64' }] });
    }
    headers['content-type'] ??= 'application/octet-stream';
    return Buffer.from(text, 'base64');
  }
  if (encoding === 'text') {
    if (typeof input.body !== 'string') {
      throw new Problem('HTTP_REQUEST_INVALID', 'A text body must be a string.', { errors: [{ path: '/body/body', message: 'must be a string when bodyEncoding is text', rule: 'type' }] });
    }
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return input.body;
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(input.body);
}
