/**
 * One listener: a Fastify instance impersonating the hosts of one cloud. Body parsing, the
 * request log, Graph request ids, and route mounting by role (authority, Graph, admin).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './body.ts';
import { LOGIN_CLOUDS, PERSONAL_CONTENT_HOST, listenerHosts } from './clouds.ts';
import { requestInfo, type ListenerContext } from './context.ts';
import { graphErrorHandler, registerGraph } from './graph/routes.ts';
import { GraphErrors, sendGraphError } from './graph/errors.ts';
import { isGuid, newGuid } from './ids.ts';
import { registerAuthorize } from './identity/authorize.ts';
import { parseBasic } from './identity/client-auth.ts';
import { registerDiscovery } from './identity/discovery.ts';
import { registerToken } from './identity/token.ts';
import { firstValues, formParams } from './params.ts';

const ADMIN_PREFIX = '/_emulator';
/**
 * First path segments that belong to the Graph host; everything else on a shared listener is the
 * authority. `_api` and `_layouts` carry the pre-authenticated upload, download and copy-monitor
 * URLs that SharePoint hands out, served here so they need no host of their own.
 */
const GRAPH_ROOTS = /^\/(v1\.0|beta|oidc|_api|_layouts)(\/|$|\?)/;

function isGraphPath(l: ListenerContext, url: string): boolean {
  return !l.def.login || GRAPH_ROOTS.test(url);
}

/** The vendor host a request was aimed at: the Host header if a proxy kept it, else the path's role. */
function impersonatedHost(l: ListenerContext, req: FastifyRequest): string {
  const hosts = listenerHosts(l.def);
  const sent = (req.headers.host ?? '').toLowerCase();
  if (hosts.includes(sent) || sent.endsWith(`.${l.def.sharePointSuffix}`) || sent === PERSONAL_CONTENT_HOST) return sent;
  return isGraphPath(l, req.url) ? hosts[hosts.length - 1]! : hosts[0]!;
}

export function buildListener(l: ListenerContext, mountAdmin?: (app: FastifyInstance) => void): FastifyInstance {
  // forceCloseConnections: close() must not wait for keep-alive sockets held by test clients.
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: BODY_LIMIT_BYTES, routerOptions: { maxParamLength: 2048 } });

  registerBodyParsers(app);

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith(ADMIN_PREFIX)) return;
    const info = requestInfo(req);
    info.log = l.emu.state.log.add({
      time: new Date(l.emu.state.now()).toISOString(),
      cloud: l.def.name,
      host: impersonatedHost(l, req),
      method: req.method,
      path: req.url.split('?')[0]!,
    });
    if (isGraphPath(l, req.url)) {
      const sent = req.headers['client-request-id'];
      info.requestId = newGuid();
      info.clientRequestId = typeof sent === 'string' && isGuid(sent) ? sent : info.requestId;
    }
  });

  // After parsing, so the token endpoint's form fields can be logged (never the secrets).
  app.addHook('preHandler', async (req) => {
    const entry = requestInfo(req).log;
    if (!entry) return;
    const query = firstValues(req.query);
    const form = formParams(req);
    const grantType = form.grant_type;
    const scope = form.scope ?? query.scope;
    const clientId = form.client_id ?? query.client_id ?? parseBasic(req.headers.authorization)?.id;
    if (grantType) entry.grantType = grantType;
    if (scope) entry.scope = scope;
    if (clientId) entry.clientId = clientId;
  });

  app.addHook('onSend', async (req, reply) => {
    const info = requestInfo(req);
    if (info.requestId) {
      reply.header('request-id', info.requestId);
      reply.header('client-request-id', info.clientRequestId);
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const entry = requestInfo(req).log;
    // 0 marks a connection the emulator reset on purpose; keep it.
    if (entry && entry.status !== 0) entry.status = reply.statusCode;
  });

  if (l.def.login) {
    registerDiscovery(app, l);
    registerAuthorize(app, l);
    registerToken(app, l);
  }
  registerGraph(app, l);
  mountAdmin?.(app);

  app.setNotFoundHandler((req, reply) => notFound(l, req, reply));
  const graphErrors = graphErrorHandler(l);
  app.setErrorHandler((error: Error & { statusCode?: number }, req, reply) => {
    if (isGraphPath(l, req.url)) return graphErrors(error, req, reply);
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'server_error' : 'invalid_request', error_description: error.message });
  });
  return app;
}

function notFound(l: ListenerContext, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isGraphPath(l, req.url)) {
    // The emulator serves Graph v1.0 only; other versions are reported like an unknown version.
    const version = req.url.split(/[/?]/)[1] ?? '';
    return sendGraphError(req, reply, GraphErrors.invalidVersion(version), l.emu.state.now());
  }
  const host = LOGIN_CLOUDS[l.def.login!].host;
  return reply.code(404).type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><main><h1>Not found</h1><p>${host} (emulated) has no endpoint at this path.</p></main></body></html>\n`);
}
