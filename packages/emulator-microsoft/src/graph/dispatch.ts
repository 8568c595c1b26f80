/**
 * The catch-all under /v1.0: parses the Graph path, folds anchors, applies alias rewrites,
 * resolves a route and runs its handler. Graph's two routing errors are reproduced: an unknown
 * segment is 400 "Resource not found for the segment '...'", a known path with the wrong method
 * is 405. Handlers return results; this is the only place they meet the Fastify reply.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ListenerContext } from '../context.ts';
import { principalOf } from './auth.ts';
import { GraphCall, type GraphHandler, type GraphResult } from './call.ts';
import { GraphErrors, ODATA_JSON } from './errors.ts';
import { tokenize } from './router/anchors.ts';
import { applyRewrites, type Rewrite, type RouteTable } from './router/match.ts';
import { PathSyntaxError, parseGraphPath } from './router/path.ts';

export function sendResult(reply: FastifyReply, call: GraphCall, r: GraphResult): FastifyReply {
  if (call.applied.length > 0) reply.header('preference-applied', call.applied.join(','));
  for (const [k, v] of Object.entries(r.headers ?? {})) reply.header(k, v);
  reply.code(r.status);
  if (r.body === undefined) return reply.send();
  if (Buffer.isBuffer(r.body) || typeof r.body === 'string') return reply.type(r.type ?? 'application/octet-stream').send(r.body);
  reply.header('odata-version', '4.0');
  return reply.type(ODATA_JSON).send(r.body);
}

export function registerDispatcher(v1: FastifyInstance, l: ListenerContext, table: RouteTable<GraphHandler>, rewrites: readonly Rewrite[]): void {
  v1.all('/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    let segments;
    try {
      segments = parseGraphPath(path.replace(/^\/v1\.0/, ''));
    } catch (err) {
      if (err instanceof PathSyntaxError) throw GraphErrors.badRequest(`Bad Request - Invalid URL: the segment '${err.segment}' is malformed.`);
      throw err;
    }
    const tokens = applyRewrites(tokenize(segments), rewrites);
    const resolved = table.resolve(tokens, req.method);
    if (resolved.kind === 'notFound') throw GraphErrors.segmentNotFound(resolved.segment);
    if (resolved.kind === 'methodNotAllowed') throw GraphErrors.methodNotAllowed();
    const call = new GraphCall(l, req, principalOf(req), resolved.match, path);
    return sendResult(reply, call, await resolved.handler(call));
  });
}
