/**
 * JSON batching: POST /v1.0/$batch with up to 20 requests (reference doc, "JSON batching"). Each
 * request runs through this listener's own router in-process (Fastify inject), with the batch's
 * Authorization and Host, so it is authenticated, logged and throttled like any other request.
 * dependsOn orders execution; a request whose dependency failed answers 424 without running.
 * Without dependencies requests run in the order given (the responses' order is not promised).
 */
import type { FastifyInstance } from 'fastify';
import type { GraphCall, GraphHandler, GraphResult } from './call.ts';
import { GraphError } from './errors.ts';
import type { Route } from './router/match.ts';

const MAX_REQUESTS = 20;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const invalid = (message: string) => new GraphError(400, 'BadRequest', message);

function readItems(body: Record<string, unknown>): BatchItem[] {
  const requests = body.requests;
  if (!Array.isArray(requests)) throw invalid("Invalid batch payload format: 'requests' must be an array.");
  if (requests.length === 0) throw invalid('Invalid batch payload format: the batch contains no requests.');
  if (requests.length > MAX_REQUESTS) throw invalid(`The batch contains ${requests.length} requests; the maximum is ${MAX_REQUESTS}.`);
  const seen = new Set<string>();
  const items = requests.map((r, i): BatchItem => {
    if (typeof r !== 'object' || r === null) throw invalid(`Invalid batch payload format: request ${i} is not an object.`);
    const o = r as Record<string, unknown>;
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    if (typeof id !== 'string' || id === '') throw invalid(`Invalid batch payload format: request ${i} has no 'id'.`);
    if (seen.has(id.toLowerCase())) throw invalid(`The batch contains more than one request with id '${id}'; ids must be unique.`);
    seen.add(id.toLowerCase());
    if (typeof o.method !== 'string' || typeof o.url !== 'string') throw invalid(`Invalid batch payload format: request '${id}' needs 'method' and 'url'.`);
    const headers: Record<string, string> = {};
    if (o.headers !== undefined) {
      if (typeof o.headers !== 'object' || o.headers === null) throw invalid(`Invalid batch payload format: request '${id}' has malformed 'headers'.`);
      for (const [k, v] of Object.entries(o.headers)) headers[k.toLowerCase()] = String(v);
    }
    const dependsOn = o.dependsOn === undefined ? [] : o.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) throw invalid(`Invalid batch payload format: request '${id}' has malformed 'dependsOn'.`);
    return { id, method: o.method.toUpperCase(), url: o.url, headers, ...(o.body !== undefined ? { body: o.body } : {}), dependsOn: dependsOn as string[] };
  });
  const ids = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  for (const item of items) {
    for (const d of item.dependsOn) if (!ids.has(d.toLowerCase())) throw invalid(`Request '${item.id}' depends on '${d}', which is not in the batch.`);
  }
  return items;
}

/** Dependency order (stable), or 400 for a cycle. */
function executionOrder(items: BatchItem[]): BatchItem[] {
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const out: BatchItem[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem) => {
    const key = item.id.toLowerCase();
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw invalid('The dependsOn references in the batch form a cycle.');
    state.set(key, 'visiting');
    for (const d of item.dependsOn) visit(byId.get(d.toLowerCase())!);
    state.set(key, 'done');
    out.push(item);
  };
  items.forEach(visit);
  return out;
}

/** `/me/messages`, `me/messages`, `/v1.0/me`, or an absolute Graph URL → the path to inject. */
function innerPath(url: string): string {
  let path = url.trim().replace(/^https?:\/\/[^/]+/i, '');
  if (!path.startsWith('/')) path = `/${path}`;
  if (!/^\/v1\.0(\/|$)/i.test(path)) path = `/v1.0${path}`;
  return path;
}

function payloadOf(item: BatchItem): { payload?: string | Buffer; error?: string } {
  if (item.body === undefined) return {};
  const type = item.headers['content-type'];
  if (!type) return { error: "A request with a body must specify a 'Content-Type' header." };
  if (/json/i.test(type)) return { payload: typeof item.body === 'string' ? item.body : JSON.stringify(item.body) };
  // Non-JSON bodies travel base64-encoded (the documentation's image example).
  return { payload: typeof item.body === 'string' ? Buffer.from(item.body, 'base64') : JSON.stringify(item.body) };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

function failedDependency(call: GraphCall, id: string): BatchResponse {
  return {
    id,
    status: 424,
    headers: { 'Content-Type': 'application/json' },
    body: { error: { code: 'FailedDependency', message: 'A request this request depends on failed.', innerError: { date: new Date(call.now()).toISOString().slice(0, 19) } } },
  };
}

async function run(app: FastifyInstance, call: GraphCall, item: BatchItem): Promise<BatchResponse> {
  const path = innerPath(item.url);
  if (/^\/v1\.0\/\$batch/i.test(path)) {
    return { id: item.id, status: 400, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'BadRequest', message: 'A batch cannot contain another batch.' } } };
  }
  const { payload, error } = payloadOf(item);
  if (error) return { id: item.id, status: 400, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'BadRequest', message: error } } };
  const headers: Record<string, string> = { ...item.headers };
  for (const name of ['authorization', 'host', 'client-request-id']) {
    const v = call.header(name);
    if (v !== undefined && headers[name] === undefined) headers[name] = v;
  }
  const res = await app.inject({ method: item.method as 'GET', url: path, headers, ...(payload !== undefined ? { payload } : {}) });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (HOP_BY_HOP.has(k) || v === undefined) continue;
    const name = k === 'odata-version' ? 'OData-Version' : k.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
    out[name] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  const type = String(res.headers['content-type'] ?? '');
  let body: unknown;
  if (res.rawPayload.length > 0) body = /json/i.test(type) ? JSON.parse(res.payload) : res.rawPayload.toString('base64');
  return { id: item.id, status: res.statusCode, headers: out, ...(body !== undefined ? { body } : {}) };
}

export function batchRoutes(app: FastifyInstance): Route<GraphHandler>[] {
  const handle: GraphHandler = async (call): Promise<GraphResult> => {
    const body = call.json();
    const items = readItems(body);
    const results = new Map<string, BatchResponse>();
    for (const item of executionOrder(items)) {
      const failed = item.dependsOn.some((d) => {
        const r = results.get(d.toLowerCase());
        return !r || r.status >= 400;
      });
      results.set(item.id.toLowerCase(), failed ? failedDependency(call, item.id) : await run(app, call, item));
    }
    return { status: 200, body: { responses: items.map((i) => results.get(i.id.toLowerCase())!) } };
  };
  return [{ pattern: '$batch', methods: { POST: handle } }];
}
